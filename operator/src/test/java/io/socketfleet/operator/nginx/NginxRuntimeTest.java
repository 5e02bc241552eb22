package io.socketfleet.operator.nginx;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.socketfleet.operator.api.NginxSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where nginx runs: worker count from the container's CPU, dual-stack in the pod, nothing unsafe written. */
class NginxRuntimeTest {

    private static NginxSpec nginx(String cpuRequest, String cpuLimit) {
        NginxSpec nginx = new NginxSpec();
        var resources = new ResourceRequirementsBuilder();
        if (cpuRequest != null) {
            resources.addToRequests("cpu", new Quantity(cpuRequest));
        }
        if (cpuLimit != null) {
            resources.addToLimits("cpu", new Quantity(cpuLimit));
        }
        nginx.setResources(resources.build());
        return nginx;
    }

    @Test
    void oneWorkerPerCpuOfTheLimitRoundedUp() {
        assertEquals(1, NginxRuntime.inPod(nginx(null, "500m")).workerProcesses());
        assertEquals(2, NginxRuntime.inPod(nginx("100m", "1500m")).workerProcesses());
        assertEquals(4, NginxRuntime.inPod(nginx("1", "4")).workerProcesses());
        assertEquals(3, NginxRuntime.inPod(nginx("2500m", null)).workerProcesses(), "no limit: the request");
        assertEquals(1, NginxRuntime.inPod(new NginxSpec()).workerProcesses(), "neither: one worker, not one per host CPU");
    }

    @Test
    void thePodListensOnIpv4AndIpv6() {
        assertEquals(List.of("8080", "[::]:8080"), NginxRuntime.inPod(new NginxSpec()).listenDirectives());
        assertEquals(List.of("127.0.0.1:9090"), new NginxRuntime("127.0.0.1:9090", "/tmp/p", "/tmp", "/tmp/e warn", "off")
                .listenDirectives());
    }

    @Test
    void refusesWhatWouldChangeTheConfigsMeaning() {
        for (String listen : List.of("8080; include /etc/passwd", "8080 default_server", "0", "host:80;", "")) {
            assertThrows(IllegalArgumentException.class, () -> new NginxRuntime(listen, "/tmp/p", "/tmp", "/tmp/e", "off"), listen);
        }
        for (String path : List.of("/tmp/a;b", "/tmp/a}", "/tmp/$host", "/tmp/a\nb", "/tmp/'a'", "/tmp/a#b")) {
            assertThrows(IllegalArgumentException.class, () -> new NginxRuntime("8080", path, "/tmp", "/tmp/e", "off"), path);
            assertThrows(IllegalArgumentException.class, () -> new NginxRuntime("8080", "/tmp/p", path, "/tmp/e", "off"), path);
        }
        assertThrows(IllegalArgumentException.class, () -> new NginxRuntime("127.0.0.1:80", true, 1, "/p", "/t", "/e", "off"),
                "IPv6 beside an IPv4 address");
        assertThrows(IllegalArgumentException.class, () -> new NginxRuntime("80", false, 0, "/p", "/t", "/e", "off"));
    }
}
