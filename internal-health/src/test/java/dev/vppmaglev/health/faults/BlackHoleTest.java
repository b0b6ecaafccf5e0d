package dev.vppmaglev.health.faults;

import static dev.vppmaglev.health.faults.Checks.check;
import static dev.vppmaglev.health.faults.Checks.http;
import static dev.vppmaglev.health.faults.Checks.https;
import static dev.vppmaglev.health.faults.Checks.icmp;
import static dev.vppmaglev.health.faults.Checks.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.TcpParams;
import dev.vppmaglev.health.NetProber;
import dev.vppmaglev.health.NetnsStatus;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.health.ResultCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Replies that never come, in a network namespace the prober runs in
 * ({@code healthchecker.netns}, the production path): namespace "a" has a veth to namespace "b",
 * which has no addresses, so everything sent to {@code 10.77.0.9} / {@code fd77::9} (permanent
 * neighbour entries) vanishes there, and {@code 10.77.0.50} is an address with no host (no ARP
 * reply ever). Needs root (CI runs as root).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlackHoleTest {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final Duration SLACK = HostileBackendsTest.SLACK;

    private final String suffix = Long.toString(ProcessHandle.current().pid() % 100000, 36)
            + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
    private final String nsA = "mglv-bh-a-" + suffix;
    private final String nsB = "mglv-bh-b-" + suffix;
    private NetProber prober;

    @BeforeAll
    void createNamespaces() {
        assumeTrue(root(), "network namespaces need root (CI runs as root)");
        String vethA = "mgba" + suffix;
        String vethB = "mgbb" + suffix;
        ipCommand("netns", "add", nsA);
        ipCommand("netns", "add", nsB);
        ipCommand("link", "add", vethA, "netns", nsA, "type", "veth", "peer", "name", vethB, "netns", nsB);
        ipCommand("-n", nsA, "link", "set", "lo", "up");
        ipCommand("-n", nsA, "link", "set", vethA, "up");
        ipCommand("-n", nsB, "link", "set", vethB, "up");
        ipCommand("-n", nsA, "addr", "add", "10.77.0.1/24", "dev", vethA);
        ipCommand("-n", nsA, "-6", "addr", "add", "fd77::1/64", "dev", vethA, "nodad");
        ipCommand("-n", nsA, "neigh", "add", "10.77.0.9", "lladdr", "02:00:00:00:00:09", "dev", vethA, "nud", "permanent");
        ipCommand("-n", nsA, "-6", "neigh", "add", "fd77::9", "lladdr", "02:00:00:00:00:09", "dev", vethA, "nud",
                "permanent");
        prober = NetProber.create("faults-test");
        NetnsStatus status = prober.useNetns(nsA);
        assertThat(status.ok()).as("entered %s: %s", nsA, status.error()).isTrue();
    }

    @AfterAll
    void deleteNamespaces() {
        if (prober != null) {
            prober.close();
        }
        for (String ns : List.of(nsA, nsB)) {
            try {
                ipCommand("netns", "del", ns);
            } catch (IllegalStateException ignored) {
                // not created
            }
        }
    }

    record Case(String name, HealthCheck check, String target, String code, boolean timeout) {}

    @Test
    void repliesThatNeverComeAreTimeoutsWithinTheTimeout() throws Exception {
        List<Case> cases = List.of(
                new Case("icmp/own-address (control)", check("i", CheckType.ICMP, 0, icmp(), TIMEOUT), "10.77.0.1",
                        ResultCodes.ICMPOK, false),
                new Case("icmp/black-hole", check("i", CheckType.ICMP, 0, icmp(), TIMEOUT), "10.77.0.9",
                        ResultCodes.ICMPTOUT, true),
                new Case("icmp/black-hole-ipv6", check("i", CheckType.ICMP, 0, icmp(), TIMEOUT), "fd77::9",
                        ResultCodes.ICMPTOUT, true),
                new Case("icmp/no-such-host", check("i", CheckType.ICMP, 0, icmp(), TIMEOUT), "10.77.0.50",
                        ResultCodes.ICMPTOUT, true),
                new Case("tcp/black-hole", check("t", CheckType.TCP, 80, TcpParams.DEFAULTS, TIMEOUT), "10.77.0.9",
                        ResultCodes.L4TOUT, true),
                new Case("http/black-hole-ipv6", check("h", CheckType.HTTP, 80, http("/"), TIMEOUT), "fd77::9",
                        ResultCodes.L4TOUT, true),
                new Case("https/black-hole", check("s", CheckType.HTTPS, 443, https(), TIMEOUT), "10.77.0.9",
                        ResultCodes.L4TOUT, true),
                new Case("http/no-such-host", check("h", CheckType.HTTP, 80, http("/"), TIMEOUT), "10.77.0.50",
                        ResultCodes.L4TOUT, true));
        List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
        long[] done = new long[cases.size()];
        long started = System.nanoTime();
        for (int i = 0; i < cases.size(); i++) {
            int index = i;
            results.add(prober.probe(cases.get(i).check(), ip(cases.get(i).target()))
                    .whenComplete((r, e) -> done[index] = System.nanoTime()));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        System.out.println("FIGURE black-hole (netns " + nsA + "): timeout " + TIMEOUT.toMillis() + " ms");
        for (int i = 0; i < cases.size(); i++) {
            Case k = cases.get(i);
            ProbeResult r = results.get(i).join();
            Duration took = Duration.ofNanos(done[i] - started);
            System.out.printf(Locale.ROOT, "FIGURE   %-28s %-9s %8.1f ms  %s%n", k.name(), r.code(),
                    took.toNanos() / 1e6, r.detail());
            assertThat(r.code()).as("%s: %s", k.name(), r).isEqualTo(k.code());
            assertThat(took).as("%s within timeout + slack", k.name()).isLessThanOrEqualTo(TIMEOUT.plus(SLACK));
            if (k.timeout()) {
                assertThat(took).as("%s did not give up early", k.name()).isGreaterThanOrEqualTo(TIMEOUT);
            }
        }
    }

    static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static void ipCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
