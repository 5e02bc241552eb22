package io.socketfleet.operator.reconciler;

import io.socketfleet.operator.nginx.NginxConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** GET http://POD_IP:PORT/nginx-healthz and read the {@value NginxConfig#CONFIG_ID_HEADER} header. */
public final class HttpNginxConfigProbe implements NginxConfigProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Override
    public Optional<String> configId(String podIp, int port) {
        String host = podIp.contains(":") ? "[" + podIp + "]" : podIp;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/nginx-healthz"))
                .timeout(TIMEOUT).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).headers().firstValue(NginxConfig.CONFIG_ID_HEADER);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
