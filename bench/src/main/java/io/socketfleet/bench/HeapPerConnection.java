package io.socketfleet.bench;

import io.socketfleet.contract.NodeJvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an idle websocket costs, socket-node next to Node socket.io. For socket-node, class by
 * class: {@code jmap -histo:live} of the server before and after {@code N} clients connect (each
 * histogram after a full GC), the difference divided by {@code N}; and its resident set (VmRSS from
 * {@code /proc/PID/status}) after the N minus before, divided by N. socket-node runs with the JVM
 * flags a node is launched with ({@link NodeJvm#FLAGS}, with local mode's 256 MiB heap) unless
 * {@code --jvm "FLAGS"} says otherwise.
 * For Node socket.io (unless {@code --no-node}) the same N connect and its heap after a GC (as the
 * server reports it) and VmRSS are diffed the same way.
 * Usage: java -cp socketfleet-bench.jar io.socketfleet.bench.HeapPerConnection [N] [TOP] [--jvm "FLAGS"] [--no-node]
 */
public final class HeapPerConnection {

    private HeapPerConnection() {
    }

    /** Instances and bytes of one class. */
    private record Row(long instances, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
        jvm.addAll(NodeJvm.FLAGS);
        boolean node = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jvm" -> jvm = Arrays.asList(args[++i].trim().split("\\s+"));
                case "--no-node" -> node = false;
                default -> positional.add(args[i]);
            }
        }
        int clients = !positional.isEmpty() ? Integer.parseInt(positional.get(0)) : 10_000;
        int top = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 30;
        socketNode(clients, top, jvm);
        if (node) {
            nodeSocketIo(clients);
        }
    }

    private static void socketNode(int clients, int top, List<String> jvm) throws Exception {
        try (ServerProcess server = ServerProcess.start(ServerProcess.Kind.SOCKET_NODE, Repo.freePort(), null, null, jvm);
             JavaGenerator load = new JavaGenerator()) {
            load.connect(List.of(server.url), 1);
            Map<String, Row> before = histogram(server.pid());
            long rssBefore = server.residentBytes();
            load.connect(List.of(server.url), clients);
            Thread.sleep(2L * ServerProcess.PING_INTERVAL_MS + 1000); // a couple of heartbeats, as idle-connections
            Map<String, Row> after = histogram(server.pid());
            long rssAfter = server.residentBytes();
            Map<String, Row> diff = new HashMap<>();
            after.forEach((name, row) -> {
                Row was = before.getOrDefault(name, new Row(0, 0));
                diff.put(name, new Row(row.instances() - was.instances(), row.bytes() - was.bytes()));
            });
            long total = diff.values().stream().mapToLong(Row::bytes).sum();
            System.out.printf("socket-node (%s), %,d idle websockets: %,.0f bytes of heap each (jmap -histo:live difference), "
                            + "%,.0f bytes of RSS each (VmRSS %,d KiB -> %,d KiB)%n%n", String.join(" ", jvm), clients,
                    total / (double) clients, (rssAfter - rssBefore) / (double) clients, rssBefore / 1024, rssAfter / 1024);
            System.out.println("| class | instances per connection | bytes per connection |");
            System.out.println("| --- | ---: | ---: |");
            diff.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().bytes(), a.getValue().bytes())).limit(top)
                    .forEach(e -> System.out.printf("| %s | %.2f | %.0f |%n", e.getKey(),
                            e.getValue().instances() / (double) clients, e.getValue().bytes() / (double) clients));
            System.out.println();
        }
    }

    private static void nodeSocketIo(int clients) throws Exception {
        try (ServerProcess server = ServerProcess.start(ServerProcess.Kind.NODE_SOCKET_IO, Repo.freePort(), null, null);
             LoadClient probes = new LoadClient(1);
             JavaGenerator load = new JavaGenerator()) {
            Connection probe = probes.connect(server.url, 1, 1).get(0);
            long heapBefore = ServerProcess.heapAfterGc(probe);
            long rssBefore = server.residentBytes();
            load.connect(List.of(server.url), clients);
            Thread.sleep(2L * ServerProcess.PING_INTERVAL_MS + 1000);
            long heapAfter = ServerProcess.heapAfterGc(probe);
            long rssAfter = server.residentBytes();
            System.out.printf("node socket.io, %,d idle websockets: %,.0f bytes of heap each (heapUsed after gc() difference), "
                            + "%,.0f bytes of RSS each (VmRSS %,d KiB -> %,d KiB)%n", clients, (heapAfter - heapBefore) / (double) clients,
                    (rssAfter - rssBefore) / (double) clients, rssBefore / 1024, rssAfter / 1024);
        }
    }

    private static Map<String, Row> histogram(long pid) throws IOException, InterruptedException {
        Path jmap = Path.of(ServerProcess.java()).resolveSibling("jmap");
        Process process = new ProcessBuilder(jmap.toString(), "-histo:live", Long.toString(pid)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Map<String, Row> rows = new HashMap<>();
        for (String line : output.split("\n")) {
            // "   1:        123456       7890123  java.lang.String (java.base@17)"
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[0].endsWith(":")) {
                rows.put(fields[3], new Row(Long.parseLong(fields[1]), Long.parseLong(fields[2])));
            }
        }
        return rows;
    }
}
