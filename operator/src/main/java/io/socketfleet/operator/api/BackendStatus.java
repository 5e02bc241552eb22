package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One socket-node endpoint. */
public class BackendStatus {

    @JsonPropertyDescription("Pod name.")
    private String name;

    @JsonPropertyDescription("IP:port nginx reaches the pod at.")
    private String address;

    @JsonPropertyDescription("Whether the pod is ready and so in the upstream.")
    private Boolean ready;

    public BackendStatus() {
    }

    public BackendStatus(String name, String address, boolean ready) {
        this.name = name;
        this.address = address;
        this.ready = ready;
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
}
