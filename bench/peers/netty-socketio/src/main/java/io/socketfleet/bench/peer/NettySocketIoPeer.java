package io.socketfleet.bench.peer;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;

import java.util.Map;

/**
 * netty-socketio with the benchmark's server behaviour: "echo" acknowledges its arguments,
 * "broadcast" emits "msg" to everyone, "memory" reports the heap after a GC.
 * Usage: java -jar netty-socketio-peer.jar HOST PORT PING_INTERVAL_MS PING_TIMEOUT_MS
 */
public final class NettySocketIoPeer {

    private NettySocketIoPeer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Configuration config = new Configuration();
        config.setHostname(args[0]);
        config.setPort(Integer.parseInt(args[1]));
        config.setPingInterval(Integer.parseInt(args[2]));
        config.setPingTimeout(Integer.parseInt(args[3]));
        config.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        config.setWorkerThreads(Runtime.getRuntime().availableProcessors());
        SocketConfig socket = new SocketConfig();
        socket.setReuseAddress(true);
        socket.setTcpNoDelay(true);
        socket.setAcceptBackLog(4096);
        config.setSocketConfig(socket);

        SocketIOServer server = new SocketIOServer(config);
        server.addEventListener("echo", Object.class, (client, data, ack) -> {
            if (ack.isAckRequested()) {
                ack.sendAckData(data);
            }
        });
        server.addEventListener("broadcast", Object.class, (client, data, ack) -> {
            server.getBroadcastOperations().sendEvent("msg", data);
            if (ack.isAckRequested()) {
                ack.sendAckData();
            }
        });
        server.addEventListener("memory", Object.class, (client, data, ack) -> {
            ack.sendAckData(Map.of("heapUsed", heapAfterGc()));
        });
        server.start();
        System.out.println("listening");
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        Thread.currentThread().join();
    }

    static long heapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
