package dev.vppmaglev.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.vppmaglev.proto.GetVPPLBCountersRequest;
import dev.vppmaglev.proto.GetVPPLBStateRequest;
import dev.vppmaglev.proto.ListBackendsRequest;
import dev.vppmaglev.proto.ListBackendsResponse;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.VIPCounters;
import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.fake.FakeVpp.Fault;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code bin/maglevd} as a process against an in-JVM fake VPP (API + stats segment) with real
 * HTTP backends on loopback addresses, through VPP faults: a dropped connection, garbage on the
 * API stream, replies slower than the request timeout, a VPP restart with an empty table. During
 * all of them maglevd keeps answering {@code ListBackends} on its gRPC TCP port and serving
 * {@code /metrics} (each within a 2 s deadline, against VPP calls that time out after 5 s); after
 * each, the VIPs in VPP converge to what the backends' health wants, including health changes
 * made while VPP was unusable, and the counters are read again. An RPC that needs VPP while it
 * is too slow fails with UNAVAILABLE after the request timeout instead of hanging.
 */
class VppFaultsE2ETest {
    private static final Duration LONG = Duration.ofSeconds(60);
    /** Well under maglevd's VPP request timeout (5 s): an answer that waited for VPP would miss it. */
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final String WEB = "192.0.2.10/32 tcp 80";
    private static final String ANY = "192.0.2.11/32 any 0";

    @TempDir
    Path dir;
    FakeVpp fake;
    Programs.Maglevd maglevd;
    ManagedChannel channel;
    final List<HttpServer> backends = new ArrayList<>();
    final Map<String, Boolean> healthy = new ConcurrentHashMap<>();
    final List<Long> grpcMs = new CopyOnWriteArrayList<>();
    final List<Long> metricsMs = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    volatile boolean probing = true;

    @AfterEach
    void stop() throws Exception {
        probing = false;
        if (maglevd != null) { // maglevd's side of the story, for the test report
            maglevd.logLines(l -> l.contains("\"msg\":\"vpp-") && !l.contains("\"level\":\"DEBUG\""))
                    .forEach(System.out::println);
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (maglevd != null) {
            maglevd.close();
        }
        backends.forEach(s -> s.stop(0));
        if (fake != null) {
            fake.close();
        }
    }

    /** Four HTTP backends on 127.0.0.11-14, one port (the health check's); /healthz answers 200 or 503. */
    private int startBackends() throws IOException {
        for (int attempt = 0; ; attempt++) {
            backends.forEach(s -> s.stop(0));
            backends.clear();
            try {
                int port = 0;
                for (int i = 11; i <= 14; i++) {
                    String address = "127.0.0." + i;
                    healthy.put(address, true);
                    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
                    s.createContext("/healthz", ex -> {
                        int code = healthy.get(address) ? 200 : 503;
                        byte[] body = (code == 200 ? "ok\n" : "draining\n").getBytes(StandardCharsets.UTF_8);
                        ex.sendResponseHeaders(code, body.length);
                        ex.getResponseBody().write(body);
                        ex.close();
                    });
                    s.start();
                    backends.add(s);
                    port = s.getAddress().getPort();
                }
                return port;
            } catch (BindException e) {
                if (attempt == 5) {
                    throw e; // the same port on four loopback addresses keeps colliding
                }
            }
        }
    }

    private Path config(int port) throws IOException {
        Path cfg = dir.resolve("maglev.yaml");
        Files.writeString(cfg, """
                maglev:
                  vpp:
                    lb:
                      ipv4-src-address: 192.0.2.254
                      sync-interval: 30s
                      startup-min-delay: 0s
                      startup-max-delay: 0s
                  healthchecks:
                    web:
                      type: http
                      port: %d
                      interval: 200ms
                      timeout: 1s
                      rise: 1
                      fall: 1
                      params: { path: /healthz }
                  backends:
                    b11: { address: 127.0.0.11, healthcheck: web }
                    b12: { address: 127.0.0.12, healthcheck: web }
                    b13: { address: 127.0.0.13, healthcheck: web }
                    b14: { address: 127.0.0.14, healthcheck: web }
                  frontends:
                    web:
                      address: 192.0.2.10
                      protocol: tcp
                      port: 80
                      pools:
                        - name: primary
                          backends: { b11: {}, b12: { weight: 50 }, b13: {} }
                        - name: backup
                          backends: { b14: {} }
                    any:
                      address: 192.0.2.11
                      pools:
                        - name: only
                          backends: { b13: { weight: 20 }, b14: { weight: 80 } }
                """.formatted(port));
        return cfg;
    }

    /** Per live VIP in the fake VPP: its in-use ASes and weights. */
    private Map<String, Map<String, Integer>> vpp() {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (CliVip v : ShowLbVipsParser.parseVerbose(fake.cli("show lb vips verbose"))) {
            if (!v.removed()) {
                Map<String, Integer> ases = new TreeMap<>();
                for (CliAs a : v.ases()) {
                    if (a.used()) {
                        ases.put(IpFormat.format(a.address()), a.weight());
                    }
                }
                out.put(v.key().toString(), ases);
            }
        }
        return out;
    }

    /** What the backends' health wants (behaviour.md §4.2), for this config. */
    private Map<String, Map<String, Integer>> wanted() {
        boolean b11 = healthy.get("127.0.0.11");
        boolean b12 = healthy.get("127.0.0.12");
        boolean b13 = healthy.get("127.0.0.13");
        boolean b14 = healthy.get("127.0.0.14");
        boolean primary = b11 || b12 || b13;
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        out.put(WEB, new TreeMap<>(Map.of("127.0.0.11", primary && b11 ? 100 : 0, "127.0.0.12", primary && b12 ? 50 : 0,
                "127.0.0.13", primary && b13 ? 100 : 0, "127.0.0.14", !primary && b14 ? 100 : 0)));
        out.put(ANY, new TreeMap<>(Map.of("127.0.0.13", b13 ? 20 : 0, "127.0.0.14", b14 ? 80 : 0)));
        return out;
    }

    private void awaitConverged(String what) {
        await(what).atMost(LONG).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(vpp()).as(what).isEqualTo(wanted()));
    }

    /** Counts traffic on the web VIP in the fake and waits until maglevd's GetVPPLBCounters reports it. */
    private void awaitCounters(String what) throws Exception {
        LbVip web = LbVip.host(InetAddress.getByName("192.0.2.10"), 6, 80);
        fake.bumpVip(web, 3, 4, 0, 0, 7, 700);
        int index = fake.vipIndex(web).orElseThrow();
        long[] model = fake.vipCounters(index); // next, first, untracked, no server
        MaglevGrpc.MaglevBlockingStub stub = MaglevGrpc.newBlockingStub(channel);
        await(what).atMost(LONG).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            VIPCounters c = stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .getVPPLBCounters(GetVPPLBCountersRequest.getDefaultInstance()).getVipsList().stream()
                    .filter(v -> v.getFrontend().equals("web")).findFirst().orElseThrow();
            assertThat(new long[] {c.getNext(), c.getFirst()}).as(what).containsExactly(model[0], model[1]);
        });
    }

    /** Calls ListBackends and GET /metrics every 100 ms until the test ends, recording how long each took. */
    private void probeContinuously() {
        MaglevGrpc.MaglevBlockingStub stub = MaglevGrpc.newBlockingStub(channel);
        HttpClient http = HttpClient.newBuilder().connectTimeout(DEADLINE).build();
        URI metrics = URI.create("http://127.0.0.1:" + maglevd.metricsPort + "/metrics");
        Thread.ofPlatform().daemon().name("e2e-prober").start(() -> {
            while (probing) {
                long t0 = System.nanoTime();
                try {
                    ListBackendsResponse r = stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                            .listBackends(ListBackendsRequest.getDefaultInstance());
                    if (r.getBackendsCount() != 4) {
                        failures.add("ListBackends returned " + r.getBackendsCount() + " backends");
                    }
                    grpcMs.add((System.nanoTime() - t0) / 1_000_000);
                } catch (RuntimeException e) {
                    if (probing) {
                        failures.add("ListBackends: " + e);
                    }
                }
                long t1 = System.nanoTime();
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(DEADLINE).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200 || !r.body().contains("maglev_vpp_connected")) {
                        failures.add("/metrics: " + r.statusCode());
                    }
                    metricsMs.add((System.nanoTime() - t1) / 1_000_000);
                } catch (IOException | InterruptedException e) {
                    if (probing) {
                        failures.add("/metrics: " + e);
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private long logged(String event) {
        return maglevd.logLines(l -> l.contains("\"msg\":\"" + event + "\"")).size();
    }

    @Test
    void maglevdKeepsServingThroughVppFaultsAndTheVipsConverge() throws Exception {
        int port = startBackends();
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).statsSocket(dir.resolve("stats.sock")).build()
                .start();
        maglevd = new Programs.Maglevd(List.of("--config", config(port).toString(), "--grpc-addr", "127.0.0.1:0",
                "--metrics-addr", "127.0.0.1:0", "--vpp-api-addr", dir.resolve("api.sock").toString(),
                "--vpp-stats-addr", dir.resolve("stats.sock").toString())).awaitStarted(LONG);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", maglevd.grpcPort).usePlaintext().build();
        awaitConverged("first programming");
        awaitCounters("first scrape");
        probeContinuously();
        Map<String, Long> faults = new LinkedHashMap<>();

        // 1. VPP drops the connection; a backend fails while maglevd reconnects (5 s).
        long t = System.nanoTime();
        fake.inject(Fault.DROP);
        healthy.put("127.0.0.12", false);
        awaitConverged("after a dropped connection");
        faults.put("drop + b12 down", (System.nanoTime() - t) / 1_000_000);

        // 2. Garbage on the API stream: the session ends at once (protocol error), maglevd reconnects.
        t = System.nanoTime();
        byte[] garbage = new byte[64];
        new Random(20261121).nextBytes(garbage);
        fake.inject(new Fault.Garbage(garbage));
        healthy.put("127.0.0.12", true);
        awaitConverged("after garbage on the stream");
        faults.put("garbage + b12 up", (System.nanoTime() - t) / 1_000_000);
        assertThat(logged("vpp-api-protocol-error")).isPositive();

        // 3. Replies slower than the request timeout while the whole primary pool fails (failover).
        t = System.nanoTime();
        fake.setReplyDelay(Duration.ofSeconds(6));
        healthy.put("127.0.0.11", false);
        healthy.put("127.0.0.12", false);
        healthy.put("127.0.0.13", false);
        await().atMost(LONG).until(() -> logged("vpp-api-timeout") > 0);
        // an RPC that needs VPP now gets a clear UNAVAILABLE after the request timeout, not a hang
        long s0 = System.nanoTime();
        StatusRuntimeException unavailable = catchThrowableOfType(StatusRuntimeException.class,
                () -> MaglevGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                        .getVPPLBState(GetVPPLBStateRequest.getDefaultInstance()));
        long stateMs = (System.nanoTime() - s0) / 1_000_000;
        assertThat(unavailable.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(unavailable.getStatus().getDescription()).contains("no reply");
        fake.setReplyDelay(Duration.ZERO);
        awaitConverged("after slow replies");
        faults.put("slow replies + failover", (System.nanoTime() - t) / 1_000_000);

        // 4. VPP restarts with an empty table (and a new stats segment).
        t = System.nanoTime();
        healthy.put("127.0.0.11", true);
        healthy.put("127.0.0.12", true);
        healthy.put("127.0.0.13", true);
        fake.restart();
        awaitConverged("after a VPP restart");
        faults.put("restart", (System.nanoTime() - t) / 1_000_000);
        awaitCounters("after a VPP restart");

        probing = false;
        assertThat(failures).as("ListBackends and /metrics during the faults").isEmpty();
        assertThat(grpcMs).hasSizeGreaterThan(20);
        assertThat(metricsMs).hasSizeGreaterThan(20);
        assertThat(logged("vpp-disconnect")).isGreaterThanOrEqualTo(3);
        System.out.printf(Locale.ROOT, "VPP faults e2e: converged in %s ms; ListBackends %d calls, p50 %d ms, max %d ms;"
                        + " /metrics %d calls, p50 %d ms, max %d ms; GetVPPLBState while VPP was slow: UNAVAILABLE"
                        + " after %d ms%n", faults, grpcMs.size(), p50(grpcMs), max(grpcMs), metricsMs.size(),
                p50(metricsMs), max(metricsMs), stateMs);
    }

    private static long p50(List<Long> ms) {
        return ms.stream().sorted().toList().get(ms.size() / 2);
    }

    private static long max(List<Long> ms) {
        return ms.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
