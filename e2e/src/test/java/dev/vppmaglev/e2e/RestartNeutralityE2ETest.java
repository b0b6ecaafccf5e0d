package dev.vppmaglev.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.SyncVPPLBStateRequest;
import dev.vppmaglev.proto.SyncVPPLBStateResponse;
import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
import dev.vppmaglev.vpp.fake.FakeVpp;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart neutrality at process level (behaviour.md §5.6, §12 item 8): a fake VPP in this JVM
 * (binary API and stats segment on Unix sockets) holds the lb table a first {@code bin/maglevd}
 * programmed for healthy loopback backends; that maglevd is stopped with SIGTERM and a second one
 * is started with the same config ({@code startup-min-delay 2s}, {@code startup-max-delay 6s}).
 * <ul>
 *   <li>The second maglevd connects and reads VPP's state but sends <b>no</b> mutating call: not
 *       before each VIP's backends are known (one backend answers only after 2.5 s, so its VIP is
 *       released well after the others), not at its release, not at the end of the warmup, not on
 *       an operator's full sync afterwards (which reports nothing to change).</li>
 *   <li>Each frontend is released only after every backend it references has left
 *       {@code unknown} (the order of its JSON log lines).</li>
 *   <li>The table is the same: the same VIPs, the same ASes with the same weights and the same
 *       Maglev bucket counts, and the same lb conf.</li>
 * </ul>
 * Without the warmup the restart would zero every weight on connect (all backends unknown), which
 * the first assertion would catch.
 */
class RestartNeutralityE2ETest {

    @TempDir
    Path dir;

    @Test
    void aRestartedMaglevdSendsNothingToVppAndLeavesTheSameTable() throws Exception {
        try (FakeVpp fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).statsSocket(dir.resolve("stats.sock"))
                .build().start();
             Backends backends = Backends.start()) {
            Path config = dir.resolve("maglev.yaml");
            Files.writeString(config, backends.config());
            List<String> args = List.of("--config", config.toString(), "--vpp-api-addr", fake.apiSocket().toString(),
                    "--vpp-stats-addr", dir.resolve("stats.sock").toString(), "--grpc-addr", "127.0.0.1:0",
                    "--metrics-addr", "127.0.0.1:0", "--log-level", "info");

            // 1. The first maglevd programs the empty VPP.
            Map<String, Map<String, Integer>> expected = Backends.expectedWeights();
            try (Programs.Maglevd first = new Programs.Maglevd(args).awaitStarted(Duration.ofSeconds(60))) {
                await().atMost(Duration.ofSeconds(40)).until(() -> !first.logLines(l -> l.contains(
                        "\"msg\":\"vpp-lbsync-warmup-done\"")).isEmpty());
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(weights(fake))
                        .isEqualTo(expected));
                assertThat(fake.mutatingCalls()).as("the first maglevd programmed VPP").isPositive();
                fake.clearCalls();
                assertThat(first.stop()).as("maglevd exits 0 on SIGTERM").isZero();
            }
            assertThat(fake.mutatingCalls()).as("stopping maglevd changes nothing in VPP").isZero();
            Map<String, Map<String, Integer>> buckets = buckets(fake);
            String conf = fake.cli("show lb");
            assertThat(weights(fake)).isEqualTo(expected);

            // 2. The second one: watched for any mutating call from its first instant.
            AtomicInteger firstMutationSeen = new AtomicInteger(-1);
            var sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                if (fake.mutatingCalls() > 0) {
                    firstMutationSeen.compareAndSet(-1, fake.mutatingCalls());
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            try (Programs.Maglevd second = new Programs.Maglevd(args).awaitStarted(Duration.ofSeconds(60))) {
                await().atMost(Duration.ofSeconds(40)).until(() -> !second.logLines(l -> l.contains(
                        "\"msg\":\"vpp-lbsync-warmup-done\"")).isEmpty());
                assertThat(fake.mutatingCalls()).as("mutating calls during the warmup: %s", fake.callLog()).isZero();
                assertThat(fake.callCount("lb_vip_dump")).as("it read VPP's table").isPositive();
                assertThat(fake.callCount("lb_as_v2_dump")).isPositive();

                // Each frontend was released only once all its backends had left unknown.
                List<String> lines = List.copyOf(second.out.lines());
                Map<String, Integer> known = new TreeMap<>();
                Map<String, Integer> released = new TreeMap<>();
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    String msg = field(l, "msg");
                    if ("backend-transition".equals(msg) && "unknown".equals(field(l, "from"))) {
                        known.putIfAbsent(field(l, "backend"), i);
                    } else if ("vpp-lbsync-warmup-release".equals(msg)) {
                        released.put(field(l, "frontend"), i);
                    }
                }
                assertThat(released.keySet()).as("every frontend was released: %s", lines)
                        .containsExactlyInAnyOrderElementsOf(Backends.FRONTENDS.keySet());
                for (var f : Backends.FRONTENDS.entrySet()) {
                    for (String b : f.getValue()) {
                        assertThat(known).as("backend %s became known", b).containsKey(b);
                        assertThat(known.get(b)).as("%s released after %s was known", f.getKey(), b)
                                .isLessThan(released.get(f.getKey()));
                    }
                }
                assertThat(released.get("late")).as("the VIP of the slow backend is released last")
                        .isGreaterThan(released.get("web")).isGreaterThan(released.get("db"));

                // An operator's full sync now: nothing to change.
                ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", second.grpcPort).usePlaintext()
                        .build();
                try {
                    SyncVPPLBStateResponse r = MaglevGrpc.newBlockingStub(channel)
                            .syncVPPLBState(SyncVPPLBStateRequest.getDefaultInstance());
                    assertThat(r).as("a full sync after the restart").isEqualTo(SyncVPPLBStateResponse.getDefaultInstance());
                } finally {
                    channel.shutdownNow();
                }
                assertThat(fake.mutatingCalls()).as("mutating calls: %s", fake.callLog()).isZero();
                assertThat(firstMutationSeen.get()).as("no mutating call was ever seen").isEqualTo(-1);

                assertThat(weights(fake)).as("same ASes and weights").isEqualTo(expected);
                assertThat(buckets(fake)).as("same Maglev bucket counts").isEqualTo(buckets);
                assertThat(fake.cli("show lb")).as("same lb conf").isEqualTo(conf);
                assertThat(second.logLines(l -> l.matches(".*\"msg\":\"vpp-(lbsync-(vip|as)-|lbconf-set).*")))
                        .as("maglevd logged no change to VPP").isEmpty();
                System.out.printf("FIGURE restart-neutrality: %d VIPs, %d ASes kept; releases at log lines %s after "
                                + "backends known at %s; 0 mutating calls, %d lb_vip_dump, %d lb_as_v2_dump%n",
                        expected.size(), expected.values().stream().mapToInt(Map::size).sum(), released, known,
                        fake.callCount("lb_vip_dump"), fake.callCount("lb_as_v2_dump"));
            } finally {
                sampler.shutdownNow();
            }
        }
    }

    /** Per live VIP: its in-use ASes and their weights. */
    static Map<String, Map<String, Integer>> weights(FakeVpp fake) {
        return table(fake, CliAs::weight);
    }

    /** Per live VIP: its in-use ASes and their new-flow buckets (the Maglev table's shape). */
    static Map<String, Map<String, Integer>> buckets(FakeVpp fake) {
        return table(fake, CliAs::buckets);
    }

    private static Map<String, Map<String, Integer>> table(FakeVpp fake, java.util.function.ToIntFunction<CliAs> f) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (CliVip v : ShowLbVipsParser.parseVerbose(fake.cli("show lb vips verbose"))) {
            if (v.removed()) {
                continue;
            }
            Map<String, Integer> ases = new TreeMap<>();
            for (CliAs a : v.ases()) {
                if (a.used()) {
                    ases.put(IpFormat.format(a.address()), f.applyAsInt(a));
                }
            }
            out.put(v.key().toString(), ases);
        }
        return out;
    }

    private static String field(String jsonLine, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\"([^\"]*)\"").matcher(jsonLine);
        return m.find() ? m.group(1) : null;
    }

    /**
     * The backends: three HTTP servers on 127.0.0.1-3 (one port), one that answers every request
     * only after 2.5 s on 127.0.0.4, two TCP listeners on 127.0.0.5-6; all healthy.
     */
    record Backends(List<HttpServer> http, HttpServer late, List<ServerSocket> tcp) implements AutoCloseable {
        static final Duration LATE_ANSWER = Duration.ofMillis(2500);
        /** Frontend → the backends it references. */
        static final Map<String, List<String>> FRONTENDS = new LinkedHashMap<>();

        static {
            FRONTENDS.put("web", List.of("web1", "web2", "web3", "spare"));
            FRONTENDS.put("late", List.of("late", "web1"));
            FRONTENDS.put("db", List.of("db1", "db2"));
        }

        static Backends start() throws IOException {
            List<HttpServer> http = samePort(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"));
            HttpServer late = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.4"), 0), 0);
            late.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            late.createContext("/", ex -> {
                try {
                    Thread.sleep(LATE_ANSWER);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            late.start();
            List<ServerSocket> tcp = new ArrayList<>();
            for (String a : List.of("127.0.0.5", "127.0.0.6")) {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(InetAddress.getByName(a), tcp.isEmpty() ? 0 : tcp.getFirst().getLocalPort()));
                tcp.add(s);
                Thread.ofVirtual().start(() -> {
                    while (!s.isClosed()) {
                        try (Socket c = s.accept()) {
                            c.getInputStream().read(); // the probe connects and resets
                        } catch (IOException e) {
                            // the probe's reset, or closed
                        }
                    }
                });
            }
            return new Backends(http, late, tcp);
        }

        private static List<HttpServer> samePort(List<String> addresses) throws IOException {
            for (int attempt = 0; ; attempt++) {
                List<HttpServer> out = new ArrayList<>();
                try {
                    for (String a : addresses) {
                        int port = out.isEmpty() ? 0 : out.getFirst().getAddress().getPort();
                        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(a), port), 0);
                        s.createContext("/", ex -> {
                            byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
                            ex.sendResponseHeaders(200, body.length);
                            ex.getResponseBody().write(body);
                            ex.close();
                        });
                        s.start();
                        out.add(s);
                    }
                    return out;
                } catch (BindException e) {
                    out.forEach(s -> s.stop(0));
                    if (attempt == 10) {
                        throw e;
                    }
                }
            }
        }

        String config() {
            return """
                    maglev:
                      vpp:
                        lb:
                          ipv4-src-address: 192.0.2.254
                          sync-interval: 30s
                          startup-min-delay: 2s
                          startup-max-delay: 6s
                      healthchecks:
                        web:
                          type: http
                          port: %d
                          interval: 1s
                          fast-interval: 200ms
                          timeout: 2s
                          params: { path: /healthz }
                        slow:
                          type: http
                          port: %d
                          interval: 1s
                          fast-interval: 200ms
                          timeout: 5s
                          rise: 1
                        db:
                          type: tcp
                          port: %d
                          interval: 1s
                          fast-interval: 200ms
                      backends:
                        web1: { address: 127.0.0.1, healthcheck: web }
                        web2: { address: 127.0.0.2, healthcheck: web }
                        web3: { address: 127.0.0.3, healthcheck: web }
                        spare: { address: 127.0.0.7, healthcheck: web, enabled: false }
                        late: { address: 127.0.0.4, healthcheck: slow }
                        db1: { address: 127.0.0.5, healthcheck: db }
                        db2: { address: 127.0.0.6, healthcheck: db }
                      frontends:
                        web:
                          address: 192.0.2.1
                          protocol: tcp
                          port: 80
                          pools:
                            - name: primary
                              backends: { web1: { weight: 100 }, web2: { weight: 50 }, web3: { weight: 100 } }
                            - name: standby
                              backends: { spare: {} }
                        late:
                          address: 192.0.2.2
                          protocol: tcp
                          port: 443
                          pools:
                            - name: only
                              backends: { late: { weight: 100 }, web1: { weight: 20 } }
                        db:
                          address: 192.0.2.3
                          protocol: tcp
                          port: 5432
                          pools:
                            - name: primary
                              backends: { db1: {} }
                            - name: fallback
                              backends: { db2: {} }
                    """.formatted(http.getFirst().getAddress().getPort(), late.getAddress().getPort(),
                    tcp.getFirst().getLocalPort());
        }

        /** What VPP holds when every backend is up (spare disabled, db2 on standby). */
        static Map<String, Map<String, Integer>> expectedWeights() {
            Map<String, Map<String, Integer>> m = new TreeMap<>();
            m.put("192.0.2.1/32 tcp 80", new TreeMap<>(Map.of("127.0.0.1", 100, "127.0.0.2", 50, "127.0.0.3", 100,
                    "127.0.0.7", 0)));
            m.put("192.0.2.2/32 tcp 443", new TreeMap<>(Map.of("127.0.0.4", 100, "127.0.0.1", 20)));
            m.put("192.0.2.3/32 tcp 5432", new TreeMap<>(Map.of("127.0.0.5", 100, "127.0.0.6", 0)));
            return m;
        }

        @Override
        public void close() throws IOException {
            http.forEach(s -> s.stop(0));
            late.stop(0);
            for (ServerSocket s : tcp) {
                s.close();
            }
        }
    }
}
