package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did. */
public class SocketFleetStatus {

    @JsonPropertyDescription("The generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("socket-node pods that exist.")
    @StatusReplicas
    private Integer replicas;

    @JsonPropertyDescription("socket-node pods that are ready.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Label selector of the socket-node pods (for the scale subresource and HPAs).")
    @LabelSelector
    private String selector;

    @JsonPropertyDescription("Number of ready backends in the nginx upstream.")
    private Integer backendCount;

    @JsonPropertyDescription("socket-node endpoints known to the operator; the ready ones are in the nginx upstream.")
    private List<BackendStatus> backends = new ArrayList<>();

    @JsonPropertyDescription("Engine.IO sessions per ready socket-node, read from each node's GET /metrics "
            + "(socketfleet_sessions_open) every 30 s; unset until a node answers.")
    private SessionsStatus sessions;

    @JsonPropertyDescription("SHA-256 of the nginx.conf in the ConfigMap, also stamped on the nginx pods.")
    private String configHash;

    @JsonPropertyDescription("Ready, Progressing and Degraded, each with a reason and a message.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public Integer getBackendCount() {
        return backendCount;
    }

    public void setBackendCount(Integer backendCount) {
        this.backendCount = backendCount;
    }

    public List<BackendStatus> getBackends() {
        return backends;
    }

    public void setBackends(List<BackendStatus> backends) {
        this.backends = backends;
    }

    public SessionsStatus getSessions() {
        return sessions;
    }

    public void setSessions(SessionsStatus sessions) {
        this.sessions = sessions;
    }

    public String getConfigHash() {
        return configHash;
    }

    public void setConfigHash(String configHash) {
        this.configHash = configHash;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
