/**
 * Connection-aware autoscaling as a pure decision ({@code ReplicaRecommender}): the fleet's
 * sessions and the clock in, the replica count out. The operator and local mode both use it.
 *
 * <p>May use {@code api} only.
 */
package io.socketfleet.operator.autoscaling;
