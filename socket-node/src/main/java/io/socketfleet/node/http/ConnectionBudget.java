package io.socketfleet.node.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.socketfleet.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Backpressure for one connection, whatever it carries — HTTP responses, websocket data or
 * control frames: while the peer does not read (the channel is over its high-water mark) the
 * node stops reading from it, so a peer cannot make the node queue answers faster than it
 * takes them. A peer whose unsent bytes still pass the budget, or that takes nothing for the
 * stall limit, is dropped with a logged reason. It sits first in the pipeline, where it sees
 * every encoded byte.
 */
final class ConnectionBudget extends ChannelDuplexHandler {

    /** Why a connection was dropped; the metric's label. */
    enum Drop {
        OVER_BUDGET("over-budget"),
        STALLED("stalled");

        private final String label;

        Drop(String label) {
            this.label = label;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ConnectionBudget.class);

    private final long budgetBytes;
    private final Duration stallLimit;
    private final NodeMetrics metrics;
    private ScheduledFuture<?> stallCheck;
    private boolean dropped;

    /**
     * @param budgetBytes unsent bytes (data and control frames alike) beyond which the peer is dropped
     * @param stallLimit  how long a peer may take nothing before it is dropped
     */
    ConnectionBudget(long budgetBytes, Duration stallLimit, NodeMetrics metrics) {
        this.budgetBytes = budgetBytes;
        this.stallLimit = stallLimit;
        this.metrics = metrics;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        // Reading resumes once the peer has taken what was queued for it.
        ctx.channel().config().setAutoRead(writable);
        if (!writable && stallCheck == null) {
            stallCheck = ctx.executor().schedule(() -> drop(ctx, Drop.STALLED),
                    stallLimit.toMillis(), TimeUnit.MILLISECONDS);
        } else if (writable && stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (unsentBytes(ctx) > budgetBytes) {
            drop(ctx, Drop.OVER_BUDGET);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (stallCheck != null) {
            stallCheck.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private static long unsentBytes(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer unsent = ctx.channel().unsafe().outboundBuffer();
        return unsent == null ? 0 : unsent.totalPendingWriteBytes();
    }

    private void drop(ChannelHandlerContext ctx, Drop reason) {
        if (dropped || !ctx.channel().isActive()) {
            return;
        }
        dropped = true;
        metrics.connectionDropped(reason.label);
        log.info("dropping connection from {}: {} ({} bytes unsent, budget {}, stall limit {} ms)",
                ctx.channel().remoteAddress(), reason == Drop.OVER_BUDGET ? "unsent bytes over budget"
                        : "peer read nothing for the stall limit", unsentBytes(ctx), budgetBytes, stallLimit.toMillis());
        ctx.close();
    }
}
