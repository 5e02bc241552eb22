package io.socketfleet.node.lifecycle;

import io.socketfleet.node.engineio.EngineServer;
import io.socketfleet.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps this node near its fair share of the fleet's sessions. Once a second it publishes its
 * session count on the {@link LoadBoard}, reads everyone's and works out its {@link FairShare};
 * while it holds more, a second timer closes the excess one transport at a time, paced by
 * {@link ShedPace} to at most {@code sessionsPerSecond} with jitter. Closing the transport, never sending a
 * Socket.IO DISCONNECT, lets the clients reconnect by themselves, through nginx's hash to any node.
 *
 * <p>While it holds more than its share, and another node with room is taking new sessions, it
 * also refuses new handshakes with 503, which nginx ({@code proxy_next_upstream http_503}) hands to
 * the next node on its ring — so a shed client does not land back on a busy node. Without that the
 * hash sends it to each node alike: growing from 3 nodes to 4, three of every four shed clients
 * landed on a busy node again (to be shed again), so the fleet needed about four reconnects per
 * session moved, and the clients away in between lowered everyone's share, so the busy nodes kept
 * shedding around the limit instead of settling. Refusing only while a node with room is evidently
 * reached (its sessions grew in its last second) keeps a node that nginx does not list yet from
 * leaving clients nowhere to go; see {@link FairShare} for why the others count with their trend.
 * The refusals count no failure against the node in nginx: its upstream has no passive health
 * checks ({@code max_fails=0}); with {@code max_fails=1}, as it was once, a 503 took a node out of
 * the hash for new websockets for minutes.
 */
public final class Rebalancer implements AutoCloseable {

    /** How often a node publishes and decides. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** A node that stops publishing for this long no longer counts. */
    static final Duration TTL = Duration.ofSeconds(5);
    /** How long the fleet's largest total stands in for a lower one (see {@link FairShare}): longer than clients stay away. */
    static final Duration AWAY = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);

    private final String node;
    private final EngineServer engine;
    private final LoadBoard board;
    private final int sessionsPerSecond;
    private final int tolerancePercent;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "rebalancer");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService shedder = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "rebalancer-shedding");
        thread.setDaemon(true);
        return thread;
    });
    private volatile FairShare last = FairShare.NONE;
    /** Sessions still to close before the next tick says again. */
    private final AtomicInteger excess = new AtomicInteger();
    private ShedPace pace;
    private boolean boardAway;
    /** Sessions at the last tick (-1 before the first), to tell how they change a second. */
    private int sessionsBefore = -1;
    /** The fleet's total at each tick of the last {@link #AWAY}: when, and how many. */
    private final ArrayDeque<long[]> totals = new ArrayDeque<>();

    /**
     * @param sessionsPerSecond the most sessions this node closes per second to rebalance; 0 only publishes
     * @param tolerancePercent  how far above its share a node may go before it sheds
     */
    public Rebalancer(String node, EngineServer engine, LoadBoard board, NodeMetrics metrics, int sessionsPerSecond,
                      int tolerancePercent) {
        this.node = node;
        this.engine = engine;
        this.board = board;
        this.sessionsPerSecond = sessionsPerSecond;
        this.tolerancePercent = tolerancePercent;
        metrics.rebalancing(() -> last.over() && sessionsPerSecond > 0 && !engine.isDraining() ? 1 : 0);
    }

    public void start() {
        if (sessionsPerSecond > 0) {
            engine.refuseWhileOverShare(() -> last.refuses(engine.openSessions()));
        }
        timer.scheduleAtFixedRate(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        if (sessionsPerSecond > 0) {
            pace = new ShedPace(sessionsPerSecond, System.nanoTime());
            shedder.execute(this::shedNext);
        }
    }

    /** The share as last worked out (for tests and logs). */
    public FairShare lastShare() {
        return last;
    }

    private void tick() {
        try {
            int mine = engine.openSessions();
            boolean draining = engine.isDraining();
            board.publish(node, new NodeLoad(mine, draining, draining || sessionsBefore < 0 ? 0 : mine - sessionsBefore), TTL);
            sessionsBefore = mine;
            Map<String, NodeLoad> fleet = board.readAll();
            boardAway = false;
            FairShare share = FairShare.of(node, mine, fleet, tolerancePercent, recentTotal(FairShare.total(node, mine, fleet)));
            last = share;
            excess.set(share.excess());
            if (share.over()) {
                log.debug("{} sessions, share {} (up to {} here): shedding {}", mine, Math.round(share.share()),
                        share.allowed(), share.excess());
            }
        } catch (RuntimeException e) {
            // Without the board the node cannot tell its share: it sheds nothing.
            last = FairShare.NONE;
            excess.set(0);
            if (!boardAway) {
                boardAway = true;
                log.warn("fleet load unavailable ({}); not rebalancing until it is back", e.getMessage());
            }
        }
    }

    /** Records the fleet's total now and answers the largest of the last {@link #AWAY}. */
    private long recentTotal(long now) {
        long at = System.nanoTime();
        totals.addLast(new long[] {at, now});
        while (at - totals.peekFirst()[0] > AWAY.toNanos()) {
            totals.removeFirst();
        }
        long largest = 0;
        for (long[] total : totals) {
            largest = Math.max(largest, total[1]);
        }
        return largest;
    }

    private void shedNext() {
        try {
            int due = Math.min(excess.get(), pace.perSlot());
            if (due > 0 && !engine.isDraining()) {
                excess.addAndGet(-engine.shed(due, Duration.ZERO));
            }
        } finally {
            if (!shedder.isShutdown()) {
                shedder.schedule(this::shedNext, pace.nextDelay(System.nanoTime(), ThreadLocalRandom.current()),
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Stops deciding and takes this node off the board. */
    @Override
    public void close() {
        engine.refuseWhileOverShare(() -> false);
        shedder.shutdownNow();
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            board.withdraw(node);
        } catch (RuntimeException e) {
            // its entry expires by itself
        }
        board.close();
    }
}
