package dev.vppmaglev.vpp.fake.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.msg.LbAddDelAsV2;
import dev.vppmaglev.vpp.api.msg.LbAddDelVipV2;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.fake.FakeVpp.Fault;
import dev.vppmaglev.vpp.fake.faults.LbTable.HaveAs;
import dev.vppmaglev.vpp.fake.faults.LbTable.HaveVip;
import dev.vppmaglev.vpp.fake.faults.LbTable.WantAs;
import dev.vppmaglev.vpp.fake.faults.LbTable.WantVip;
import dev.vppmaglev.vpp.lb.SyncResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static dev.vppmaglev.vpp.fake.faults.Converge.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault loop of docs/reliability.md: 100 times in a row the fake VPP drops the connection or
 * restarts with an empty table at a random point of a sync of a realistic table ({@link Fleet}:
 * 50 VIPs × 8 ASes), and every time the reconciler must reconnect and converge to <b>exactly</b>
 * the desired table — no stale VIP or AS, the right encap, sticky flag, weights, lb_conf, and no
 * sticky flows left on an AS that must be flushed — checked against the fake's own model and a
 * fresh computation from config + health ({@link LbTable}), then a full sync that changes nothing.
 *
 * <p>Each iteration first disturbs what there is to sync (VPP restarted empty; drift made behind
 * maglevd's back; a reload to the other config; backend health and operator changes), estimates
 * the length of the sync that follows, arms the fault after N messages with N drawn uniformly
 * over that length, and starts the sync. Seeded: {@code -Dmaglev.faults.seed=...} reruns a run;
 * the seed and the iteration are in every failure message. Figures (convergence time
 * percentiles, reconnects, messages) are printed at the end.
 */
class FullSyncFaultLoopTest {
    static final long SEED = Long.getLong("maglev.faults.seed", 20261121L);
    static final int ITERATIONS = Integer.getInteger("maglev.faults.iterations", 100);
    private static final long SEEDED_FLOWS = 7;

    enum Disturbance { VPP_RESTARTED_EMPTY, DRIFT, RELOAD, HEALTH }

    enum FaultKind { DROP, RESTART }

    /** What one iteration did and measured. */
    record Iteration(int n, Disturbance disturbance, FaultKind fault, int after, int estimate, boolean fired,
                     double convergedMs, int reconnects, int messages, int mutating) {}

    @TempDir
    Path dir;
    FakeVpp fake;
    Rig rig;
    final Config a = Rig.parse(Fleet.A);
    final Config b = Rig.parse(Fleet.B);
    /** Operator state per backend: "disabled", "paused" or absent. */
    final Map<String, String> operator = new HashMap<>();
    private final Map<String, Level> levels = new HashMap<>();

    @BeforeEach
    void quiet() {
        // one INFO line per lb call (both sides) would measure the console, not the reconciler
        for (String name : List.of("dev.vppmaglev.vpp.fake", "dev.vppmaglev.vpp.lb", "dev.vppmaglev.health")) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            levels.put(name, l.getLevel());
            l.setLevel(Level.WARN);
        }
    }

    @AfterEach
    void stop() {
        if (rig != null) {
            rig.close();
        }
        if (fake != null) {
            fake.close();
        }
        levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    @Test
    void aHundredFaultsAtRandomPointsOfASyncEachConvergeToExactlyTheDesiredTable() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).seed(SEED).build().start();
        rig = Rig.builder(fake.apiSocket(), a).start();
        awaitConverged("initial programming");

        List<Iteration> done = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < ITERATIONS; i++) {
            Random r = new Random(SEED + 7919L * i);
            AtomicReference<String> what = new AtomicReference<>("iteration " + i);
            try {
                done.add(iteration(i, r, what));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + SEED + " (-Dmaglev.faults.seed=" + SEED + "), " + what.get() + ": "
                        + e.getMessage(), e);
            }
        }
        double totalS = (System.nanoTime() - t0) / 1e9;
        String summary = summary(done, totalS);
        System.out.println(summary);

        long fired = done.stream().filter(Iteration::fired).count();
        assertThat(fired).as("faults that fired before the table converged, seed " + SEED).isGreaterThanOrEqualTo(ITERATIONS * 9L / 10);
        assertThat(done.stream().mapToInt(Iteration::reconnects).sum()).as("every fired fault cost a reconnect")
                .isGreaterThanOrEqualTo((int) fired);
    }

    private Iteration iteration(int n, Random r, AtomicReference<String> what) throws Exception {
        // 1. Sticky flows on every AS that takes new flows (weight > 0), as traffic would leave
        //    them, to see which ones get flushed. (An AS at weight 0 has no buckets: no new flows.)
        Map<LbVip, HaveVip> before = LbTable.actual(fake);
        for (HaveVip v : before.values()) {
            v.ases().forEach((as, x) -> {
                if (x.weight() > 0) {
                    fake.setAsFlows(v.index(), as, SEEDED_FLOWS);
                }
            });
        }
        before = LbTable.actual(fake);
        int pid = fake.pid();
        int connects = rig.connects.get();
        fake.clearCalls();

        // 2. What to disturb, which fault, and what the result must be.
        Disturbance d = pick(r, new Disturbance[] {Disturbance.VPP_RESTARTED_EMPTY, Disturbance.DRIFT,
                Disturbance.RELOAD, Disturbance.HEALTH}, new int[] {35, 25, 20, 20});
        FaultKind f = r.nextInt(100) < 60 ? FaultKind.DROP : FaultKind.RESTART;
        Config config = d == Disturbance.RELOAD ? (rig.checker.config() == a ? b : a) : rig.checker.config();
        Map<String, Runnable> health = healthChanges(r, config, d == Disturbance.HEALTH ? 3 + r.nextInt(6) : r.nextInt(3));
        Map<String, BackendState> target = targetStates(config);
        Map<LbVip, WantVip> want = LbTable.desired(config, target::get);
        Set<LbVip> drifted = d == Disturbance.DRIFT ? drift(r, before) : Set.of();
        Map<LbVip, HaveVip> have = d == Disturbance.VPP_RESTARTED_EMPTY ? Map.of() : LbTable.actual(fake);
        int estimate = LbTable.callsToConverge(want, have) + switch (d) {
            case VPP_RESTARTED_EMPTY -> 3 + 6; // handshake (sockclnt_create, show_version, control_ping), the read
            case DRIFT, RELOAD -> 6;           // the full sync's read: lb_conf_get, 2 dumps + pings, cli_inband
            case HEALTH -> 0;                  // per-VIP syncs diff against the cache
        };
        int after = 1 + r.nextInt(Math.max(1, estimate));
        what.set("iteration " + n + " (" + d + ", " + f + " after " + after + " of ~" + estimate + " messages)");

        // 3. Arm the fault and start the sync.
        int injected = fake.faultsInjected();
        fake.faultAfterMessages(after, f == FaultKind.DROP ? Fault.DROP : Fault.RESTART);
        long t0 = System.nanoTime();
        switch (d) {
            case VPP_RESTARTED_EMPTY -> fake.restart();
            case DRIFT -> {
                if (r.nextBoolean()) {
                    Thread.ofVirtual().start(this::operatorSync); // SyncVPPLBState; it may fail on the fault
                } else {
                    rig.checker.apply(config); // a reload of the same file
                }
            }
            case RELOAD -> rig.checker.apply(config);
            case HEALTH -> { } // the transitions below are the trigger
        }
        health.values().forEach(Runnable::run);

        // 4. Converged: health settled and VPP holds exactly the desired table.
        awaitConverged(what.get());
        double convergedMs = (System.nanoTime() - t0) / 1e6;
        int messages = fake.callLog().size();
        int mutating = fake.mutatingCalls();
        boolean fired = fake.cancelFault().isEmpty() && fake.faultsInjected() > injected;
        awaitConverged(what.get() + ", after the fault was disarmed"); // it may have fired just now

        // 5. The reconciler agrees: a full sync now changes nothing.
        await().atMost(LONG).until(rig.connection::isConnected);
        int mutatingBefore = fake.mutatingCalls();
        SyncResult again = rig.reconciler.syncAll();
        assertThat(again).as("a full sync after convergence").isEqualTo(SyncResult.NONE);
        assertThat(fake.mutatingCalls()).as("mutating calls of that sync").isEqualTo(mutatingBefore);

        // 6. No flush where none is due: an AS that kept its place and is not flushed keeps its flows.
        if (fake.pid() == pid) {
            checkFlowsKept(before, want, drifted);
        }
        pendingHealth.clear();
        return new Iteration(n, d, f, after, estimate, fired, convergedMs, rig.connects.get() - connects, messages,
                mutating);
    }

    // ---- disturbances --------------------------------------------------------------------------

    /**
     * Health and operator changes for up to {@code count} random backends of {@code config}
     * (returned, not run): a failing or recovering health check, disable/enable, pause/resume.
     */
    private Map<String, Runnable> healthChanges(Random r, Config config, int count) {
        List<String> names = new ArrayList<>(config.backends().keySet());
        Map<String, Runnable> out = new java.util.LinkedHashMap<>();
        for (int k = 0; k < count; k++) {
            String name = names.get(r.nextInt(names.size()));
            if (out.containsKey(name)) {
                continue;
            }
            InetAddress address = config.backends().get(name).address();
            String op = operator.get(name);
            int roll = r.nextInt(100);
            if ("disabled".equals(op)) {
                operator.remove(name);
                out.put(name, () -> rig.checker.enable(name));
            } else if ("paused".equals(op)) {
                operator.remove(name);
                out.put(name, () -> rig.checker.resume(name));
            } else if (roll < 15) {
                operator.put(name, "disabled");
                out.put(name, () -> rig.checker.disable(name));
            } else if (roll < 25) {
                operator.put(name, "paused");
                out.put(name, () -> rig.checker.pause(name));
            } else {
                boolean ok = !rig.health.isHealthy(address);
                if (!ok && r.nextInt(4) == 0) {
                    ok = true; // keep most of the fleet up
                }
                boolean healthy = ok;
                pendingHealth.put(name, healthy);
                out.put(name, () -> rig.health.healthy(address, healthy));
            }
        }
        return out;
    }

    /**
     * Where every backend of {@code config} must end up: the operator's state, else the scripted
     * health (including changes decided but not made yet).
     */
    private Map<String, BackendState> targetStates(Config config) {
        Map<String, BackendState> out = new HashMap<>();
        for (String name : config.backends().keySet()) {
            String op = operator.get(name);
            out.put(name, "disabled".equals(op) ? BackendState.DISABLED : "paused".equals(op) ? BackendState.PAUSED
                    : pendingHealth.getOrDefault(name, rig.health.isHealthy(config.backends().get(name).address()))
                    ? BackendState.UP : BackendState.DOWN);
        }
        return out;
    }

    private final Map<String, Boolean> pendingHealth = new HashMap<>();

    /** Changes made to VPP behind maglevd's back; returns the VIPs touched. */
    private Set<LbVip> drift(Random r, Map<LbVip, HaveVip> now) {
        List<LbVip> keys = new ArrayList<>(now.keySet());
        Set<LbVip> touched = new HashSet<>();
        for (int k = 0, vips = 2 + r.nextInt(5); k < vips; k++) { // VIPs deleted (with their ASes)
            LbVip v = keys.get(r.nextInt(keys.size()));
            if (touched.add(v)) {
                cli("lb vip " + cliKey(v) + " del");
            }
        }
        for (int s = 0, stale = 1 + r.nextInt(2); s < stale; s++) { // VIPs nobody configured
            String vip = "203.0.113." + (10 + s) + "/32 protocol tcp port 8080";
            cli("lb vip " + vip + " encap gre4");
            for (int j = 1; j <= 3; j++) {
                cli("lb as " + vip + " 10.99.0." + j + " weight 50");
            }
        }
        for (int k = 0, changes = 3 + r.nextInt(8); k < changes; k++) { // weights changed, ASes deleted
            LbVip v = keys.get(r.nextInt(keys.size()));
            if (touched.contains(v)) {
                continue;
            }
            List<InetAddress> ases = new ArrayList<>(now.get(v).ases().keySet());
            InetAddress as = ases.get(r.nextInt(ases.size()));
            touched.add(v);
            cli("lb as " + cliKey(v) + " " + IpFormat.format(as) + (r.nextBoolean() ? " del" : " weight " + r.nextInt(101)));
        }
        return touched;
    }

    private void cli(String command) {
        String out = fake.cli(command);
        assertThat(out).as(command).doesNotContain("error");
    }

    private static String cliKey(LbVip v) {
        String pfx = v.pfx().toString();
        return v.port() == 0 ? pfx : pfx + " protocol " + (v.protocol() == 6 ? "tcp" : "udp") + " port " + v.port();
    }

    private void operatorSync() {
        try {
            rig.reconciler.syncAll();
        } catch (RuntimeException e) {
            // the fault may end this sync: the reconnect's full sync finishes the job
        }
    }

    // ---- checks ----------------------------------------------------------------------------------

    /** Waits until the health states settled and VPP holds exactly the desired table and lb_conf. */
    private void awaitConverged(String what) {
        await().atMost(LONG).pollInterval(Duration.ofMillis(10)).pollDelay(Duration.ZERO).untilAsserted(() -> {
            Config config = rig.checker.config();
            Map<String, BackendState> states = rig.states();
            assertThat(states).as(what + ": backend states").isEqualTo(targetStates(config));
            assertThat(LbTable.differences(LbTable.desired(config, states::get), LbTable.actual(fake)))
                    .as(what + ": VPP's table against config + health").isEmpty();
            assertThat(fake.lbConf()).as(what + ": lb_conf").isEqualTo(Converge.CONF);
        });
    }

    /**
     * An AS that is not to be flushed and had sticky flows, was in use before the iteration and
     * still is, on a VIP
     * neither drifted nor re-created and not itself deleted or re-added in this iteration, still
     * has its sticky flows: nothing flushed it needlessly.
     */
    private void checkFlowsKept(Map<LbVip, HaveVip> before, Map<LbVip, WantVip> want, Set<LbVip> drifted) {
        Set<LbVip> vipCalls = new HashSet<>();
        Set<String> asCalls = new HashSet<>();
        for (FakeVpp.Call c : fake.callLog()) {
            if (c.request() instanceof LbAddDelVipV2 v) {
                vipCalls.add(LbVip.of(v.pfx(), v.protocol(), v.port()));
            } else if (c.request() instanceof LbAddDelAsV2 x) {
                asCalls.add(LbVip.of(x.pfx(), x.protocol(), x.port()) + " " + IpFormat.format(x.asAddress()));
            }
        }
        Map<LbVip, HaveVip> now = LbTable.actual(fake);
        int checked = 0;
        for (Map.Entry<LbVip, WantVip> e : want.entrySet()) {
            HaveVip b = before.get(e.getKey());
            HaveVip h = now.get(e.getKey());
            if (b == null || h == null || drifted.contains(e.getKey()) || vipCalls.contains(e.getKey())) {
                continue;
            }
            for (Map.Entry<InetAddress, WantAs> as : e.getValue().ases().entrySet()) {
                HaveAs x = h.ases().get(as.getKey());
                HaveAs was = b.ases().get(as.getKey());
                if (as.getValue().flush() || was == null || was.flows() == 0 || x == null
                        || asCalls.contains(e.getKey() + " " + IpFormat.format(as.getKey()))) {
                    continue;
                }
                checked++;
                assertThat(x.flows()).as(e.getKey() + " AS " + IpFormat.format(as.getKey())
                        + " is not to be flushed: its sticky flows stay").isEqualTo(was.flows());
            }
        }
        assertThat(checked).as("ASes whose flows were checked").isPositive();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static <T> T pick(Random r, T[] values, int[] weights) {
        int roll = r.nextInt(Arrays.stream(weights).sum());
        for (int i = 0; i < values.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return values[i];
            }
        }
        throw new IllegalStateException();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static String summary(List<Iteration> done, double totalS) {
        double[] ms = done.stream().mapToDouble(Iteration::convergedMs).sorted().toArray();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "fault loop, seed %d: %d iterations in %.1f s; faults fired before the table "
                        + "converged: %d; reconnects: %d; convergence p50 %.0f ms, p95 %.0f ms, max %.0f ms; messages "
                        + "received by VPP per iteration: mean %.0f, of them mutating: mean %.0f%n", SEED, done.size(),
                totalS, done.stream().filter(Iteration::fired).count(),
                done.stream().mapToInt(Iteration::reconnects).sum(), percentile(ms, 50), percentile(ms, 95),
                ms[ms.length - 1], done.stream().mapToInt(Iteration::messages).average().orElse(0),
                done.stream().mapToInt(Iteration::mutating).average().orElse(0)));
        for (Disturbance d : Disturbance.values()) {
            for (FaultKind f : FaultKind.values()) {
                double[] x = done.stream().filter(i -> i.disturbance() == d && i.fault() == f)
                        .mapToDouble(Iteration::convergedMs).sorted().toArray();
                if (x.length > 0) {
                    s.append(String.format(Locale.ROOT, "  %-20s %-7s n=%3d  p50 %5.0f ms  max %5.0f ms%n", d, f,
                            x.length, percentile(x, 50), x[x.length - 1]));
                }
            }
        }
        return s.toString();
    }
}
