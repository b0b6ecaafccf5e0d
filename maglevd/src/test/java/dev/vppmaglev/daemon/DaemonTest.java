package dev.vppmaglev.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vppmaglev.daemon.logging.LogLevel;
import dev.vppmaglev.daemon.logging.Logging;
import dev.vppmaglev.daemon.logging.SlogEncoder;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.GetBackendRequest;
import dev.vppmaglev.proto.GetVersionRequest;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A whole {@link Daemon} in this JVM, as {@code Main} runs it, with real listeners on loopback and
 * real probes: backend {@code a} answers HTTP on a loopback port (up), {@code b} is probed on a
 * port where nothing listens (down, L4CON), {@code c} is disabled in the config. Read over real
 * gRPC and HTTP: every daemon metric with a value the checker's state dictates, /liveness,
 * /readiness, grpc.health.v1, both reflection versions, and how open WatchEvents streams end when
 * the daemon stops.
 */
class DaemonTest {
    @TempDir
    Path dir;

    private HttpServer backend;
    private Logging logging;
    private Daemon daemon;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        backend.createContext("/healthz", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        backend.start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // free again once closed: probes get connection refused
        }
        Path cfg = dir.resolve("maglev.yaml");
        Files.writeString(cfg, """
                maglev:
                  healthchecks:
                    web:
                      type: http
                      port: %d
                      interval: 200ms
                      fast-interval: 100ms
                      down-interval: 200ms
                      timeout: 2s
                      rise: 2
                      fall: 3
                      params: { path: /healthz }
                    closed:
                      type: tcp
                      port: %d
                      interval: 200ms
                      fast-interval: 100ms
                      down-interval: 200ms
                      timeout: 2s
                      rise: 2
                      fall: 3
                  backends:
                    a: { address: 127.0.0.1, healthcheck: web }
                    b: { address: 127.0.0.2, healthcheck: closed }
                    c: { address: 127.0.0.3, healthcheck: web, enabled: false }
                  frontends:
                    site:
                      address: 192.0.2.10
                      protocol: tcp
                      port: 80
                      pools:
                        - name: main
                          backends: { a: { weight: 40 }, b: { weight: 50 }, c: {} }
                """.formatted(backend.getAddress().getPort(), closedPort));
        Flags flags = new Flags();
        new CommandLine(flags).parseArgs("--config", cfg.toString(), "--grpc-addr", "127.0.0.1:0",
                "--metrics-addr", "127.0.0.1:0", "--vpp-api-addr", "");
        logging = Logging.configure(LogLevel.INFO, SlogEncoder.Format.JSON, OutputStream.nullOutputStream());
        daemon = Daemon.start(flags, new BuildInfo("1.2.3", "abc1234", "2026-01-02T03:04:05Z"), logging,
                Instant.now());
    }

    @AfterEach
    void stop() {
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        daemon.close();
        backend.stop(0);
        logging.close();
    }

    private ManagedChannel channel() {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", daemon.grpcPort()).usePlaintext().build();
        channels.add(c);
        return c;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.metricsPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the one sample {@code series} (name and labels exactly as exposed). */
    private static double sample(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("no sample %s in:%n%s", series, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void everyDaemonMetricCarriesTheCheckersState() throws Exception {
        // a up after rise=2 passes, b down after failures; then every probe-fed series has data.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String m = get("/metrics").body();
            assertThat(sample(m, "maglev_backend_state{backend=\"a\"}")).isEqualTo(1.0);
            assertThat(sample(m, "maglev_backend_state{backend=\"b\"}")).isEqualTo(2.0);
            assertThat(sample(m, "maglev_backend_health{backend=\"a\"}")).isEqualTo(4.0);
        });
        MaglevGrpc.MaglevBlockingStub stub = MaglevGrpc.newBlockingStub(channel());
        stub.getVersion(GetVersionRequest.getDefaultInstance());
        stub.getVersion(GetVersionRequest.getDefaultInstance());
        assertThatThrownBy(() -> stub.getBackend(GetBackendRequest.newBuilder().setName("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

        String m = get("/metrics").body();
        // States: disabled is 4; c is never probed.
        assertThat(sample(m, "maglev_backend_state{backend=\"c\"}")).isEqualTo(4.0);
        // Rise/fall counter: a at the top (rise + fall - 1 = 4), b at the bottom.
        assertThat(sample(m, "maglev_backend_health{backend=\"b\"}")).isZero();
        assertThat(sample(m, "maglev_backend_enabled{backend=\"a\"}")).isEqualTo(1.0);
        assertThat(sample(m, "maglev_backend_enabled{backend=\"b\"}")).isEqualTo(1.0);
        assertThat(sample(m, "maglev_backend_enabled{backend=\"c\"}")).isZero();
        // Probes by result and code: a's HTTP probes passed, b's TCP probes were refused; each
        // probe is also one observation of its duration (both are fed by the same onProbe, so a
        // scrape between the two updates may differ by one: read again until they agree).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String again = get("/metrics").body();
            assertThat(sample(again, "maglev_probe_duration_seconds_count{backend=\"a\",type=\"http\"}"))
                    .isEqualTo(sample(again,
                            "maglev_probe_total{backend=\"a\",code=\"L7OK\",result=\"success\",type=\"http\"}"));
            assertThat(sample(again, "maglev_probe_duration_seconds_count{backend=\"b\",type=\"tcp\"}"))
                    .isEqualTo(sample(again,
                            "maglev_probe_total{backend=\"b\",code=\"L4CON\",result=\"failure\",type=\"tcp\"}"));
        });
        assertThat(sample(m, "maglev_probe_total{backend=\"a\",code=\"L7OK\",result=\"success\",type=\"http\"}"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(sample(m, "maglev_probe_total{backend=\"b\",code=\"L4CON\",result=\"failure\",type=\"tcp\"}"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(m).doesNotContain("maglev_probe_total{backend=\"c\"")
                .doesNotContain("maglev_probe_total{backend=\"a\",code=\"L4CON\"")
                .doesNotContain("result=\"success\",type=\"tcp\"");
        // Probe durations in seconds, the reference's buckets (loopback: well under 2.5 s).
        double aCount = sample(m, "maglev_probe_duration_seconds_count{backend=\"a\",type=\"http\"}");
        assertThat(aCount).isGreaterThanOrEqualTo(1.0);
        assertThat(sample(m, "maglev_probe_duration_seconds_bucket{backend=\"a\",type=\"http\",le=\"2.5\"}"))
                .isEqualTo(aCount);
        double aSum = sample(m, "maglev_probe_duration_seconds_sum{backend=\"a\",type=\"http\"}");
        assertThat(aSum).isPositive().isLessThan(aCount * 2.5);
        assertThat(m).contains("maglev_probe_duration_seconds_bucket{backend=\"a\",type=\"http\",le=\"0.001\"}")
                .contains("maglev_probe_duration_seconds_bucket{backend=\"a\",type=\"http\",le=\"0.0025\"}");
        // Effective weights: a carries its configured 40, down b and disabled c get 0.
        assertThat(sample(m, "maglev_frontend_pool_backend_weight{backend=\"a\",frontend=\"site\",pool=\"main\"}"))
                .isEqualTo(40.0);
        assertThat(sample(m, "maglev_frontend_pool_backend_weight{backend=\"b\",frontend=\"site\",pool=\"main\"}"))
                .isZero();
        assertThat(sample(m, "maglev_frontend_pool_backend_weight{backend=\"c\",frontend=\"site\",pool=\"main\"}"))
                .isZero();
        assertThat(sample(m,
                "maglev_frontend_pool_backend_configured_weight{backend=\"b\",frontend=\"site\",pool=\"main\"}"))
                .isEqualTo(50.0);
        assertThat(sample(m,
                "maglev_frontend_pool_backend_configured_weight{backend=\"c\",frontend=\"site\",pool=\"main\"}"))
                .isEqualTo(100.0);
        assertThat(sample(m, "maglev_frontend_state{frontend=\"site\"}")).isEqualTo(1.0);
        // Transitions from the initial unknown state.
        assertThat(sample(m, "maglev_backend_transitions_total{backend=\"a\",from=\"unknown\",to=\"up\"}"))
                .isEqualTo(1.0);
        assertThat(sample(m, "maglev_backend_transitions_total{backend=\"b\",from=\"unknown\",to=\"down\"}"))
                .isEqualTo(1.0);
        // gRPC calls by method and status code, counted when they finish.
        assertThat(sample(m, "maglev_grpc_requests_total{code=\"OK\",method=\"GetVersion\"}")).isEqualTo(2.0);
        assertThat(sample(m, "maglev_grpc_requests_total{code=\"NOT_FOUND\",method=\"GetBackend\"}"))
                .isEqualTo(1.0);
    }

    @Test
    void livenessReadinessAndGrpcHealthSayServing() throws Exception {
        HttpResponse<String> live = get("/liveness");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("ok\n");
        HttpResponse<String> ready = get("/readiness");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);

        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel());
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("maglev.Maglev").build()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
        assertThatThrownBy(() -> health.check(HealthCheckRequest.newBuilder().setService("no.Such").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(get("/metrics").body()).contains("maglev_grpc_requests_total{code=\"OK\",method=\"Check\"} 2.0");
    }

    @Test
    void bothReflectionVersionsListTheServices() throws Exception {
        ManagedChannel c = channel();
        CompletableFuture<List<String>> v1 = new CompletableFuture<>();
        StreamObserver<io.grpc.reflection.v1.ServerReflectionRequest> v1Requests =
                io.grpc.reflection.v1.ServerReflectionGrpc.newStub(c).serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(io.grpc.reflection.v1.ServerReflectionResponse r) {
                        v1.complete(r.getListServicesResponse().getServiceList().stream()
                                .map(s -> s.getName()).toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        v1.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        v1Requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("*").build());
        v1Requests.onCompleted();

        CompletableFuture<List<String>> v1alpha = new CompletableFuture<>();
        StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> alphaRequests =
                io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(c).serverReflectionInfo(
                        new StreamObserver<>() {
                            @Override
                            public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse r) {
                                v1alpha.complete(r.getListServicesResponse().getServiceList().stream()
                                        .map(s -> s.getName()).toList());
                            }

                            @Override
                            public void onError(Throwable t) {
                                v1alpha.completeExceptionally(t);
                            }

                            @Override
                            public void onCompleted() {}
                        });
        alphaRequests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setListServices("*").build());
        alphaRequests.onCompleted();

        assertThat(v1.get(30, TimeUnit.SECONDS)).contains("maglev.Maglev", "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
        assertThat(v1alpha.get(30, TimeUnit.SECONDS)).contains("maglev.Maglev", "grpc.health.v1.Health");
    }

    @Test
    void aListenerThatCannotBindIsNamedWithItsAddress() throws Exception {
        Path cfg = dir.resolve("maglev.yaml");
        Flags metricsTaken = new Flags();
        new CommandLine(metricsTaken).parseArgs("--config", cfg.toString(), "--grpc-addr", "127.0.0.1:0",
                "--metrics-addr", "127.0.0.1:" + daemon.metricsPort(), "--vpp-api-addr", "");
        assertThatThrownBy(() -> Daemon.start(metricsTaken, BuildInfo.load(), logging, Instant.now()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage("--metrics-addr 127.0.0.1:" + daemon.metricsPort() + ": cannot listen: Address already in use");
        Flags grpcTaken = new Flags();
        new CommandLine(grpcTaken).parseArgs("--config", cfg.toString(), "--grpc-addr", "127.0.0.1:" + daemon.grpcPort(),
                "--metrics-addr", "127.0.0.1:0", "--vpp-api-addr", "");
        assertThatThrownBy(() -> Daemon.start(grpcTaken, BuildInfo.load(), logging, Instant.now()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage("--grpc-addr 127.0.0.1:" + daemon.grpcPort() + ": cannot listen: Address already in use");
        // The running daemon is unharmed.
        assertThat(get("/liveness").statusCode()).isEqualTo(200);
    }

    /** One WatchEvents client: what it got and how its stream ended. */
    private static final class Watcher implements StreamObserver<Event> {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();

        @Override
        public void onNext(Event e) {
            events.add(e);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
        }
    }

    @Test
    void stoppingEndsOpenWatchStreamsWithUnavailable() throws Exception {
        List<Watcher> watchers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Watcher w = new Watcher();
            watchers.add(w);
            MaglevGrpc.newStub(channel()).watchEvents(WatchRequest.getDefaultInstance(), w);
        }
        // Each got its frontend snapshot: the subscription is live.
        await().atMost(Duration.ofSeconds(30)).until(() -> watchers.stream().allMatch(w -> w.events.stream()
                .anyMatch(Event::hasFrontend)));

        daemon.close();

        for (Watcher w : watchers) {
            Status s = w.ended.get(30, TimeUnit.SECONDS);
            assertThat(s.getCode()).as(s.toString()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(s.getDescription()).isEqualTo("maglevd is shutting down");
        }
    }
}
