/**
 * The operator's Prometheus metrics: JOSDK's reconcile counters and timers (its Micrometer
 * integration) and socketfleet's own per-fleet meters — backends, config rewrites, configs the
 * nginx pods confirmed, sessions per node — in one registry scraped at /metrics.
 */
package io.socketfleet.operator.metrics;
