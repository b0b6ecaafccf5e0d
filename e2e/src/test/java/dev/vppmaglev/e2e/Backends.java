package dev.vppmaglev.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Real HTTP backends on loopback addresses (127.0.0.x), all on one port. */
final class Backends implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();
    final int port;

    /** Finds a port free on every address in {@code addrs} and starts nothing yet. */
    Backends(String... addrs) throws IOException {
        int p = 0;
        for (int attempt = 0; attempt < 20 && p == 0; attempt++) {
            try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getByName(addrs[0]))) {
                int candidate = probe.getLocalPort();
                boolean free = true;
                for (String a : addrs) {
                    try (var s = new java.net.ServerSocket(candidate, 1, InetAddress.getByName(a))) {
                        // free here too
                    } catch (IOException e) {
                        if (!a.equals(addrs[0])) {
                            free = false;
                        }
                    }
                }
                if (free) {
                    p = candidate;
                }
            }
        }
        if (p == 0) {
            throw new IOException("no common free port on " + List.of(addrs));
        }
        port = p;
    }

    /** Starts an HTTP server on {@code addr:port} answering 200 "ok" on every path. */
    HttpServer start(String addr) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(addr), port), 16);
        s.createContext("/", ex -> {
            byte[] body = ("ok from " + addr + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        s.start();
        servers.add(s);
        return s;
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
