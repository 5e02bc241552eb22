package io.socketfleet.operator.reconciler;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@value #GAUGE} from each node's {@code GET /metrics} (the Prometheus text the node
 * serves anyway), all nodes at once, each within {@link #TIMEOUT}.
 */
public final class HttpNodeSessionsProbe implements NodeSessionsProbe {

    static final String GAUGE = "socketfleet_sessions_open";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Pattern SAMPLE = Pattern.compile("(?m)^" + GAUGE + "(?:\\{[^}]*})? ([0-9.eE+]+)$");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Override
    public List<Optional<Integer>> sessions(List<String> addresses) {
        List<CompletableFuture<Optional<Integer>>> answers = addresses.stream().map(this::ask).toList();
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private CompletableFuture<Optional<Integer>> ask(String address) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + "/metrics")).timeout(TIMEOUT).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> response.statusCode() == 200 ? parse(response.body()) : Optional.<Integer>empty())
                .exceptionally(e -> Optional.empty());
    }

    /** The gauge's value in a Prometheus text exposition, if it is there. */
    static Optional<Integer> parse(String exposition) {
        Matcher sample = SAMPLE.matcher(exposition);
        return sample.find() ? Optional.of((int) Double.parseDouble(sample.group(1))) : Optional.empty();
    }
}
