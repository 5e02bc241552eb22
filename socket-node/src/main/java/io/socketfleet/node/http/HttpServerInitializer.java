package io.socketfleet.node.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.socketfleet.node.engineio.EngineServer;
import io.socketfleet.node.metrics.NodeMetrics;

/** Builds each connection's pipeline: HTTP codec, body aggregation bounded by maxPayload, router. */
public final class HttpServerInitializer extends ChannelInitializer<Channel> {

    private final EngineServer engine;
    private final StaticContent statics;
    private final NodeMetrics metrics;
    private final Cors cors;
    private final String nodeName;

    public HttpServerInitializer(EngineServer engine, StaticContent statics, NodeMetrics metrics, String nodeName) {
        this.engine = engine;
        this.statics = statics;
        this.metrics = metrics;
        this.cors = new Cors(engine.options().corsOrigins());
        this.nodeName = nodeName;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpServerExpectContinueHandler())
                // A polling body over maxPayload is answered 413 by the aggregator.
                .addLast(new HttpObjectAggregator(engine.options().maxPayload()))
                .addLast(new HttpRouter(engine, statics, metrics, cors, nodeName));
    }
}
