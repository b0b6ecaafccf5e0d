package dev.vppmaglev.health.faults;

import static dev.vppmaglev.health.faults.Checks.backend;
import static dev.vppmaglev.health.faults.Checks.check;
import static dev.vppmaglev.health.faults.Checks.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.TcpParams;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.BackendStatus;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.Intervals;
import dev.vppmaglev.health.NetProber;
import dev.vppmaglev.health.ResultCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * The probe loop never stalls other backends: a healthy backend's probe cadence, measured where
 * the probes arrive (a real loopback HTTP server timing each connection), stays within
 * {@code interval ± 10 %} plus {@link #SLACK} while 50 other backends hang (25 on a half-open HTTP
 * server, 25 on a SYN black hole, each probe waiting its whole 2 s timeout, all in flight at
 * once). The same cadence is measured first without them, for comparison; both are printed.
 */
class ProbeLoopIsolationTest {
    static final long SEED = Long.getLong("maglev.faults.seed", 20261121L);
    static final Duration INTERVAL = Duration.ofMillis(250);
    static final Duration HANG_TIMEOUT = Duration.ofSeconds(2);
    /** How late a probe may start, on a loaded 2-core machine. */
    static final Duration SLACK = Duration.ofMillis(150);
    static final int HANGING_PER_KIND = 25;

    @Test
    void fiftyHangingBackendsDoNotSlowAHealthyOne() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        NetProber prober = NetProber.create("faults-test");
        try (ArrivalServer healthy = new ArrivalServer("127.0.0.1");
             HostileServer halfOpen = HostileServer.halfOpen("127.0.0.2");
             HostileServer synHole = HostileServer.synBlackHole("127.0.0.3")) {
            HealthCheck ok = check("ok", CheckType.HTTP, healthy.port(), http("/healthz"), INTERVAL,
                    Duration.ofSeconds(1), 1, 1);
            HealthCheck wedged = check("wedged", CheckType.HTTP, halfOpen.port(), http("/"), Duration.ofMillis(100),
                    HANG_TIMEOUT, 2, 3);
            HealthCheck dropped = check("dropped", CheckType.TCP, synHole.port(), TcpParams.DEFAULTS,
                    Duration.ofMillis(100), HANG_TIMEOUT, 2, 3);
            List<Backend> backends = new ArrayList<>(List.of(backend("healthy", "127.0.0.1", "ok")));
            Checker checker = new Checker(prober, timer, InstantSource.system(), new Random(SEED));

            // Baseline: the healthy backend alone.
            checker.apply(Checks.config(List.of(ok, wedged, dropped), backends));
            await().atMost(Duration.ofSeconds(10)).until(() -> checker.state("healthy") == BackendState.UP);
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            List<Long> alone = healthy.gapsOver(Duration.ofMillis(2600));

            // Now with 50 hanging backends beside it (a reload: the healthy worker keeps running).
            for (int i = 0; i < HANGING_PER_KIND; i++) {
                backends.add(backend(String.format(Locale.ROOT, "wedged-%02d", i), "127.0.0.2", "wedged"));
                backends.add(backend(String.format(Locale.ROOT, "dropped-%02d", i), "127.0.0.3", "dropped"));
            }
            checker.apply(Checks.config(List.of(ok, wedged, dropped), backends));
            await().atMost(Duration.ofSeconds(10)).until(() -> halfOpen.maxOpen() >= HANGING_PER_KIND * 4 / 5);
            List<Long> crowded = healthy.gapsOver(Duration.ofMillis(5100));
            int threadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();

            // The hanging backends really hung: every one waited out its timeout and went down.
            await().atMost(Duration.ofSeconds(10)).until(() -> checker.statuses().stream()
                    .filter(s -> !s.name().equals("healthy")).allMatch(s -> s.state() == BackendState.DOWN));
            for (BackendStatus s : checker.statuses()) {
                if (s.name().equals("healthy")) {
                    assertThat(s.state()).isEqualTo(BackendState.UP);
                    continue;
                }
                String code = s.name().startsWith("wedged") ? ResultCodes.L7TOUT : ResultCodes.L4TOUT;
                assertThat(s.lastResult().code()).as(s.name()).isEqualTo(code);
                assertThat(s.lastResult().duration()).as(s.name()).isGreaterThanOrEqualTo(HANG_TIMEOUT);
            }
            checker.close();

            long low = Math.round(INTERVAL.toNanos() * (1 - Intervals.JITTER)) - Duration.ofMillis(5).toNanos();
            long high = Math.round(INTERVAL.toNanos() * (1 + Intervals.JITTER)) + SLACK.toNanos();
            System.out.printf(Locale.ROOT, "FIGURE probe-isolation: healthy interval %d ms (jitter +-10%%, allowed "
                            + "%.0f..%.0f ms between probe arrivals), hanging timeout %d ms, seed %d%n",
                    INTERVAL.toMillis(), low / 1e6, high / 1e6, HANG_TIMEOUT.toMillis(), SEED);
            System.out.println("FIGURE   alone:                 " + summary(alone));
            System.out.println("FIGURE   with 50 hanging:       " + summary(crowded));
            System.out.printf(Locale.ROOT, "FIGURE   half-open connections open at once (hanging probes in flight): %d; platform threads %d -> %d%n",
                    halfOpen.maxOpen(), threadsBefore, threadsDuring);
            assertThat(alone).as("baseline gaps (seed %d)", SEED).hasSizeGreaterThanOrEqualTo(6);
            assertThat(crowded).as("gaps next to 50 hanging backends (seed %d)", SEED).hasSizeGreaterThanOrEqualTo(14);
            for (List<Long> gaps : List.of(alone, crowded)) {
                assertThat(gaps).as("probe arrival gaps in ns (seed %d)", SEED).allSatisfy(g ->
                        assertThat(g).isBetween(low, high));
            }
            assertThat(threadsDuring - threadsBefore).as("no thread per backend").isLessThan(10);
        } finally {
            timer.shutdownNow();
            prober.close();
        }
    }

    private static String summary(List<Long> gaps) {
        List<Long> sorted = gaps.stream().sorted().toList();
        return String.format(Locale.ROOT, "%d gaps, min %.1f ms, median %.1f ms, max %.1f ms", sorted.size(),
                sorted.getFirst() / 1e6, sorted.get(sorted.size() / 2) / 1e6, sorted.getLast() / 1e6);
    }

    /** An HTTP 200 server that records when each connection arrives. */
    static final class ArrivalServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket();
        private final List<Long> arrivals = new CopyOnWriteArrayList<>();

        ArrivalServer(String address) throws IOException {
            listener.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            Thread.ofPlatform().daemon().name("arrivals").start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket s = listener.accept();
                        arrivals.add(System.nanoTime());
                        Thread.ofVirtual().start(() -> answer(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        /** The gaps between the arrivals of the next {@code window}. */
        List<Long> gapsOver(Duration window) throws InterruptedException {
            int from = arrivals.size();
            Thread.sleep(window); // a measuring window, not a wait for a condition
            List<Long> got = List.copyOf(arrivals.subList(from, arrivals.size()));
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < got.size(); i++) {
                gaps.add(got.get(i) - got.get(i - 1));
            }
            return gaps;
        }

        private static void answer(Socket s) {
            try (s) {
                HostileServer.readRequestHead(s);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException ignored) {
                // the probe closed first
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
