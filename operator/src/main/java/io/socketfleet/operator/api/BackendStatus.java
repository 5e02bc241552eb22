package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One socket-node endpoint. */
public class BackendStatus {

    @JsonPropertyDescription("Pod name.")
    private String name;

    @JsonPropertyDescription("IP:port nginx reaches the pod at.")
    private String address;

    @JsonPropertyDescription("Whether the pod is ready and so in the upstream: it takes new connections.")
    private Boolean ready;

    @JsonPropertyDescription("Whether the pod serves its existing sessions: true while ready, and while it drains after being "
            + "asked to stop. A serving pod that is not ready stays in nginx's session map but takes no new connections.")
    private Boolean serving;

    public BackendStatus() {
    }

    /** A backend that serves exactly when it is ready (it is not draining). */
    public BackendStatus(String name, String address, boolean ready) {
        this(name, address, ready, ready);
    }

    public BackendStatus(String name, String address, boolean ready, boolean serving) {
        this.name = name;
        this.address = address;
        this.ready = ready;
        this.serving = serving;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public Boolean getReady() {
        return ready;
    }

    public void setReady(Boolean ready) {
        this.ready = ready;
    }

    public Boolean getServing() {
        return serving;
    }

    public void setServing(Boolean serving) {
        this.serving = serving;
    }
}
