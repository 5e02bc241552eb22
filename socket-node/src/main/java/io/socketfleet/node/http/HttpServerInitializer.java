package io.socketfleet.node.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.engineio.EngineServer;
import io.socketfleet.node.metrics.NodeMetrics;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Builds each connection's pipeline: the connection's send budget, HTTP codec, body
 * aggregation bounded by maxPayload, flow control, router.
 */
public final class HttpServerInitializer extends ChannelInitializer<Channel> {

    private final EngineServer engine;
    private final StaticContent statics;
    private final NodeMetrics metrics;
    private final Cors cors;
    private final String nodeName;
    private final Supplier<String> readinessDetail;
    /** A peer that takes nothing for as long as a heartbeat may last is gone; one instance for every connection. */
    private final Duration stallLimit;

    /** {@code readinessDetail} adds lines to the /readyz body (e.g. the Redis subscriber's state). */
    public HttpServerInitializer(EngineServer engine, StaticContent statics, NodeMetrics metrics, String nodeName,
                                 Supplier<String> readinessDetail) {
        this.engine = engine;
        this.statics = statics;
        this.metrics = metrics;
        this.cors = new Cors(engine.options().corsOrigins());
        this.nodeName = nodeName;
        this.readinessDetail = readinessDetail;
        this.stallLimit = engine.options().pingInterval().plus(engine.options().pingTimeout());
    }

    @Override
    protected void initChannel(Channel channel) {
        EngineOptions options = engine.options();
        channel.pipeline()
                .addLast(new ConnectionBudget(options.maxBufferedBytes(), stallLimit, metrics))
                .addLast(new HttpServerCodec())
                .addLast(new HttpServerExpectContinueHandler())
                // A polling body over maxPayload is answered 413 by the aggregator.
                .addLast(new HttpObjectAggregator(options.maxPayload()))
                // One socket read can hold hundreds of pipelined requests (or websocket frames, once
                // upgraded); this hands them on one at a time while reading is paused.
                .addLast(new FlowControlHandler())
                .addLast(new HttpRouter(engine, statics, metrics, cors, nodeName, readinessDetail));
    }
}
