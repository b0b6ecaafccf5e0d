package dev.vppmaglev.health.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP backend on a fixed loopback address and port whose behaviour for the next connection
 * is chosen by the test ({@link #arm}): answer 200, answer 503, reset after the request, or
 * refuse (the listener is closed, and bound again on the same port when a later mode needs it).
 * A flaky service, scripted so that every probe's outcome is known in advance.
 */
final class ScriptedBackend implements AutoCloseable {
    /** What the next connection gets, and the probe code an http check reports for it. */
    enum Mode {
        PASS("L7OK", true),
        STATUS_503("L7STS", false),
        RESET("L7RSP", false),
        REFUSE("L4CON", false);

        final String code;
        final boolean ok;

        Mode(String code, boolean ok) {
            this.code = code;
            this.ok = ok;
        }
    }

    private final InetSocketAddress address;
    private ServerSocket listener; // guarded by this
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    ScriptedBackend(String address) throws IOException {
        ServerSocket s = bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        this.address = new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
        listen(s);
    }

    int port() {
        return address.getPort();
    }

    /** Sets what the next connection gets; closes or re-opens the listener as needed. Quick. */
    synchronized void arm(Mode next) throws IOException {
        mode = next;
        if (next == Mode.REFUSE) {
            if (listener != null) {
                listener.close();
                listener = null;
            }
        } else if (listener == null && !closed) {
            listen(bind(address));
        }
    }

    private static ServerSocket bind(InetSocketAddress at) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(at, 50);
        return s;
    }

    private synchronized void listen(ServerSocket s) {
        listener = s;
        Thread.ofPlatform().daemon().name("scripted-" + s.getLocalPort()).start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    Mode m = mode;
                    Thread.ofVirtual().start(() -> serve(c, m));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void serve(Socket c, Mode m) {
        try (c) {
            HostileServer.readRequestHead(c);
            OutputStream out = c.getOutputStream();
            switch (m) {
                case PASS -> out.write(("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
                        .getBytes(StandardCharsets.US_ASCII));
                case STATUS_503 -> out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n"
                        + "Connection: close\r\n\r\nbusy\n").getBytes(StandardCharsets.US_ASCII));
                case RESET, REFUSE -> c.setSoLinger(true, 0); // REFUSE: a connection that raced the close
            }
            out.flush();
        } catch (IOException ignored) {
            // the probe went away
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }
}
