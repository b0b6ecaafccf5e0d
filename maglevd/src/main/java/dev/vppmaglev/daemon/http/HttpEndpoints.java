package dev.vppmaglev.daemon.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener of {@code --metrics-addr}: {@code /metrics} (Prometheus text or OpenMetrics),
 * {@code /liveness} (200 while the process serves), {@code /readiness} (200 when ready, else 503
 * with the reason; spec README: config loaded and warmup finished, and VPP connected when VPP is
 * enabled).
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * @param readiness returns {@code null} when ready, else why not (one line)
     * @throws IOException when the address cannot be bound; the message names the flag and the
     *                     address, e.g. {@code --metrics-addr 127.0.0.1:9091: cannot listen:
     *                     Address already in use}
     */
    public HttpEndpoints(InetSocketAddress addr, PrometheusRegistry registry, Supplier<String> readiness)
            throws IOException {
        try {
            server = HttpServer.create(addr, 64);
        } catch (IOException e) {
            throw new IOException("--metrics-addr " + hostPort(addr) + ": cannot listen: " + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("http-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/liveness", ex -> reply(ex, 200, "ok\n"));
        server.createContext("/readiness", ex -> {
            String why = readiness.get();
            reply(ex, why == null ? 200 : 503, why == null ? "ready\n" : "not ready: " + why + "\n");
        });
        server.createContext("/", ex -> reply(ex, 404, "not found; try /metrics, /liveness or /readiness\n"));
        server.start();
        log.atInfo().setMessage("metrics-listen").addKeyValue("addr", server.getAddress().toString()).log();
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
