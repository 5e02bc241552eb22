package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Engine.IO sessions on the fleet's ready socket-nodes, as the nodes report them. */
public class SessionsStatus {

    @JsonPropertyDescription("Sessions open on all ready socket-nodes that answered.")
    private Integer total;

    @JsonPropertyDescription("Fewest sessions on one ready socket-node.")
    private Integer min;

    @JsonPropertyDescription("Most sessions on one ready socket-node.")
    private Integer max;

    @JsonPropertyDescription("Most sessions on one node divided by the mean over the nodes: 1.0 is an even spread; "
            + "unset while there are no sessions.")
    private Double balance;

    @JsonPropertyDescription("Ready socket-nodes that reported their sessions (the others did not answer in time).")
    private Integer nodesReporting;

    public SessionsStatus() {
    }

    public SessionsStatus(int total, int min, int max, Double balance, int nodesReporting) {
        this.total = total;
        this.min = min;
        this.max = max;
        this.balance = balance;
        this.nodesReporting = nodesReporting;
    }

    public Integer getTotal() {
        return total;
    }

    public void setTotal(Integer total) {
        this.total = total;
    }

    public Integer getMin() {
        return min;
    }

    public void setMin(Integer min) {
        this.min = min;
    }

    public Integer getMax() {
        return max;
    }

    public void setMax(Integer max) {
        this.max = max;
    }

    public Double getBalance() {
        return balance;
    }

    public void setBalance(Double balance) {
        this.balance = balance;
    }

    public Integer getNodesReporting() {
        return nodesReporting;
    }

    public void setNodesReporting(Integer nodesReporting) {
        this.nodesReporting = nodesReporting;
    }
}
