package io.socketfleet.operator.nginx;

import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.Nginx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The renderer's output, each one checked by the real nginx -t. */
class NginxConfigIT {

    @TempDir
    Path dir;

    private String render(SocketFleet fleet, List<Backend> backends) throws Exception {
        String config = NginxConfig.render(fleet, backends, Nginx.runtimeIn(dir, "127.0.0.1:18080"));
        assertNull(Nginx.test(dir, config), "nginx -t rejected:\n" + config);
        return config;
    }

    private static List<Backend> backends(String... addresses) {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++) {
            list.add(Backend.parse("chat-node-" + i, addresses[i]));
        }
        return list;
    }

    @Test
    void consistentHashUpstreamAndRouteTokenMap() throws Exception {
        String config = render(Fleets.fleet("chat", "default", 2), backends("10.244.0.18:3000", "10.244.0.17:3000"));

        assertTrue(config.contains("hash $http_sec_websocket_key consistent;"));
        assertTrue(config.contains("\"~^0af400110bb8\\.\" 10.244.0.17:3000;"), config);
        assertTrue(config.contains("\"~^0af400120bb8\\.\" 10.244.0.18:3000;"));
        assertTrue(config.indexOf("server 10.244.0.17:3000") < config.indexOf("server 10.244.0.18:3000"), "sorted");
        assertTrue(config.contains("default socket_nodes;"));
        assertTrue(config.contains("proxy_pass http://$fleet_peer;"));
        assertTrue(config.contains("proxy_set_header Upgrade $http_upgrade;"));
        assertTrue(config.contains("proxy_read_timeout 3600s;"));
        assertTrue(config.contains("proxy_buffering off;"));
    }

    @Test
    void deterministicWhateverTheInputOrder() throws Exception {
        List<Backend> list = backends("10.0.0.3:3000", "10.0.0.1:3000", "10.0.0.2:3000");
        String first = render(Fleets.fleet("chat", "default", 3), list);
        Collections.reverse(list);
        assertEquals(first, render(Fleets.fleet("chat", "default", 3), list));
        assertEquals(NginxConfig.hash(first), NginxConfig.hash(render(Fleets.fleet("chat", "default", 3), list)));
    }

    @Test
    void announcesItsOwnIdSoAReloadCanBeAwaited() throws Exception {
        String config = render(Fleets.fleet("chat", "default", 2), backends("10.0.0.1:3000"));
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("add_header X-Socketfleet-Config ([0-9a-f]{16}) always;")
                .matcher(config);
        assertTrue(id.find(), config);
        assertEquals(NginxConfig.configId(config), id.group(1));
        String other = render(Fleets.fleet("chat", "default", 2), backends("10.0.0.1:3000", "10.0.0.2:3000"));
        assertFalse(other.contains(id.group(1)), "another config, another id");
    }

    @Test
    void zeroBackendsStillValidAndAnswers503() throws Exception {
        String config = render(Fleets.fleet("chat", "default", 0), List.of());
        assertFalse(config.contains("upstream"), "an empty upstream is an nginx error");
        assertTrue(config.contains("return 503"));
        assertTrue(config.contains("no ready socket-node in fleet default/chat"));
    }

    @Test
    void customHashKeyAndServerWeights() throws Exception {
        SocketFleet fleet = Fleets.fleet("chat", "default", 2);
        fleet.getSpec().getNginx().setHashKey("$remote_addr$http_user_agent");
        fleet.getSpec().getNginx().setServerWeight(1);
        String config = render(fleet, backends("10.0.0.1:3000", "10.0.0.2:3000"));
        assertTrue(config.contains("hash $remote_addr$http_user_agent consistent;"));
        assertTrue(config.contains("server 10.0.0.1:3000 max_fails"), "weight 1 is nginx's default and left out");
        assertTrue(render(Fleets.fleet("chat", "default", 1), backends("10.0.0.1:3000")).contains("server 10.0.0.1:3000 weight=10 "),
                "equal weights of 10 by default");
    }

    @Test
    void ipv6Backends() throws Exception {
        String config = render(Fleets.fleet("chat", "default", 1), backends("[fd00::17]:3000"));
        assertTrue(config.contains("server [fd00::17]:3000"));
        assertTrue(config.contains("\"~^fd0000000000000000000000000000170bb8\\.\" [fd00::17]:3000;"));
    }

    @Test
    void drainingNodesKeepTheirSessionsButLeaveTheUpstream() throws Exception {
        List<Backend> list = new ArrayList<>(backends("10.244.0.17:3000"));
        list.add(Backend.parse("chat-node-9", "10.244.0.18:3000").asDraining());
        String config = render(Fleets.fleet("chat", "default", 1), list);

        assertTrue(config.contains("\"~^0af400120bb8\\.\" 10.244.0.18:3000;  # chat-node-9, draining"), config);
        assertTrue(config.contains("\"~^0af400110bb8\\.\" 10.244.0.17:3000;"), config);
        assertTrue(config.contains("server 10.244.0.17:3000"), config);
        assertFalse(config.contains("server 10.244.0.18:3000"), "no new connections for a draining node:\n" + config);
        assertTrue(config.contains("# Ready backends: 1, draining: 1"));
    }

    @Test
    void aNodeListedReadyAndDrainingAtOnceIsReady() throws Exception {
        List<Backend> list = new ArrayList<>(backends("10.0.0.1:3000"));
        list.add(Backend.parse("chat-node-0", "10.0.0.1:3000").asDraining());
        String config = render(Fleets.fleet("chat", "default", 1), list);
        assertTrue(config.contains("server 10.0.0.1:3000"), config);
        assertFalse(config.contains(", draining\n"), config);
        assertTrue(config.contains("# Ready backends: 1, draining: 0"), config);
    }

    @Test
    void onlyDrainingNodesStillRouteTheirSessionsAndAnswer503ForTheRest() throws Exception {
        String config = render(Fleets.fleet("chat", "default", 0), List.of(Backend.parse("chat-node-0", "10.0.0.1:3000").asDraining()));
        assertFalse(config.contains("upstream socket_nodes"), "an empty upstream is an nginx error");
        assertTrue(config.contains("default \"\";"), config);
        assertTrue(config.contains("\"~^0a0000010bb8\\.\" 10.0.0.1:3000;"), config);
        assertTrue(config.contains("if ($fleet_peer = \"\") {"), config);
        assertTrue(config.contains("return 503 '{\"error\":\"no ready socket-node in fleet default/chat\"}';"), config);
    }

    @Test
    void workersAndShutdownTimeoutFollowTheRuntimeAndTheSpec() throws Exception {
        SocketFleet fleet = Fleets.fleet("chat", "default", 1);
        assertTrue(render(fleet, backends("10.0.0.1:3000")).contains("worker_shutdown_timeout 900s;"),
                "by default old workers keep their websockets for 15 minutes after a reload, not the drain period");
        fleet.getSpec().getNginx().setWorkerShutdownTimeoutSeconds(25);
        String config = NginxConfig.render(fleet, backends("10.0.0.1:3000"),
                new NginxRuntime("18080", false, 3, dir + "/nginx.pid", dir.toString(), dir + "/error.log", "off"));
        assertNull(Nginx.test(dir, config), config);
        assertTrue(config.contains("worker_processes 3;"), config);
        assertTrue(config.contains("worker_shutdown_timeout 25s;"), config);
        fleet.getSpec().getNginx().setWorkerShutdownTimeoutSeconds(0);
        assertTrue(render(fleet, backends("10.0.0.1:3000")).contains("worker_shutdown_timeout 1s;"),
                "0 would mean no timeout at all");
    }

    @Test
    void listensOnIpv4AndIpv6AsThePodDoes() throws Exception {
        NginxRuntime pod = NginxRuntime.inPod(Fleets.fleet("chat", "default", 1).getSpec().getNginx());
        NginxRuntime here = new NginxRuntime(pod.listen(), pod.ipv6(), pod.workerProcesses(), dir + "/nginx.pid", dir.toString(),
                dir + "/error.log warn", "off");
        for (List<Backend> list : List.of(backends("10.0.0.1:3000"), List.<Backend>of())) {
            String config = NginxConfig.render(Fleets.fleet("chat", "default", 1), list, here);
            assertNull(Nginx.test(dir, config), config);
            assertTrue(config.contains("        listen 8080;\n        listen [::]:8080;\n"), config);
        }
    }

    @Test
    void nothingSuppliedFromOutsideEndsACommentOrAString() throws Exception {
        String config = render(Fleets.fleet("chat", "default", 1),
                List.of(new Backend("x\n}\nserver { listen 9; location / { root /etc; } }\n#", "10.0.0.1", 3000)));
        assertFalse(config.contains("root /etc"), config);
        assertEquals(1, config.lines().filter(l -> l.contains("10.0.0.1:3000;  #")).count(), config);
        for (String name : List.of("x;}location/etc{", "chat.v2", "Chat")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> NginxConfig.render(Fleets.fleet(name, "default", 1), backends("10.0.0.1:3000"), Nginx.runtimeIn(dir, "18080")));
            assertTrue(refused.getMessage().startsWith("metadata.name"), refused.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> NginxConfig.render(Fleets.fleet("chat", "a/b", 1), backends("10.0.0.1:3000"), Nginx.runtimeIn(dir, "18080")));
        SocketFleet badKey = Fleets.fleet("chat", "default", 1);
        badKey.getSpec().getNginx().setHashKey("$a; include /etc/passwd");
        assertThrows(IllegalArgumentException.class, () -> NginxConfig.render(badKey, backends("10.0.0.1:3000"), Nginx.runtimeIn(dir, "18080")));
    }

    @Test
    void backendsMustBeIpLiterals() {
        assertThrows(IllegalArgumentException.class, () -> Backend.parse("x", "evil.example:3000"));
        assertThrows(IllegalArgumentException.class, () -> Backend.parse("x", "10.0.0.1:3000; include /etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> new Backend("x", "10.0.0.1", 0));
    }
}
