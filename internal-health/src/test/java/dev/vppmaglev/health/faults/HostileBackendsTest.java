package dev.vppmaglev.health.faults;

import static dev.vppmaglev.health.faults.Checks.check;
import static dev.vppmaglev.health.faults.Checks.http;
import static dev.vppmaglev.health.faults.Checks.httpExpectBody;
import static dev.vppmaglev.health.faults.Checks.https;
import static dev.vppmaglev.health.faults.Checks.ip;
import static dev.vppmaglev.health.faults.Checks.tcpExpect;
import static dev.vppmaglev.health.faults.Checks.tcpTls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.TcpParams;
import dev.vppmaglev.health.NetProber;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.health.ResultCodes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Backends that misbehave the way production ones do, on real loopback sockets, probed by the
 * daemon's own prober ({@link NetProber}): each fault gives the right result code, and gives it
 * within the check's {@code timeout} plus {@link #SLACK}; a fault that is a timeout never answers
 * early. All cases run at the same time, {@link #ROUNDS} times, so the figures include the
 * prober working on many hostile connections at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileBackendsTest {
    /** Every check's timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** How late a result may be, on a loaded 2-core machine. */
    static final Duration SLACK = Duration.ofMillis(500);
    static final int ROUNDS = 3;
    static final String NEEDLE = "service-ok";

    private final List<HostileServer> servers = new ArrayList<>();
    private NetProber prober;

    /**
     * One fault.
     *
     * @param name    what it is
     * @param check   how it is probed
     * @param target  the address probed
     * @param codes   the right result codes (one, or two where the kernel may legitimately report
     *                the same fault at either layer)
     * @param timeout whether the fault can only be seen as a timeout (the probe waits the whole
     *                {@code timeout})
     */
    record Case(String name, HealthCheck check, String target, Set<String> codes, boolean timeout) {}

    @BeforeAll
    void start() {
        prober = NetProber.create("faults-test");
    }

    @AfterAll
    void stop() throws IOException {
        for (HostileServer s : servers) {
            s.close();
        }
        prober.close();
    }

    private HostileServer serve(HostileServer s) {
        servers.add(s);
        return s;
    }

    private List<Case> cases() throws IOException {
        List<Case> c = new ArrayList<>();
        // RST storms: reset right after accept, or after reading the request.
        HostileServer rstNow = serve(HostileServer.resetting("127.0.0.1"));
        c.add(new Case("rst-on-accept/http", check("h", CheckType.HTTP, rstNow.port(), http("/"), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L7RSP, ResultCodes.L4CON), false));
        HostileServer rstLate = serve(HostileServer.resettingAfterRequest("127.0.0.1"));
        c.add(new Case("rst-after-request/http", check("h", CheckType.HTTP, rstLate.port(), http("/"), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L7RSP), false));
        c.add(new Case("rst-after-send/tcp-expect", check("t", CheckType.TCP, rstLate.port(),
                tcpExpect("PING\r\n\r\n", "^\\+PONG"), TIMEOUT), "127.0.0.1", Set.of(ResultCodes.L7RSP), false));
        HostileServer rstTls = serve(HostileServer.resettingAfterClientHello("127.0.0.1"));
        c.add(new Case("rst-after-client-hello/https", check("s", CheckType.HTTPS, rstTls.port(), https(), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L6RSP), false));
        int refused = HostileServer.closedPort("127.0.0.1");
        c.add(new Case("refused/tcp", check("t", CheckType.TCP, refused, TcpParams.DEFAULTS, TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L4CON), false));
        c.add(new Case("refused/http", check("h", CheckType.HTTP, refused, http("/"), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L4CON), false));

        // Half-open: accepts, never answers, never closes.
        HostileServer wedged = serve(HostileServer.halfOpen("127.0.0.1"));
        c.add(new Case("half-open/http", check("h", CheckType.HTTP, wedged.port(), http("/"), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L7TOUT), true));
        c.add(new Case("half-open/tcp-expect", check("t", CheckType.TCP, wedged.port(),
                tcpExpect("PING\r\n", "^\\+PONG"), TIMEOUT), "127.0.0.1", Set.of(ResultCodes.L7TOUT), true));
        c.add(new Case("half-open/https", check("s", CheckType.HTTPS, wedged.port(), https(), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L6TOUT), true));
        // A plain connect check cannot see a wedged process: the kernel completes the handshake.
        c.add(new Case("half-open/tcp-connect", check("t", CheckType.TCP, wedged.port(), TcpParams.DEFAULTS, TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L4OK), false));
        HostileServer wedged6 = serve(HostileServer.halfOpen("::1"));
        c.add(new Case("half-open/http-ipv6", check("h", CheckType.HTTP, wedged6.port(), http("/"), TIMEOUT),
                "::1", Set.of(ResultCodes.L7TOUT), true));

        // Trickles: one byte every 100 ms, forever past the timeout.
        HostileServer slowHead = serve(HostileServer.tricklingHeaders("127.0.0.1"));
        c.add(new Case("trickle-status-line/http", check("h", CheckType.HTTP, slowHead.port(), http("/"), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L7TOUT), true));
        HostileServer slowBody = serve(HostileServer.tricklingBody("127.0.0.1", NEEDLE));
        c.add(new Case("trickle-body/http-expect-body", check("h", CheckType.HTTP, slowBody.port(),
                httpExpectBody("/", NEEDLE), TIMEOUT), "127.0.0.1", Set.of(ResultCodes.L7TOUT), true));
        HostileServer slowHead6 = serve(HostileServer.tricklingHeaders("::1"));
        c.add(new Case("trickle-status-line/http-ipv6", check("h", CheckType.HTTP, slowHead6.port(), http("/"),
                TIMEOUT), "::1", Set.of(ResultCodes.L7TOUT), true));

        // TLS handshakes that stall: nothing after the ClientHello, or a ServerHello record trickled.
        HostileServer tlsStall = serve(HostileServer.tlsStall("127.0.0.1"));
        c.add(new Case("tls-stall/https", check("s", CheckType.HTTPS, tlsStall.port(), https(), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L6TOUT), true));
        c.add(new Case("tls-stall/tcp-tls", check("t", CheckType.TCP, tlsStall.port(), tcpTls(), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L6TOUT), true));
        HostileServer tlsTrickle = serve(HostileServer.tlsTrickle("127.0.0.1"));
        c.add(new Case("tls-trickle/https", check("s", CheckType.HTTPS, tlsTrickle.port(), https(), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L6TOUT), true));

        // SYN black hole: the connect itself never completes.
        HostileServer synHole = serve(HostileServer.synBlackHole("127.0.0.1"));
        c.add(new Case("syn-black-hole/tcp", check("t", CheckType.TCP, synHole.port(), TcpParams.DEFAULTS, TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L4TOUT), true));
        c.add(new Case("syn-black-hole/http", check("h", CheckType.HTTP, synHole.port(), http("/"), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L4TOUT), true));
        c.add(new Case("syn-black-hole/https", check("s", CheckType.HTTPS, synHole.port(), https(), TIMEOUT),
                "127.0.0.1", Set.of(ResultCodes.L4TOUT), true));
        return c;
    }

    @Test
    void everyFaultGivesItsCodeWithinTheTimeout() throws Exception {
        List<Case> cases = cases();
        long[][] elapsed = new long[cases.size()][ROUNDS];
        List<Set<String>> seen = new ArrayList<>();
        cases.forEach(k -> seen.add(new TreeSet<>()));
        for (int round = 0; round < ROUNDS; round++) {
            List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
            long[] started = new long[cases.size()];
            long[] done = new long[cases.size()];
            for (int i = 0; i < cases.size(); i++) {
                Case k = cases.get(i);
                int index = i;
                started[i] = System.nanoTime();
                results.add(prober.probe(k.check(), ip(k.target()))
                        .whenComplete((r, e) -> done[index] = System.nanoTime()));
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < cases.size(); i++) {
                Case k = cases.get(i);
                ProbeResult r = results.get(i).join();
                seen.get(i).add(r.code());
                elapsed[i][round] = done[i] - started[i];
                Duration took = Duration.ofNanos(elapsed[i][round]);
                assertThat(r.code()).as("%s (round %d): %s", k.name(), round, r).isIn(k.codes());
                assertThat(took).as("%s (round %d) answered within timeout + slack: %s", k.name(), round, r)
                        .isLessThanOrEqualTo(TIMEOUT.plus(SLACK));
                if (k.timeout()) {
                    assertThat(took).as("%s (round %d) did not give up early", k.name(), round)
                            .isGreaterThanOrEqualTo(TIMEOUT);
                    assertThat(r.detail()).as(k.name()).contains(TIMEOUT.toMillis() + " ms");
                }
            }
        }
        System.out.println("FIGURE hostile-backends: timeout " + TIMEOUT.toMillis() + " ms, " + cases.size()
                + " faults probed concurrently, " + ROUNDS + " rounds; worst result time per fault:");
        long worstOverrun = 0;
        for (int i = 0; i < cases.size(); i++) {
            long max = 0;
            for (long e : elapsed[i]) {
                max = Math.max(max, e);
            }
            if (cases.get(i).timeout()) {
                worstOverrun = Math.max(worstOverrun, max - TIMEOUT.toNanos());
            }
            System.out.printf(Locale.ROOT, "FIGURE   %-32s %-12s %8.1f ms%n", cases.get(i).name(),
                    String.join("|", seen.get(i)), max / 1e6);
        }
        System.out.printf(Locale.ROOT, "FIGURE hostile-backends: worst timeout overrun %.1f ms (allowed %d ms)%n",
                worstOverrun / 1e6, SLACK.toMillis());
    }
}
