package dev.vppmaglev.health.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving backend on a real loopback socket: each accepted connection is handed to a
 * {@link Behaviour} on its own virtual thread. The factories are the faults an operator meets in
 * production (a crashing service, a wedged one, a slow one, a broken TLS terminator).
 */
final class HostileServer implements AutoCloseable {
    /** What the server does with one accepted connection. */
    interface Behaviour {
        void serve(Socket s, HostileServer server) throws IOException, InterruptedException;
    }

    /** Gap between two bytes of a trickle, as the fault is usually described. */
    static final Duration TRICKLE_GAP = Duration.ofMillis(100);
    /** A trickle stops after this many bytes (far past any probe timeout at one byte per 100 ms). */
    static final int TRICKLE_MAX_BYTES = 600;

    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();

    private HostileServer(String address, int backlog, Behaviour behaviour) throws IOException {
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByName(address), 0), backlog);
        if (behaviour == null) {
            acceptor = null;
            return;
        }
        acceptor = Thread.ofPlatform().daemon().name("hostile-" + listener.getLocalPort()).start(() -> {
            while (!listener.isClosed()) {
                Socket s;
                try {
                    s = listener.accept();
                } catch (IOException e) {
                    return;
                }
                accepted.incrementAndGet();
                maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                Thread.ofVirtual().start(() -> {
                    try {
                        behaviour.serve(s, this);
                    } catch (IOException | InterruptedException e) {
                        // the probe went away (it closes with RST): that is the point
                    } finally {
                        closeQuietly(s);
                        open.decrementAndGet();
                    }
                });
            }
        });
    }

    /** Accepts and resets at once ({@code SO_LINGER 0}): a crash-looping service behind a live listener. */
    static HostileServer resetting(String address) throws IOException {
        return new HostileServer(address, 50, (s, server) -> {
            s.setSoLinger(true, 0);
            s.close();
        });
    }

    /**
     * Reads the request head (for a tcp check: its {@code send} ending in an empty line), then
     * resets: the service dies on every request.
     */
    static HostileServer resettingAfterRequest(String address) throws IOException {
        return new HostileServer(address, 50, (s, server) -> {
            readRequestHead(s);
            s.setSoLinger(true, 0);
            s.close();
        });
    }

    /** Reads the ClientHello, then resets: a TLS terminator that crashes in the handshake. */
    static HostileServer resettingAfterClientHello(String address) throws IOException {
        return new HostileServer(address, 50, (s, server) -> {
            s.getInputStream().read(new byte[4096]);
            s.setSoLinger(true, 0);
            s.close();
        });
    }

    /** Accepts, never reads, never answers, never closes: a wedged process (half-open from the probe's side). */
    static HostileServer halfOpen(String address) throws IOException {
        return new HostileServer(address, 200, (s, server) -> server.hold(s));
    }

    /**
     * Reads the request, then sends a valid HTTP response one byte per {@link #TRICKLE_GAP}: the
     * status line itself arrives slowly, so the response is never complete within a probe timeout.
     */
    static HostileServer tricklingHeaders(String address) throws IOException {
        return new HostileServer(address, 50, (s, server) -> {
            readRequestHead(s);
            trickle(s.getOutputStream(), ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 400\r\nConnection: close\r\n\r\n" + "ok ".repeat(134)).getBytes(StandardCharsets.US_ASCII));
        });
    }

    /**
     * Sends {@code 200 OK} headers at once, then the body one byte per {@link #TRICKLE_GAP} with the
     * text an {@code expect-body} check looks for at its end.
     */
    static HostileServer tricklingBody(String address, String needle) throws IOException {
        return new HostileServer(address, 50, (s, server) -> {
            readRequestHead(s);
            String body = "x".repeat(TRICKLE_MAX_BYTES) + needle;
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            trickle(out, body.getBytes(StandardCharsets.US_ASCII));
        });
    }

    /** Accepts TCP and reads the ClientHello, but never sends a ServerHello: a stalled TLS terminator. */
    static HostileServer tlsStall(String address) throws IOException {
        return new HostileServer(address, 50, (s, server) -> {
            s.getInputStream().read(new byte[4096]); // the ClientHello, unanswered
            server.hold(s);
        });
    }

    /**
     * Reads the ClientHello, then trickles the first bytes of a TLS handshake record (type 22,
     * TLS 1.2, a length it never fills) one byte per {@link #TRICKLE_GAP}: the handshake makes
     * "progress" that never completes.
     */
    static HostileServer tlsTrickle(String address) throws IOException {
        return new HostileServer(address, 50, (s, server) -> {
            s.getInputStream().read(new byte[4096]);
            byte[] record = new byte[TRICKLE_MAX_BYTES];
            record[0] = 0x16;
            record[1] = 0x03;
            record[2] = 0x03;
            record[3] = 0x40; // length 0x4000: a full record that never arrives
            record[4] = 0x00;
            record[5] = 0x02; // ServerHello
            trickle(s.getOutputStream(), record);
        });
    }

    /**
     * A listener whose accept queue is full and never drained: the kernel drops further SYNs, so a
     * connect hangs until the prober's own timeout (a SYN black hole on loopback).
     */
    static HostileServer synBlackHole(String address) throws IOException {
        HostileServer server = new HostileServer(address, 1, null);
        for (int i = 0; i < 16; i++) {
            Socket c = new Socket();
            try {
                c.connect(server.listener.getLocalSocketAddress(), 300);
                server.held.add(c);
            } catch (SocketTimeoutException e) {
                c.close();
                return server; // the queue is full now
            }
        }
        server.close();
        throw new IllegalStateException("could not fill the accept queue of a backlog-1 listener");
    }

    /** A port on {@code address} where nothing listens (bound once, then closed): connects are refused. */
    static int closedPort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return s.getLocalPort();
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Most connections open at the same time (held ones count until the peer closes them). */
    int maxOpen() {
        return maxOpen.get();
    }

    /**
     * Keeps {@code s} open and unanswered until the peer gives up (what it sends is swallowed) or
     * the server closes.
     */
    private void hold(Socket s) throws IOException {
        held.add(s);
        try {
            InputStream in = s.getInputStream();
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // never answered
            }
        } finally {
            held.remove(s);
        }
    }

    static void readRequestHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        int state = 0; // matched bytes of \r\n\r\n
        for (int b = in.read(); b >= 0; b = in.read()) {
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1 -> b == '\n' ? 2 : (b == '\r' ? 1 : 0);
                case 3 -> b == '\n' ? 4 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                return;
            }
        }
    }

    private static void trickle(OutputStream out, byte[] bytes) throws IOException, InterruptedException {
        for (int i = 0; i < Math.min(bytes.length, TRICKLE_MAX_BYTES); i++) {
            out.write(bytes[i]);
            out.flush();
            Thread.sleep(TRICKLE_GAP);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : held) {
            closeQuietly(s);
        }
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
