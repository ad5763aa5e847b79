package dev.grantflow.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports for local processes (the broker, the services of the local stack). Several ports for one process
 * are taken while all their sockets are open, so they are distinct: free ports asked for one after the other may be
 * the same port twice (the test broker once got its client and controller listeners on one port that way).
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** {@code count} distinct ports that were free a moment ago (sockets bound with port 0, then closed). */
    public static int[] of(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
                socket.setReuseAddress(true);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a listening socket that was never used: nothing to do
                }
            }
        }
    }
}
