/**
 * The {@code @socket.io/admin-ui} server protocol (admin-ui 0.5's {@code instrument()}): the
 * {@code /admin} namespace with bcrypt basic auth, its events and server stats — through the
 * namespace's broadcasts and the fleet-wide {@code fetchSockets} and socketsJoin/Leave/disconnect,
 * so one UI connected to any node sees every node, socket and room of the fleet.
 */
package io.socketfleet.node.admin;
