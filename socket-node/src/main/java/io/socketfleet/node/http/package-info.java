/**
 * The HTTP server: the Netty pipeline, routing of each request to the Engine.IO endpoint,
 * {@code /healthz}, {@code /readyz}, {@code /metrics} or the static page, CORS, and the
 * {@code Responder} that answers a request (the Engine.IO layer sees it as an
 * {@link io.socketfleet.node.engineio.HttpReply}).
 *
 * <p>May depend on {@code engineio} and {@code metrics}; only the root package uses it.
 */
package io.socketfleet.node.http;
