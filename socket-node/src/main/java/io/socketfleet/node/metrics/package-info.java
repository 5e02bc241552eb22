/**
 * The node's Prometheus metrics: every counter and gauge, registered in one place.
 *
 * <p>A leaf every package may use; depends on nothing of ours.
 */
package io.socketfleet.node.metrics;
