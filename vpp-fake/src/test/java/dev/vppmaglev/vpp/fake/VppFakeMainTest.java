package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.StatsSessionPart;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionConfig;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.counters.CountedVip;
import dev.vppmaglev.vpp.counters.CountersLoop;
import dev.vppmaglev.vpp.counters.VipCounters;
import dev.vppmaglev.vpp.stats.StatsOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code bin/vpp-fake}: argument handling (clear errors, exit code 2) and both sockets served. */
class VppFakeMainTest {
    @TempDir
    Path dir;

    private static String stderrOf(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            assertThat(VppFakeMain.run(args)).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    @Test
    void badArgumentsExitTwoWithAClearMessage() {
        assertThat(stderrOf()).contains("vpp-fake: --api PATH is required").contains("usage: vpp-fake --api PATH");
        assertThat(stderrOf("--api")).contains("--api needs a value");
        assertThat(stderrOf("--api", "/tmp/x.sock", "--bogus")).contains("unknown argument '--bogus'");
        assertThat(stderrOf("--api", "/tmp/x.sock", "--pid", "x")).contains("--pid needs a number, got 'x'");
        assertThat(stderrOf("--api", "/tmp/x.sock", "--threads", "0")).contains("--threads must be 1..256, got 0");
        assertThat(stderrOf("--api", "/tmp/x.sock", "--stats", "/tmp/x.sock"))
                .contains("--api and --stats must be different paths");
    }

    @Test
    void aSocketThatCannotBeBoundIsNamed() {
        Path missing = dir.resolve("no-such-dir");
        assertThatThrownBy(() -> VppFakeMain.start(VppFakeMain.parse(new String[] {
                "--api", missing.resolve("api.sock").toString(), "--stats", dir.resolve("stats.sock").toString()})))
                .isInstanceOf(IOException.class).hasMessageStartingWith("API socket " + missing.resolve("api.sock"));
        assertThatThrownBy(() -> VppFakeMain.start(VppFakeMain.parse(new String[] {
                "--api", dir.resolve("api.sock").toString(), "--stats", missing.resolve("stats.sock").toString()})))
                .isInstanceOf(IOException.class).hasMessageStartingWith("stats socket " + missing.resolve("stats.sock"));
    }

    @Test
    void helpSaysWhatItIs() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertThat(VppFakeMain.run(new String[] {"--help"})).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(buf.toString()).contains("A fake FD.io VPP", "--stats PATH", "stats.sock", "--traffic", "--threads N");
    }

    @Test
    void servesTheApiAndTheStatsSegmentToAClientThatReadsCounters() throws Exception {
        Path api = dir.resolve("api.sock");
        Path stats = dir.resolve("stats.sock");
        VppFakeMain.Options o = VppFakeMain.parse(new String[] {"--api", api.toString(), "--stats", stats.toString(),
                "--threads", "2", "--traffic", "--pid", "4242"});
        try (VppFakeMain.Running running = VppFakeMain.start(o)) {
            StatsSessionPart part = StatsSessionPart.unixSocket(stats, StatsOptions.DEFAULT);
            try (VppConnection conn = new VppConnection(VppConnectionConfig.defaults(api), ApiObserver.NONE, part,
                    Clock.systemUTC())) {
                conn.start();
                await().atMost(Duration.ofSeconds(30)).until(conn::isConnected);
                assertThat(conn.info().pid()).isEqualTo(4242);
                assertThat(conn.info().bootTime()).contains(running.fake().bootTime());

                LbVip vip = LbVip.host(InetAddress.getByName("192.0.2.1"), 6, 80);
                conn.lb().addVip(VipSpec.of(vip, LbEncap.GRE4)).get(20, TimeUnit.SECONDS);
                try (CountersLoop loop = new CountersLoop(conn, part, () -> List.of(new CountedVip("web", vip)),
                        Duration.ofMillis(200), Clock.systemUTC())) {
                    loop.start();
                    // --traffic: a VIP without AS counts 10 "no server" packets per second
                    await().atMost(Duration.ofSeconds(30)).until(() -> loop.snapshot()
                            .flatMap(s -> s.frontend("web")).map(VipCounters::noServer).orElse(0L) >= 20);
                    VipCounters web = loop.snapshot().orElseThrow().frontend("web").orElseThrow();
                    assertThat(web.fibPackets()).isGreaterThanOrEqualTo(web.noServer());
                    assertThat(web.fibBytes()).isEqualTo(100 * web.fibPackets());

                    conn.lb().addAs(vip, InetAddress.getByName("10.0.0.1"), 100, false).get(20, TimeUnit.SECONDS);
                    await().atMost(Duration.ofSeconds(30)).until(() -> loop.snapshot()
                            .flatMap(s -> s.frontend("web")).map(VipCounters::first).orElse(0L) >= 1);
                }
            }
        }
    }
}
