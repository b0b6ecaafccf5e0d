package dev.vppmaglev.vpp.fake.reconcile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.HealthCheckerConfig;
import dev.vppmaglev.config.HttpParams;
import dev.vppmaglev.config.Pool;
import dev.vppmaglev.config.PoolBackend;
import dev.vppmaglev.config.Protocol;
import dev.vppmaglev.config.VppLbConfig;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionConfig;
import dev.vppmaglev.vpp.VppSessionPart;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.Direction;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.lb.LbReconciler;
import dev.vppmaglev.vpp.lb.SyncResult;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures for the lb reconciler against the fake VPP over a real Unix socket (not a test):
 * <ol>
 *   <li>cold programming of 1,000 VIPs × 32 ASes through {@link LbReconciler#syncAll()}
 *       (calls, wall time, calls/s);</li>
 *   <li>an in-sync full sync (0 mutating calls; wall time; details messages read);</li>
 *   <li>the per-VIP sync after one backend transition (event to sync done: calls, messages,
 *       wall time), against the cache — what the reference paid instead was a full AS-table
 *       read per transition, also printed.</li>
 * </ol>
 * The reconciler's and the fake's INFO line per call are turned off while measuring (the daemon
 * logs them; 33,000 lines would measure the console). The fake rebuilds a Maglev table per AS
 * call like VPP, in Java, on one virtual thread: absolute rates say more about the fake than
 * about VPP (spec README "Performance facts" has the real VPP's).
 *
 * <p>Run (from the repository top, after a build):
 * <pre>
 * mvn -B -ntp -o -pl vpp-fake -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -cp vpp-fake/target/test-classes:vpp-fake/target/classes:$(cat vpp-fake/target/bench.cp) \
 *     dev.vppmaglev.vpp.fake.reconcile.ReconcilerBenchmark [vips] [ases-per-vip]
 * </pre>
 */
public final class ReconcilerBenchmark {
    private ReconcilerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int vips = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perVip = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        quiet("dev.vppmaglev.vpp.fake", "dev.vppmaglev.vpp.lb", "dev.vppmaglev.health");

        Path dir = Files.createTempDirectory("lb-bench");
        Config config = config(vips, perVip);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        Checker checker = new Checker((check, target) -> java.util.concurrent.CompletableFuture.completedFuture(
                ScriptedProber.PASS), timers, Clock.systemUTC(), new Random(1));
        Map<String, AtomicLong> received = new ConcurrentHashMap<>();
        ApiObserver observer = (msg, direction, ok) -> {
            if (direction == Direction.RECV) {
                received.computeIfAbsent(msg, k -> new AtomicLong()).incrementAndGet();
            }
        };
        LinkedBlockingQueue<Long> vipSyncDone = new LinkedBlockingQueue<>();
        try (FakeVpp fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start()) {
            checker.apply(config);
            long t0 = System.nanoTime();
            while (checker.backendStates().values().stream().anyMatch(s -> s != BackendState.UP)) {
                Thread.sleep(50);
            }
            System.out.printf(Locale.ROOT, "%d VIPs x %d ASes = %d backends up in %.1f s (scripted prober)%n", vips,
                    perVip, config.backends().size(), (System.nanoTime() - t0) / 1e9);

            VppConnection connection = new VppConnection(VppConnectionConfig.defaults(fake.apiSocket()), observer,
                    VppSessionPart.NONE, Clock.systemUTC());
            // a long warmup keeps the connect's own full sync away: the operator's syncAll() is measured
            LbReconciler reconciler = new LbReconciler(connection, checker, (scope, r) -> {
                if (scope.equals("vip")) {
                    vipSyncDone.add(System.nanoTime());
                }
            }, Clock.systemUTC(), Instant.now());
            reconciler.start();
            connection.start();
            while (!connection.isConnected()) {
                Thread.sleep(10);
            }
            Thread.sleep(200);

            // 1. cold programming
            received.clear();
            fake.clearCalls();
            long c0 = System.nanoTime();
            SyncResult cold = reconciler.syncAll();
            double coldS = (System.nanoTime() - c0) / 1e9;
            System.out.printf(Locale.ROOT, "cold full sync: %d calls (%d VIP adds, %d AS adds) + lb_conf in %.2f s = "
                            + "%.0f calls/s; fake received %d mutating calls%n", cold.total(), cold.vipAdded(),
                    cold.asAdded(), coldS, cold.total() / coldS, fake.mutatingCalls());

            // 2. in-sync full syncs
            double[] inSync = new double[5];
            long details = 0;
            long cliBytes = fake.cli("show lb vips verbose").length();
            for (int i = 0; i < inSync.length; i++) {
                received.clear();
                fake.clearCalls();
                long s0 = System.nanoTime();
                SyncResult r = reconciler.syncAll();
                inSync[i] = (System.nanoTime() - s0) / 1e6;
                if (!r.isEmpty() || fake.mutatingCalls() != 0) {
                    throw new IllegalStateException("in-sync full sync changed something: " + r);
                }
                details = count(received, "lb_vip_details") + count(received, "lb_as_v2_details");
            }
            Arrays.sort(inSync);
            System.out.printf(Locale.ROOT, "in-sync full sync: 0 mutating calls; read %d details messages "
                            + "(%d lb_vip_details + %d lb_as_v2_details), %d control_ping_reply, 1 cli_inband_reply "
                            + "(%d chars), 1 lb_conf_get; median %.1f ms, min %.1f ms over %d runs%n", details,
                    count(received, "lb_vip_details"), count(received, "lb_as_v2_details"),
                    count(received, "control_ping_reply"), cliBytes, inSync[inSync.length / 2], inSync[0],
                    inSync.length);

            // 3. per-VIP syncs after one backend transition (the event path)
            List<String> names = new ArrayList<>(config.backends().keySet());
            int rounds = 20;
            double[] perVipMs = new double[rounds];
            long calls = 0;
            long messages = 0;
            for (int i = 0; i < rounds; i++) {
                String backend = names.get(i * (names.size() / rounds) + 3);
                vipSyncDone.clear();
                received.clear();
                fake.clearCalls();
                long e0 = System.nanoTime();
                checker.disable(backend);
                Long done = vipSyncDone.poll(60, TimeUnit.SECONDS);
                if (done == null) {
                    throw new IllegalStateException("no per-VIP sync after disabling " + backend);
                }
                perVipMs[i] = (done - e0) / 1e6;
                calls += fake.mutatingCalls();
                messages += fake.callLog().size();
            }
            Arrays.sort(perVipMs);
            System.out.printf(Locale.ROOT, "per-VIP sync after one backend transition (disable: weight 0 + flush): "
                            + "%.1f mutating calls and %.1f API messages per sync, no read; event to done median "
                            + "%.2f ms, min %.2f ms over %d transitions%n", calls / (double) rounds,
                    messages / (double) rounds, perVipMs[rounds / 2], perVipMs[0], rounds);
            System.out.printf(Locale.ROOT, "(the reference re-read the AS table per VIP sync: %d details per "
                    + "transition, about the in-sync full sync's %.1f ms here)%n", details, inSync[inSync.length / 2]);

            reconciler.close();
            connection.close();
        } finally {
            checker.close();
            timers.shutdownNow();
            try (var files = Files.list(dir)) {
                files.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    private static long count(Map<String, AtomicLong> m, String msg) {
        AtomicLong n = m.get(msg);
        return n == null ? 0 : n.get();
    }

    private static void quiet(String... loggers) {
        for (String l : loggers) {
            ((Logger) LoggerFactory.getLogger(l)).setLevel(Level.WARN);
        }
    }

    /** {@code vips} TCP VIPs 198.18.x.y:80, each with its own {@code perVip} backends in 10.x.y.z. */
    static Config config(int vips, int perVip) throws Exception {
        HealthCheck check = new HealthCheck("web", CheckType.HTTP, 80, Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofHours(1), Duration.ofSeconds(5), 1, 1, null, null, HttpParams.DEFAULTS);
        Map<String, Backend> backends = new LinkedHashMap<>();
        Map<String, Frontend> frontends = new LinkedHashMap<>();
        int n = 0;
        for (int v = 0; v < vips; v++) {
            List<PoolBackend> members = new ArrayList<>(perVip);
            for (int a = 0; a < perVip; a++, n++) {
                String name = "b" + n;
                InetAddress addr = InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
                backends.put(name, new Backend(name, addr, "web", true));
                members.add(new PoolBackend(name, 100));
            }
            InetAddress vip = InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (v >> 8), (byte) v});
            frontends.put("fe" + v, new Frontend("fe" + v, "", vip, Protocol.TCP, 80,
                    List.of(new Pool("only", members)), false, true));
        }
        VppLbConfig lb = new VppLbConfig((Inet4Address) InetAddress.getByName("192.0.2.254"),
                (Inet6Address) InetAddress.getByName("2001:db8::254"), Duration.ofHours(1), 65536,
                Duration.ofSeconds(40), Duration.ofHours(1), Duration.ofHours(2));
        return new Config(null, HealthCheckerConfig.DEFAULTS, lb, Map.of("web", check), backends, frontends);
    }
}
