package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stock @socket.io/admin-ui (its own UI bundle from node_modules, in headless Chromium) logged
 * in to one node of a two-node fleet on a real Redis: it lists both servers, and the sockets of
 * both nodes (official socket.io clients on each), and its dashboard charts count the connections
 * of both. A wrong password is refused. An admin connection made as the UI makes it is told of rooms
 * joined and left, of a transport upgrade, a change of socket.data and every event of a socket on the
 * other node while it stays connected; in production mode it gets the charts' figures and nothing else.
 */
class AdminUiIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path UI = Repo.ROOT.resolve("node_modules/@socket.io/admin-ui/ui/dist");
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theStockUiShowsEveryServerAndTheSocketsOfEveryNode() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is needed: sudo apt-get install chromium chromium-driver");
        assertTrue(Files.isRegularFile(UI.resolve("index.html")), "npm ci installs @socket.io/admin-ui with its UI bundle");
        String hash = bcrypt("s3cret");
        HttpServer ui = serve(UI);
        String uiOrigin = "http://127.0.0.1:" + ui.getAddress().getPort();

        int redisPort = Repo.freePort();
        processes.add(new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        int port = Repo.freePort();
        String a = node("127.0.0.2", port, "admin-a", redisPort, hash, uiOrigin);
        String b = node("127.0.0.3", port, "admin-b", redisPort, hash, uiOrigin);
        clients(a, 2);
        clients(b, 3);

        WebDriver browser = browser();
        browser.get(uiOrigin + "/");
        logIn(browser, "http://" + a, "admin", "s3cret");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> servers(browser).equals(Set.of("admin-a", "admin-b")));
            await().atMost(Duration.ofSeconds(30)).until(() -> socketHosts(browser, "/").size() == 5);
            Map<String, Long> perHost = new java.util.TreeMap<>();
            socketHosts(browser, "/").forEach(h -> perHost.merge(h, 1L, Long::sum));
            assertEquals(Map.of(a, 2L, b, 3L), perHost, "the sockets of both nodes, each with the node it is on");

            // The dashboard's charts add up the aggregated events of every server: clients that connect now,
            // one on the UI's node and two on the other, all show in its connections chart.
            assertTrue(features(browser).containsAll(List.of("AGGREGATED_EVENTS", "ALL_EVENTS")), features(browser).toString());
            long before = aggregated(browser, "rawConnection");
            clients(a, 1);
            clients(b, 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> aggregated(browser, "rawConnection") >= before + 3);
            assertTrue(aggregated(browser, "bytesIn") > 0 && aggregated(browser, "packetsOut") > 0, "bytes and packets charted");
            assertTrue(browser.findElements(By.tagName("canvas")).size() >= 2, "the dashboard draws its charts");
            screenshot(browser, "admin-ui-dashboard.png");

            // The servers page of the stock UI names both nodes.
            browser.get(uiOrigin + "/#/servers");
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
                String text = d.findElement(By.tagName("body")).getText();
                return text.contains("admin-a") && text.contains("admin-b");
            });
        } finally {
            screenshot(browser, "admin-ui-servers.png");
        }

        WebDriver stranger = browser();
        stranger.get(uiOrigin + "/");
        logIn(stranger, "http://" + b, "admin", "wrong");
        // "Invalid credentials" is the UI's own wording for exactly admin-ui's refusal, "invalid credentials".
        new WebDriverWait(stranger, Duration.ofSeconds(30)).until(d ->
                d.findElement(By.tagName("body")).getText().contains("Invalid credentials"));
        assertEquals(Set.of(), servers(stranger), "nothing reaches a UI that is not logged in");
    }

    /**
     * The live room updates the stock UI listens for: an admin connection on one node sees a socket
     * of the other node join and leave a room after it connected, without reconnecting.
     */
    @Test
    void roomChangesAndUpgradesOnAnotherNodeReachAConnectedUi() throws Exception {
        String hash = bcrypt("s3cret");
        int redisPort = Repo.freePort();
        processes.add(new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        int port = Repo.freePort();
        String a = node("127.0.0.2", port, "admin-a", redisPort, hash, "http://127.0.0.1");
        String b = node("127.0.0.3", port, "admin-b", redisPort, hash, "http://127.0.0.1");

        NodeProcess ui = new NodeProcess("admin-rooms.js",
                Map.of("admin", "http://" + a, "target", "http://" + b, "username", "admin", "password", "s3cret"));
        running.add(ui);
        JsonNode ready = ui.next();
        while (ready.has("event")) {
            ready = ui.next(); // the admin connection's own rooms, reported like any socket's
        }
        assertTrue(ready.path("ready").asBoolean(), ready.toString());
        String id = ready.path("id").asText();

        ui.send("join lobby");
        // The script answers with events only: a missing one must fail the test, not hang it.
        assertEquals(roomEvent("room_joined", "lobby", id),
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> nextRoomEvent(ui, "lobby")));
        ui.send("leave lobby");
        assertEquals(roomEvent("room_left", "lobby", id),
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> nextRoomEvent(ui, "lobby")));

        // A client of the other node that upgrades from polling to websocket after the UI connected.
        ui.send("upgrading");
        String updated = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            String upgrading = null;
            Map<String, String> updates = new java.util.HashMap<>(); // the update may overtake the client's own connect line
            for (JsonNode line = ui.next(); ; line = ui.next()) {
                if (line.has("upgrading")) {
                    upgrading = line.path("upgrading").asText();
                } else if ("socket_updated".equals(line.path("event").asText())) {
                    updates.put(line.path("id").asText(), line.path("nsp").asText() + " " + line.path("transport").asText());
                } else if ("disconnect".equals(line.path("event").asText())) {
                    throw new AssertionError("the admin connection dropped: " + line);
                }
                if (upgrading != null && updates.containsKey(upgrading)) {
                    return updates.get(upgrading);
                }
            }
        });
        assertEquals("/ websocket", updated, "socket_updated with the new transport");
    }

    /**
     * Development mode, admin-ui's default: an admin connection on one node hears a socket of the
     * other node change its data (socket_updated with the data), and every event it receives and sent
     * (event_received, event_sent); every server's server_stats carries the aggregated events the
     * dashboard charts (the other node's connection, packets and bytes).
     */
    @Test
    void dataChangesEventsAndChartFiguresOfAnotherNodeReachAConnectedUi() throws Exception {
        NodeProcess ui = adminEvents();
        JsonNode config = ui.next();
        assertTrue(config.path("config").path("supportedFeatures").toString().contains("ALL_EVENTS"), config.toString());
        assertTrue(config.path("config").path("supportedFeatures").toString().contains("AGGREGATED_EVENTS"), config.toString());
        Map<String, JsonNode> heard = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Map<String, JsonNode> found = new java.util.HashMap<>();
            Map<String, Long> otherNode = new java.util.HashMap<>();
            while (!(found.keySet().containsAll(Set.of("socket_updated", "event_received", "event_sent"))
                    && otherNode.getOrDefault("rawConnection", 0L) >= 1 && otherNode.getOrDefault("bytesIn", 0L) > 0)) {
                JsonNode line = ui.next();
                assertTrue(!"disconnect".equals(line.path("event").asText()), "the admin connection dropped: " + line);
                String event = line.path("event").asText();
                if (event.equals("socket_updated") || (line.path("args").path(0).asText().equals("chat") && !event.isEmpty())) {
                    found.putIfAbsent(event, line);
                }
                if ("admin-b".equals(line.path("stats").path("serverId").asText())) {
                    line.path("stats").path("aggregatedEvents").forEach(e ->
                            otherNode.merge(e.path("type").asText(), e.path("count").asLong(), Long::sum));
                }
            }
            return found;
        });
        assertEquals("{\"name\":\"ada\"}", heard.get("socket_updated").path("data").toString(), "socket.data as the app set it");
        assertEquals("hello admins", heard.get("event_received").path("args").path(1).path("text").asText());
        assertEquals("ada", heard.get("event_sent").path("args").path(1).path("from").asText(), "the chat broadcast reaching it");
    }

    /** Production mode: the dashboard's figures only — no socket list, no per-socket events. */
    @Test
    void productionModeSendsStatsAndChartsButNoSocketsOrEvents() throws Exception {
        NodeProcess ui = adminEvents("--admin-ui-mode", "production");
        JsonNode config = ui.next();
        String features = config.path("config").path("supportedFeatures").toString();
        assertTrue(features.contains("AGGREGATED_EVENTS") && !features.contains("ALL_EVENTS"), config.toString());
        List<JsonNode> seen = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<JsonNode> lines = new ArrayList<>();
            boolean chatted = false;
            int statsAfter = 0;
            long packetsIn = 0;
            // Two of the other node's stats after the chat was acknowledged: an event about it would have come by then.
            while (statsAfter < 2 || packetsIn == 0) {
                JsonNode line = ui.next();
                lines.add(line);
                chatted |= line.has("chatted");
                if ("admin-b".equals(line.path("stats").path("serverId").asText())) {
                    statsAfter += chatted ? 1 : 0;
                    for (JsonNode e : line.path("stats").path("aggregatedEvents")) {
                        packetsIn += e.path("type").asText().equals("packetsIn") ? e.path("count").asLong() : 0;
                    }
                }
            }
            return lines;
        });
        assertTrue(seen.stream().noneMatch(l -> l.has("event") || l.has("allSockets")), seen.toString());
    }

    /** Two nodes on a Redis and admin-events.js: its admin connection on the first, its client on the second. */
    private NodeProcess adminEvents(String... nodeArgs) throws Exception {
        String hash = bcrypt("s3cret");
        int redisPort = Repo.freePort();
        processes.add(new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        int port = Repo.freePort();
        String a = node("127.0.0.2", port, "admin-a", redisPort, hash, "http://127.0.0.1", nodeArgs);
        String b = node("127.0.0.3", port, "admin-b", redisPort, hash, "http://127.0.0.1", nodeArgs);
        NodeProcess ui = new NodeProcess("admin-events.js",
                Map.of("admin", "http://" + a, "target", "http://" + b, "username", "admin", "password", "s3cret"));
        running.add(ui);
        return ui;
    }

    private static String roomEvent(String event, String room, String id) {
        return event + " / " + room + " " + id;
    }

    /** The next room event about {@code room} (others, such as a socket's own room, are skipped). */
    private static String nextRoomEvent(NodeProcess ui, String room) throws IOException {
        for (JsonNode line = ui.next(); ; line = ui.next()) {
            assertTrue(line.has("event"), "the admin connection reported " + line);
            assertTrue(!"disconnect".equals(line.path("event").asText()), "the admin connection dropped: " + line);
            if (room.equals(line.path("room").asText())) {
                return line.path("event").asText() + " " + line.path("nsp").asText() + " " + room + " "
                        + line.path("id").asText();
            }
        }
    }

    /** A socket-node on {@code ip:port} with the admin UI on, on the shared Redis; its address. */
    private String node(String ip, int port, String name, int redisPort, String hash, String corsOrigin, String... more)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Repo.java(), "-Xmx128m", "-jar", Repo.requireJar(Repo.NODE_JAR).toString(),
                "--bind", ip, "--port", Integer.toString(port), "--node-name", name,
                "--redis-url", "redis://127.0.0.1:" + redisPort, "--cors-origins", corsOrigin,
                "--admin-ui", "true", "--admin-ui-password-hash", hash));
        command.addAll(List.of(more));
        Process node = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(node);
        String address = ip + ":" + port;
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://" + address + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("socketfleet_redis_connected 1.0"));
        return address;
    }

    /** Official socket.io clients held open on one node (the demo app greets each). */
    private void clients(String address, int count) throws Exception {
        NodeProcess clients = new NodeProcess("fleet-clients.js",
                Map.of("url", "http://" + address, "count", count, "mode", "websocket"));
        running.add(clients);
        JsonNode ready = clients.next();
        assertTrue(ready.has("ready"), ready.toString());
    }

    /** Fills the UI's own connection dialog: server URL, user name, password; then connects. */
    private static void logIn(WebDriver browser, String serverUrl, String username, String password) {
        List<WebElement> fields = new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            List<WebElement> inputs = d.findElements(By.cssSelector(".v-dialog form input[type=text], .v-dialog form input[type=password]"));
            return inputs.size() >= 3 && inputs.get(0).isDisplayed() ? inputs : null;
        });
        fields.get(0).clear();
        fields.get(0).sendKeys(serverUrl);
        fields.get(1).sendKeys(username);
        fields.get(2).sendKeys(password);
        browser.findElement(By.cssSelector(".v-dialog form button[type=submit]")).click();
    }

    /** The features the UI was told it may use. */
    @SuppressWarnings("unchecked")
    private static List<String> features(WebDriver browser) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('[data-app]').__vue__.$store.state.config.supportedFeatures");
    }

    /** The sum of one type of the UI's aggregated events (its store adds up every server's server_stats). */
    private static long aggregated(WebDriver browser, String type) {
        Object sum = ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('[data-app]').__vue__.$store.state.main.aggregatedEvents"
                        + ".filter(e => e.type === arguments[0]).reduce((n, e) => n + e.count, 0)", type);
        return ((Number) sum).longValue();
    }

    /** The servers the UI lists (its store, filled by server_stats). */
    @SuppressWarnings("unchecked")
    private static Set<String> servers(WebDriver browser) {
        Object ids = ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('[data-app]').__vue__.$store.state.servers.servers.map(s => s.serverId)");
        return new TreeSet<>((List<String>) ids);
    }

    /** The Host header each socket of a namespace connected with, as the UI holds them: the node it is on. */
    @SuppressWarnings("unchecked")
    private static List<String> socketHosts(WebDriver browser, String namespace) {
        Object hosts = ((JavascriptExecutor) browser).executeScript(
                "const ns = document.querySelector('[data-app]').__vue__.$store.state.main.namespaces"
                        + ".find(n => n.name === arguments[0]);"
                        + "return ns ? ns.sockets.map(s => s.handshake.headers.host) : [];", namespace);
        return (List<String>) hosts;
    }

    private WebDriver browser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        running.add(driver::quit);
        return driver;
    }

    /** The UI bundle as a static site on its own origin (as admin.socket.io serves it). */
    private HttpServer serve(Path root) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Path file = root.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
            byte[] body;
            int status = 200;
            if (file.startsWith(root) && Files.isRegularFile(file)) {
                body = Files.readAllBytes(file);
                exchange.getResponseHeaders().set("Content-Type", contentType(file.toString()));
            } else {
                body = "not found".getBytes(StandardCharsets.UTF_8);
                status = 404;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        running.add(() -> server.stop(0));
        return server;
    }

    private static String contentType(String name) {
        return name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".js") ? "application/javascript"
                : name.endsWith(".css") ? "text/css" : name.endsWith(".png") ? "image/png"
                : name.endsWith(".svg") ? "image/svg+xml" : "application/octet-stream";
    }

    /** A bcrypt hash made the way admin-ui's documentation says to: with bcryptjs. */
    private static String bcrypt(String password) throws Exception {
        Process node = new ProcessBuilder("node", "-e", "process.stdout.write(require('bcryptjs').hashSync(process.argv[1], 10))",
                password).directory(Repo.ROOT.toFile()).start();
        String hash = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS) && node.exitValue() == 0, "node could not hash with bcryptjs");
        return hash;
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Files.createDirectories(Repo.ARTIFACTS);
        Files.write(Repo.ARTIFACTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
