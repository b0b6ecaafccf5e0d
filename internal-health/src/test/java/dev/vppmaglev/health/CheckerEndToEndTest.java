package dev.vppmaglev.health;

import static dev.vppmaglev.health.Fixtures.backend;
import static dev.vppmaglev.health.Fixtures.check;
import static dev.vppmaglev.health.Fixtures.config;
import static dev.vppmaglev.health.Fixtures.frontend;
import static dev.vppmaglev.health.Fixtures.http;
import static dev.vppmaglev.health.Fixtures.member;
import static dev.vppmaglev.health.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.PoolBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checker with the real prober, a real scheduler and a real HTTP server on loopback. */
class CheckerEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private NetProber prober;
    private ScheduledThreadPoolExecutor scheduler;
    private Checker checker;
    private final RecordingListener events = new RecordingListener();
    private HttpServer server;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        prober = NetProber.create("e2e");
        scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        checker = new Checker(prober, scheduler, Clock.systemUTC(), new SplittableRandom());
        checker.addListener(events);
        server = start(0);
        port = server.getAddress().getPort();
    }

    @AfterEach
    void tearDown() {
        checker.close();
        scheduler.shutdownNow();
        prober.close();
        if (server != null) {
            server.stop(0);
        }
    }

    private static HttpServer start(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        s.createContext("/healthz", ex -> {
            byte[] body = "ok\n".getBytes();
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        s.start();
        return s;
    }

    private HealthCheck fastHttp() {
        return check("http", CheckType.HTTP).port(port).interval(Duration.ofMillis(100))
                .timeout(Duration.ofMillis(500)).riseFall(2, 2).params(http("/healthz")).build();
    }

    @Test
    void serverStopAndStartDriveDownAndUp() throws IOException {
        checker.apply(config(List.of(fastHttp()), List.of(backend("web1", "127.0.0.1", "http")),
                List.of(frontend("web", pool("p", member("web1"))))));
        await().atMost(PATIENCE).until(() -> checker.status("web1").counter() == 3); // fully up
        assertThat(checker.frontendState("web")).isEqualTo(FrontendState.UP);
        events.drain();

        server.stop(0);
        server = null;
        await().atMost(PATIENCE).until(() -> checker.state("web1") == BackendState.DOWN);
        List<String> toDown = events.drain();
        int down = indexStarting(toDown, "backend web1 up->down ");
        List<String> before = toDown.subList(0, down).stream().filter(e -> e.startsWith("probe")).toList();
        // from the top (3) exactly fall = 2 failures, then the transition and then the frontend's
        assertThat(before.stream().filter(e -> !e.endsWith("L7OK"))).hasSize(2);
        assertThat(before.subList(before.size() - 2, before.size())).noneMatch(e -> e.endsWith("L7OK"));
        assertThat(toDown.subList(down, toDown.size())).contains("frontend web up->down");
        await().atMost(PATIENCE).until(() -> checker.status("web1").lastResult().detail().equals("connection refused"));

        await().atMost(PATIENCE).until(() -> checker.status("web1").counter() == 0); // fully down
        events.drain();
        server = start(port);
        await().atMost(PATIENCE).until(() -> checker.state("web1") == BackendState.UP);
        List<String> toUp = events.drain();
        int up = toUp.indexOf("backend web1 down->up L7OK");
        List<String> probes = toUp.subList(0, up).stream().filter(e -> e.startsWith("probe")).toList();
        // from the bottom exactly rise = 2 passes
        assertThat(probes.stream().filter(e -> e.endsWith("L7OK"))).hasSize(2);
        assertThat(probes.subList(probes.size() - 2, probes.size())).allMatch(e -> e.endsWith("L7OK"));
        assertThat(toUp.subList(up, toUp.size())).contains("frontend web down->up");
    }

    private static int indexStarting(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no event starting with " + prefix + " in " + events);
    }

    @Test
    void hundredsOfBackendsNeedNoThreadEach() {
        checker.apply(config(List.of(fastHttp()), List.of(backend("warm", "127.0.0.1", "http")), List.of()));
        await().atMost(PATIENCE).until(() -> checker.state("warm") == BackendState.UP);
        int threads = Thread.activeCount();

        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            backends.add(backend("b" + i, "127.0.0.1", "http"));
        }
        HealthCheck calm = check("http", CheckType.HTTP).port(port).interval(Duration.ofMillis(500))
                .timeout(Duration.ofMillis(500)).riseFall(2, 2).params(http("/healthz")).build();
        checker.apply(config(List.of(calm), backends, List.of(frontend("all", pool("p",
                backends.stream().map(b -> member(b.name())).toArray(PoolBackend[]::new))))));
        await().atMost(PATIENCE).until(() -> checker.statuses().stream().allMatch(s -> s.state() == BackendState.UP));
        assertThat(checker.frontendState("all")).isEqualTo(FrontendState.UP);
        assertThat(Thread.activeCount() - threads).as("threads added for 300 backends").isLessThan(10);
        assertThat(scheduler.getQueue()).as("one timer per backend at most").hasSizeLessThanOrEqualTo(300);
    }

    @Test
    void icmpBackendAgainstLoopback() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestNetns.root(), "raw ICMP needs root (CI runs as root)");
        HealthCheck ping = check("ping", CheckType.ICMP).interval(Duration.ofMillis(100))
                .timeout(Duration.ofMillis(500)).build();
        checker.apply(config(List.of(ping), List.of(backend("lo4", "127.0.0.1", "ping"),
                backend("lo6", "::1", "ping")), List.of()));
        await().atMost(PATIENCE).until(() -> checker.state("lo4") == BackendState.UP
                && checker.state("lo6") == BackendState.UP);
        assertThat(checker.status("lo6").lastResult().code()).isEqualTo(ResultCodes.ICMPOK);
    }
}
