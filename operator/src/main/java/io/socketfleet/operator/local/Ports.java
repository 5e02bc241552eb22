package io.socketfleet.operator.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks and picks TCP ports on loopback addresses. */
final class Ports {

    private Ports() {
    }

    static int free(String address) throws LocalFleetException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalFleetException("cannot open a port on " + address + ": " + e.getMessage());
        }
    }

    static void requireFree(String address, int port, String what) throws LocalFleetException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        } catch (IOException e) {
            throw new LocalFleetException(what + ": port " + port + " on " + address + " is in use (" + e.getMessage()
                    + "); stop whatever holds it or choose another port");
        }
    }
}
