package dev.vppmaglev.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** A plain TCP server on loopback with a per-connection behaviour, for probe tests. */
final class RawServer implements AutoCloseable {
    interface Behaviour {
        void serve(Socket s) throws IOException;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> held = new ArrayList<>();

    /** Accepts connections and runs {@code behaviour} on each (then closes it). */
    RawServer(String address, Behaviour behaviour) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        acceptor = Thread.ofPlatform().daemon().name("raw-server-" + server.getLocalPort()).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            behaviour.serve(s);
                        } catch (IOException ignored) {
                            // the probe went away; fine
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Listens but never accepts: connections complete in the kernel and then nothing happens. */
    private RawServer(ServerSocket server) {
        this.server = server;
        this.acceptor = null;
    }

    static RawServer silent(String address) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 50);
        return new RawServer(s);
    }

    /**
     * A listener whose accept queue is full: further SYNs are dropped by the kernel, so a connect
     * hangs until the prober's timeout (deterministic L4TOUT on loopback).
     */
    static RawServer backlogFull(String address) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 1);
        RawServer r = new RawServer(s);
        for (int i = 0; i < 16; i++) {
            Socket c = new Socket();
            try {
                c.connect(s.getLocalSocketAddress(), 300);
                r.held.add(c);
            } catch (SocketTimeoutException e) {
                c.close();
                return r; // the queue is full now
            }
        }
        r.close();
        throw new IllegalStateException("could not fill the accept queue of a backlog-1 listener");
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
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
