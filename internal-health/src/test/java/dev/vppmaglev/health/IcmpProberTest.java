package dev.vppmaglev.health;

import static dev.vppmaglev.health.Fixtures.check;
import static dev.vppmaglev.health.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.health.IcmpProber.Family;
import dev.vppmaglev.health.IcmpProber.Kind;
import dev.vppmaglev.health.IcmpProber.Ready;
import dev.vppmaglev.health.IcmpProber.Refused;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

class IcmpProberTest {
    private static final int EAFNOSUPPORT = 97;
    private static final HealthCheck ICMP = check("ping", CheckType.ICMP).timeout(Duration.ofSeconds(5)).build();
    private static final HealthCheck ICMP_SHORT = check("ping", CheckType.ICMP).timeout(Duration.ofMillis(500)).build();

    private static ScheduledExecutorService timer;

    @BeforeAll
    static void startTimer() {
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopTimer() {
        timer.shutdownNow();
    }

    private static ProbeResult probe(IcmpProber p, HealthCheck c, String address) throws Exception {
        return p.probe(c, ip(address)).get(20, TimeUnit.SECONDS);
    }

    /** The socket-open fallback rule, with socket(2) scripted. */
    @Nested
    class Opening {
        private final List<String> calls = new ArrayList<>();

        private IcmpProber.SocketCall scripted(int raw, int ping) {
            return (domain, type, protocol) -> {
                boolean isRaw = (type & 0xf) == Native.SOCK_RAW;
                calls.add(domain + "/" + (isRaw ? "raw" : "dgram") + "/" + protocol
                        + ((type & Native.SOCK_CLOEXEC) != 0 ? "/cloexec" : ""));
                return isRaw ? raw : ping;
            };
        }

        @Test
        void rawWhenPermitted() {
            assertThat(IcmpProber.open(Family.V4, scripted(7, 8))).isEqualTo(new Ready(7, Kind.RAW));
            assertThat(calls).containsExactly("2/raw/1/cloexec");
        }

        @Test
        void pingSocketWhenRawIsNotPermitted() {
            assertThat(IcmpProber.open(Family.V6, scripted(-Native.EPERM, 9))).isEqualTo(new Ready(9, Kind.PING));
            assertThat(calls).containsExactly("10/raw/58/cloexec", "10/dgram/58/cloexec");
        }

        @Test
        void clearRefusalWhenNeitherIsPermitted() {
            assertThat(IcmpProber.open(Family.V4, scripted(-Native.EPERM, -Native.EACCES)))
                    .isEqualTo(new Refused(true, IcmpProber.NO_PERMISSION));
            assertThat(IcmpProber.NO_PERMISSION).contains("CAP_NET_RAW").contains("net.ipv4.ping_group_range");
        }

        @Test
        void otherErrorsAreNamed() {
            Refused r = (Refused) IcmpProber.open(Family.V6, scripted(-EAFNOSUPPORT, -EAFNOSUPPORT));
            assertThat(r.permission()).isFalse();
            assertThat(r.detail()).isEqualTo("cannot open an ICMPv6 socket: raw: Address family not supported by "
                    + "protocol; ping: Address family not supported by protocol");
        }

        @Test
        void probesFailWithIcmpunrAndTheReasonAndRetryLater() throws Exception {
            int[] attempts = {0};
            try (IcmpProber p = new IcmpProber(timer, Runnable::run, (d, t, pr) -> {
                attempts[0]++;
                return (t & 0xf) == Native.SOCK_RAW ? -Native.EPERM : -Native.EACCES;
            })) {
                ProbeResult r = probe(p, ICMP, "127.0.0.1");
                assertThat(r.ok()).isFalse();
                assertThat(r.code()).isEqualTo(ResultCodes.ICMPUNR);
                assertThat(r.detail()).isEqualTo(IcmpProber.NO_PERMISSION);
                probe(p, ICMP, "127.0.0.1");
                assertThat(attempts[0]).as("opening is retried on the next probe").isEqualTo(4);
            }
        }
    }

    @Test
    void echoRequestChecksumVerifies() {
        byte[] payload = new byte[IcmpProber.PAYLOAD_BYTES];
        ThreadLocalRandom.current().nextBytes(payload);
        byte[] packet = IcmpProber.echoRequest(8, 0x1234, 0xbeef, payload, true);
        assertThat(packet).hasSize(24);
        assertThat(IcmpProber.checksum(MemorySegment.ofArray(packet), 0, packet.length)).isZero();
        packet[10] ^= 1; // a flipped bit is detected
        assertThat(IcmpProber.checksum(MemorySegment.ofArray(packet), 0, packet.length)).isNotZero();
        // RFC 1071 example bytes 00 01 f2 03 f4 f5 f6 f7: sum 0xddf2, checksum 0x220d
        byte[] rfc = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(IcmpProber.checksum(MemorySegment.ofArray(rfc), 0, rfc.length)).isEqualTo(0x220d);
    }

    /** Real raw sockets in the test's own namespace (needs root, as the daemon needs CAP_NET_RAW). */
    @Nested
    class Loopback {
        @Test
        void loopbackAnswersOverRawSockets() throws Exception {
            assumeTrue(TestNetns.root(), "raw ICMP needs root (CI runs as root)");
            try (IcmpProber p = new IcmpProber(timer, Runnable::run)) {
                ProbeResult v4 = probe(p, ICMP, "127.0.0.1");
                assertThat(v4.ok()).isTrue();
                assertThat(v4.code()).isEqualTo(ResultCodes.ICMPOK);
                assertThat(v4.detail()).isEqualTo("echo reply from 127.0.0.1");
                assertThat(p.kind(Family.V4)).isEqualTo(Kind.RAW);

                ProbeResult v6 = probe(p, ICMP, "::1");
                assertThat(v6.code()).isEqualTo(ResultCodes.ICMPOK);
                assertThat(v6.detail()).isEqualTo("echo reply from ::1");
                assertThat(p.kind(Family.V6)).isEqualTo(Kind.RAW);
            }
        }

        @Test
        void manyConcurrentProbesShareOneSocket() throws Exception {
            assumeTrue(TestNetns.root(), "raw ICMP needs root (CI runs as root)");
            // a second prober (another raw socket seeing every reply too) must not steal replies
            IcmpProber p = new IcmpProber(timer, Runnable::run);
            try (IcmpProber other = new IcmpProber(timer, Runnable::run)) {
                List<java.util.concurrent.CompletableFuture<ProbeResult>> all = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    all.add(p.probe(ICMP, ip(i % 2 == 0 ? "127.0.0.1" : "127.0.0.2")));
                    all.add(other.probe(ICMP, ip("127.0.0.1")));
                }
                for (var f : all) {
                    assertThat(f.get(20, TimeUnit.SECONDS).code()).isEqualTo(ResultCodes.ICMPOK);
                }
                Thread rx = p.receiver(Family.V4);
                assertThat(rx).isNotNull();
                assertThat(p.receiver(Family.V6)).as("no IPv6 socket opened").isNull();
                p.close();
                assertThat(rx.isAlive()).as("close wakes and ends the receiver thread").isFalse();
            } finally {
                p.close(); // idempotent
            }
        }
    }

    /**
     * Two namespaces joined by a veth pair: the prober's sockets are made in "a" (through the
     * socketExecutor hook, on a thread that entered it); "b" routes for it: 10.66.1.0/24 and
     * fd66:1::/64 are unreachable routes there (ICMP errors come back), 10.66.2.0/24 and fd66:2::/64
     * are black holes (nothing comes back).
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Namespaces {
        private final String suffix = Long.toString(ProcessHandle.current().pid() % 100000, 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
        private final String nsA = "mglv-hc-a-" + suffix;
        private final String nsB = "mglv-hc-b-" + suffix;
        private ExecutorService inA;

        @BeforeAll
        void createNamespaces() throws Exception {
            assumeTrue(TestNetns.root(), "network namespaces need root (CI runs as root)");
            String vethA = "mgva" + suffix;
            String vethB = "mgvb" + suffix;
            TestNetns.ip("netns", "add", nsA);
            TestNetns.ip("netns", "add", nsB);
            TestNetns.ip("link", "add", vethA, "netns", nsA, "type", "veth", "peer", "name", vethB, "netns", nsB);
            for (String ns : List.of(nsA, nsB)) {
                TestNetns.ip("-n", ns, "link", "set", "lo", "up");
            }
            TestNetns.ip("-n", nsA, "addr", "add", "10.66.0.1/30", "dev", vethA);
            TestNetns.ip("-n", nsA, "-6", "addr", "add", "fd66::1/64", "dev", vethA, "nodad");
            TestNetns.ip("-n", nsA, "link", "set", vethA, "up");
            TestNetns.ip("-n", nsB, "addr", "add", "10.66.0.2/30", "dev", vethB);
            TestNetns.ip("-n", nsB, "-6", "addr", "add", "fd66::2/64", "dev", vethB, "nodad");
            TestNetns.ip("-n", nsB, "link", "set", vethB, "up");
            for (String net : List.of("10.66.1.0/24", "10.66.2.0/24")) {
                TestNetns.ip("-n", nsA, "route", "add", net, "via", "10.66.0.2");
            }
            for (String net : List.of("fd66:1::/64", "fd66:2::/64")) {
                TestNetns.ip("-n", nsA, "-6", "route", "add", net, "via", "fd66::2");
            }
            TestNetns.ip("-n", nsB, "route", "add", "unreachable", "10.66.1.0/24");
            TestNetns.ip("-n", nsB, "route", "add", "blackhole", "10.66.2.0/24");
            TestNetns.ip("-n", nsB, "-6", "route", "add", "unreachable", "fd66:1::/64");
            TestNetns.ip("-n", nsB, "-6", "route", "add", "blackhole", "fd66:2::/64");
            TestNetns.sysctl(nsB, "net.ipv4.ip_forward", "1");
            TestNetns.sysctl(nsB, "net.ipv6.conf.all.forwarding", "1");
            TestNetns.sysctl(nsA, "net.ipv4.ping_group_range", "0 2147483647");
            TestNetns.ip("-n", nsA, "route", "add", "unreachable", "203.0.113.0/24");
            inA = TestNetns.executorIn(nsA);
        }

        @AfterAll
        void deleteNamespaces() {
            if (inA != null) {
                inA.shutdownNow();
            }
            TestNetns.deleteQuietly(nsA);
            TestNetns.deleteQuietly(nsB);
        }

        @Test
        void rawSocketsSeeReplyUnreachableAndSilence() throws Exception {
            try (IcmpProber p = new IcmpProber(timer, inA)) {
                assertThat(probe(p, ICMP, "10.66.0.2").code()).isEqualTo(ResultCodes.ICMPOK);
                assertThat(p.kind(Family.V4)).isEqualTo(Kind.RAW);

                ProbeResult unr = probe(p, ICMP, "10.66.1.5");
                assertThat(unr.code()).isEqualTo(ResultCodes.ICMPUNR);
                assertThat(unr.detail()).isEqualTo("destination unreachable: host unreachable (from 10.66.0.2)");

                ProbeResult tout = probe(p, ICMP_SHORT, "10.66.2.5");
                assertThat(tout.code()).isEqualTo(ResultCodes.ICMPTOUT);
                assertThat(tout.detail()).isEqualTo("no echo reply within 500 ms");
                assertThat(tout.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(490));

                ProbeResult local = probe(p, ICMP, "203.0.113.9");
                assertThat(local.code()).isEqualTo(ResultCodes.ICMPUNR);
                assertThat(local.detail()).isEqualTo("cannot send echo request: No route to host");
            }
        }

        @Test
        void rawIpv6SocketsSeeReplyUnreachableAndSilence() throws Exception {
            try (IcmpProber p = new IcmpProber(timer, inA)) {
                assertThat(probe(p, ICMP, "fd66::2").code()).isEqualTo(ResultCodes.ICMPOK);
                ProbeResult unr = probe(p, ICMP, "fd66:1::5");
                assertThat(unr.code()).isEqualTo(ResultCodes.ICMPUNR);
                assertThat(unr.detail()).startsWith("destination unreachable: ").endsWith("(from fd66::2)");
                assertThat(probe(p, ICMP_SHORT, "fd66:2::5").code()).isEqualTo(ResultCodes.ICMPTOUT);
            }
        }

        @Test
        void pingSocketFallbackWorks() throws Exception {
            IcmpProber.SocketCall noRaw = (d, t, pr) -> (t & 0xf) == Native.SOCK_RAW ? -Native.EPERM
                    : Native.socket(d, t, pr);
            try (IcmpProber p = new IcmpProber(timer, inA, noRaw)) {
                ProbeResult v4 = probe(p, ICMP, "10.66.0.2");
                assertThat(v4.code()).isEqualTo(ResultCodes.ICMPOK);
                assertThat(v4.detail()).isEqualTo("echo reply from 10.66.0.2");
                assertThat(p.kind(Family.V4)).isEqualTo(Kind.PING);
                assertThat(probe(p, ICMP, "fd66::2").code()).isEqualTo(ResultCodes.ICMPOK);
                assertThat(p.kind(Family.V6)).isEqualTo(Kind.PING);
                // ping sockets get no ICMP errors without IP_RECVERR: unreachable shows as a timeout
                assertThat(probe(p, ICMP_SHORT, "10.66.1.5").code()).isEqualTo(ResultCodes.ICMPTOUT);
            }
        }
    }
}
