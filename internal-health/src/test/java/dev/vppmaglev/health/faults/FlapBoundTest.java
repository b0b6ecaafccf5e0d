package dev.vppmaglev.health.faults;

import static dev.vppmaglev.health.faults.Checks.backend;
import static dev.vppmaglev.health.faults.Checks.check;
import static dev.vppmaglev.health.faults.Checks.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.BackendTransition;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.HealthListener;
import dev.vppmaglev.health.NetProber;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.health.faults.ScriptedBackend.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * A flaky service over a long run: three backends with different rise/fall, each on a real
 * loopback HTTP server that follows a seeded script of passes and failures (200, 503, reset,
 * refused: runs of every length around rise and fall, and strictly alternating stretches), probed
 * by the real checker and prober every 20 ms. Every probe and transition is recorded, then:
 * <ol>
 *   <li>the server did what the script said (each probe's code is the scripted one);</li>
 *   <li>the transitions are exactly those the rise/fall counter of behaviour.md §3.4 dictates for
 *       that sequence of results: none extra (a flap the counter does not allow), none missing,
 *       none early or late; the checker's counter equals the model's after every probe;</li>
 *   <li>the bounds of §3.4 hold: a backend that was fully up (counter at max) goes down only after
 *       at least {@code fall} probes with at least {@code fall} failures since; one that was fully
 *       down (counter 0) comes up only after at least {@code rise} probes with {@code rise} passes.</li>
 * </ol>
 * The seed is {@code -Dmaglev.faults.seed} (default fixed) and is part of every failure message.
 */
class FlapBoundTest {
    static final long SEED = Long.getLong("maglev.faults.seed", 20261121L);
    static final int PROBES = 160;
    static final Duration INTERVAL = Duration.ofMillis(20);

    /** One recorded probe: its result and the checker's counter right after it. */
    record Probe(boolean ok, String code, int counter) {}

    /** One recorded transition and the number of the probe that caused it (0-based). */
    record Step(int probe, BackendState from, BackendState to, String code) {}

    /** A backend under test: its rise/fall, server and script. */
    static final class Subject {
        final String name;
        final int rise;
        final int fall;
        final ScriptedBackend server;
        final List<Mode> script;
        final List<Probe> probes = new CopyOnWriteArrayList<>();
        final List<Step> steps = new CopyOnWriteArrayList<>();

        Subject(String name, int rise, int fall, ScriptedBackend server, List<Mode> script) {
            this.name = name;
            this.rise = rise;
            this.fall = fall;
            this.server = server;
            this.script = script;
        }

        int max() {
            return rise + fall - 1;
        }
    }

    @Test
    void transitionsFollowRiseAndFallExactlyOverALongFlakyRun() throws Exception {
        int[][] riseFall = {{2, 3}, {4, 2}, {1, 4}};
        Map<String, Subject> subjects = new ConcurrentHashMap<>();
        List<HealthCheck> checks = new ArrayList<>();
        List<Backend> backends = new ArrayList<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        NetProber prober = NetProber.create("faults-test");
        try {
            for (int i = 0; i < riseFall.length; i++) {
                int rise = riseFall[i][0];
                int fall = riseFall[i][1];
                String name = "r" + rise + "f" + fall;
                String address = "127.0.0." + (120 + i);
                ScriptedBackend server = new ScriptedBackend(address);
                Subject s = new Subject(name, rise, fall, server, script(new Random(SEED * 31 + i), rise, fall));
                subjects.put(name, s);
                server.arm(s.script.getFirst());
                checks.add(check(name, CheckType.HTTP, server.port(), http("/flaky"), INTERVAL,
                        Duration.ofSeconds(1), rise, fall));
                backends.add(backend(name, address, name));
            }
            Checker checker = new Checker(prober, timer, InstantSource.system(), new Random(SEED));
            checker.addListener(new HealthListener() {
                @Override
                public void onProbe(String backend, HealthCheck check, ProbeResult r) {
                    Subject s = subjects.get(backend);
                    s.probes.add(new Probe(r.ok(), r.code(), checker.status(backend).counter()));
                    int next = s.probes.size();
                    try {
                        s.server.arm(next < s.script.size() ? s.script.get(next) : Mode.PASS);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void onBackendTransition(BackendTransition t) {
                    Subject s = subjects.get(t.backend());
                    s.steps.add(new Step(s.probes.size() - 1, t.from(), t.to(), t.code()));
                }
            });
            long started = System.nanoTime();
            checker.apply(Checks.config(checks, backends));
            await().atMost(Duration.ofSeconds(60)).until(() -> subjects.values().stream()
                    .allMatch(s -> s.probes.size() >= PROBES));
            checker.close();
            long took = System.nanoTime() - started;

            for (Subject s : subjects.values()) {
                verify(s);
            }
            System.out.printf(Locale.ROOT, "FIGURE flap-bound: seed %d, %d probes per backend every %d ms, %.1f s%n",
                    SEED, PROBES, INTERVAL.toMillis(), took / 1e9);
            for (Subject s : subjects.values()) {
                report(s);
            }
        } finally {
            timer.shutdownNow();
            prober.close();
            for (Subject s : subjects.values()) {
                s.server.close();
            }
        }
    }

    /**
     * A script of {@link #PROBES} modes: runs of passes and failures whose lengths straddle rise
     * and fall (so the counter reaches both ends and stops short of them), with strictly
     * alternating stretches (oscillation) in between. Failures use every failing mode.
     */
    static List<Mode> script(Random r, int rise, int fall) {
        Mode[] failures = {Mode.STATUS_503, Mode.RESET, Mode.REFUSE};
        List<Mode> out = new ArrayList<>();
        boolean pass = true;
        while (out.size() < PROBES) {
            if (r.nextInt(4) == 0) {
                int n = 4 + r.nextInt(8);
                for (int k = 0; k < n; k++) {
                    out.add(k % 2 == 0 ? Mode.PASS : failures[r.nextInt(failures.length)]);
                }
            } else {
                int n = 1 + r.nextInt(rise + fall + 1);
                for (int k = 0; k < n; k++) {
                    out.add(pass ? Mode.PASS : failures[r.nextInt(failures.length)]);
                }
                pass = !pass;
            }
        }
        return List.copyOf(out.subList(0, PROBES));
    }

    private static void verify(Subject s) {
        String who = s.name + " (seed " + SEED + ")";
        List<Probe> probes = List.copyOf(s.probes).subList(0, PROBES);
        List<Step> steps = s.steps.stream().filter(t -> t.probe() < PROBES).toList();

        // 1. The server followed the script.
        for (int i = 0; i < PROBES; i++) {
            assertThat(probes.get(i).code()).as("%s probe %d code", who, i).isEqualTo(s.script.get(i).code);
            assertThat(probes.get(i).ok()).as("%s probe %d ok", who, i).isEqualTo(s.script.get(i).ok);
        }

        // 2. The transitions are exactly the model's (behaviour.md §3.4 with HAProxy's jump to the
        //    far end on a state change), and so is the counter.
        List<Step> expected = new ArrayList<>();
        int c = s.rise - 1; // expedited unknown
        BackendState state = BackendState.UNKNOWN;
        for (int i = 0; i < PROBES; i++) {
            Probe p = probes.get(i);
            c = p.ok() ? Math.min(c + 1, s.max()) : Math.max(c - 1, 0);
            if (c >= s.rise && state != BackendState.UP) {
                c = s.max();
            } else if (c < s.rise && state != BackendState.DOWN) {
                c = 0;
            }
            assertThat(p.counter()).as("%s counter after probe %d", who, i).isEqualTo(c);
            BackendState next = c >= s.rise ? BackendState.UP : BackendState.DOWN;
            if (next != state) {
                expected.add(new Step(i, state, next, p.code()));
                state = next;
            }
        }
        assertThat(steps).as("%s: transitions (probe number, from, to, code)", who).isEqualTo(expected);

        // 3. Never faster than rise/fall allow: after coming up, at least `fall` probes before going
        //    down; after going down, at least `rise` probes before coming up.
        for (int k = 1; k < steps.size(); k++) {
            Step before = steps.get(k - 1);
            Step t = steps.get(k);
            int bound = t.to() == BackendState.DOWN ? s.fall : s.rise;
            assertThat(t.probe() - before.probe()).as("%s: probes between the transitions at %d and %d",
                    who, before.probe(), t.probe()).isGreaterThanOrEqualTo(bound);
        }

        // 4. The rise/fall bounds, measured from the saturated ends of the counter.
        int previous = -1;
        int fallsFromFullyUp = 0;
        int risesFromFullyDown = 0;
        for (Step t : steps) {
            int end = t.to() == BackendState.DOWN ? s.max() : 0;
            int since = -1;
            for (int j = t.probe() - 1; j > previous; j--) {
                if (probes.get(j).counter() == end) {
                    since = j;
                    break;
                }
            }
            if (since >= 0) {
                long fails = probes.subList(since + 1, t.probe() + 1).stream().filter(p -> !p.ok()).count();
                long passes = (t.probe() - since) - fails;
                if (t.to() == BackendState.DOWN) {
                    fallsFromFullyUp++;
                    assertThat(t.probe() - since).as("%s: probes from fully up to down at probe %d", who, t.probe())
                            .isGreaterThanOrEqualTo(s.fall);
                    assertThat(fails).as("%s: failures from fully up to down at probe %d", who, t.probe())
                            .isGreaterThanOrEqualTo(s.fall);
                } else {
                    risesFromFullyDown++;
                    assertThat(t.probe() - since).as("%s: probes from fully down to up at probe %d", who, t.probe())
                            .isGreaterThanOrEqualTo(s.rise);
                    assertThat(passes).as("%s: passes from fully down to up at probe %d", who, t.probe())
                            .isGreaterThanOrEqualTo(s.rise);
                }
            }
            previous = t.probe();
        }
        assertThat(fallsFromFullyUp).as("%s: the run went down from fully up", who).isPositive();
        assertThat(risesFromFullyDown).as("%s: the run came up from fully down", who).isPositive();
    }

    private static void report(Subject s) {
        List<Step> steps = s.steps.stream().filter(t -> t.probe() < PROBES).toList();
        int minGap = Integer.MAX_VALUE;
        int minFromUp = Integer.MAX_VALUE;
        int minFromDown = Integer.MAX_VALUE;
        int previous = -1;
        for (Step t : steps) {
            if (previous >= 0) {
                minGap = Math.min(minGap, t.probe() - previous);
            }
            int end = t.to() == BackendState.DOWN ? s.max() : 0;
            for (int j = t.probe() - 1; j > previous; j--) {
                if (s.probes.get(j).counter() == end) {
                    if (t.to() == BackendState.DOWN) {
                        minFromUp = Math.min(minFromUp, t.probe() - j);
                    } else {
                        minFromDown = Math.min(minFromDown, t.probe() - j);
                    }
                    break;
                }
            }
            previous = t.probe();
        }
        System.out.printf(Locale.ROOT, "FIGURE   %s: %d transitions; min probes between any two transitions %d; "
                        + "fully up -> down min %d probes (fall %d); fully down -> up min %d probes (rise %d)%n",
                s.name, steps.size(), minGap, minFromUp, s.fall, minFromDown, s.rise);
    }
}
