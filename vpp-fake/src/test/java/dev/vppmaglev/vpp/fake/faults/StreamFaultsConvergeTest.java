package dev.vppmaglev.vpp.fake.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.fake.FakeVpp.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.vppmaglev.vpp.fake.faults.Converge.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wire faults in the middle of a full programming (VPP restarted empty, 50 VIPs × 8 ASes to add)
 * and slow replies: the client logs, the session is rebuilt when the stream is unusable, the
 * reconciler converges to exactly the desired table, and the counters loop reads the right
 * values again.
 */
class StreamFaultsConvergeTest {
    static final long SEED = Long.getLong("maglev.faults.seed", 20261121L);

    @TempDir
    Path dir;
    FakeVpp fake;
    Rig rig;
    Events events;
    private final Map<String, Level> levels = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        for (String name : List.of("dev.vppmaglev.vpp.fake", "dev.vppmaglev.vpp.lb", "dev.vppmaglev.health")) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            levels.put(name, l.getLevel());
            l.setLevel(Level.WARN); // an INFO line per lb call on both sides
        }
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).statsSocket(dir.resolve("stats.sock")).seed(SEED)
                .build().start();
        rig = Rig.builder(fake.apiSocket(), Rig.parse(Fleet.A)).stats(dir.resolve("stats.sock"))
                .requestTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).start();
        Converge.table(fake, rig, "first programming");
        Converge.counters(fake, rig, "first scrape", "fe0", "fe13", "fe46");
        events = new Events();
    }

    @AfterEach
    void stop() {
        if (events != null) {
            events.close();
        }
        if (rig != null) {
            rig.close();
        }
        if (fake != null) {
            fake.close();
        }
        levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    static List<Fault> faults() {
        Random r = new Random(SEED);
        byte[] noise = new byte[64];
        r.nextBytes(noise);
        byte[] unknownId = ByteBuffer.allocate(26).putLong(0).putInt(10).putInt(0).putShort((short) 0xfffe)
                .putLong(r.nextLong()).array();
        return List.of(
                new Fault.UnknownContextReply(0x7fff_0000 + r.nextInt(1000)),
                new Fault.Garbage(noise),
                new Fault.Garbage(unknownId),
                new Fault.BadLength(1000),
                new Fault.BadLength(0xffff_ffffL),
                new Fault.TruncatedFrame(40, 10),
                Fault.DROP,
                Fault.RESTART);
    }

    @ParameterizedTest
    @MethodSource("faults")
    void aWireFaultInTheMiddleOfAFullProgrammingConverges(Fault fault) {
        int after = 20 + new Random(SEED ^ fault.toString().hashCode()).nextInt(400); // of ~460 messages
        int connects = rig.connects.get();
        fake.faultAfterMessages(after, fault);
        fake.restart(); // empty VPP: the reconnect's full sync adds 50 VIPs and 400 ASes
        String what = fault + " after " + after + " messages (seed " + SEED + ")";
        Converge.table(fake, rig, what);
        assertThat(fake.cancelFault()).as(what + ": the fault fired").isEmpty();
        Converge.counters(fake, rig, what, "fe0", "fe13", "fe46");
        int reconnects = rig.connects.get() - connects;
        if (fault instanceof Fault.UnknownContextReply u) {
            // the stream stays in step: logged, dropped, same session
            assertThat(reconnects).as(what + ": reconnects").isEqualTo(1); // the restart's
            assertThat(events.named("vpp-api-unexpected-reply")).as(what).anySatisfy(
                    e -> assertThat(e.get("context")).isEqualTo(String.valueOf(u.context())));
        } else {
            assertThat(reconnects).as(what + ": reconnects").isGreaterThanOrEqualTo(2); // the restart's and the fault's
            assertThat(events.named("vpp-disconnect")).as(what).hasSizeGreaterThanOrEqualTo(2);
        }
        if (fault instanceof Fault.Garbage || fault instanceof Fault.BadLength) {
            assertThat(events.named("vpp-api-protocol-error")).as(what + ": logged at WARN").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.level()).isEqualTo(Level.WARN));
        }
    }

    @Test
    void repliesSlowerThanTheRequestTimeoutEndTheSessionThenEverythingRecovers() {
        int disconnects = rig.disconnects.get();
        fake.setReplyDelay(Duration.ofMillis(1200)); // > request timeout (500 ms), > connect timeout
        rig.health.healthy(Converge.ip("10.3.0.2"), false); // a sync that cannot get its replies
        await().atMost(LONG).until(() -> !events.named("vpp-api-timeout").isEmpty());
        await().atMost(LONG).until(() -> rig.disconnects.get() > disconnects); // missed pings
        assertThat(events.named("vpp-lbsync-error")).anySatisfy(
                e -> assertThat(e.get("kind")).isEqualTo("VppTimeoutException"));
        fake.setReplyDelay(Duration.ZERO);
        await().atMost(LONG).until(rig.connection::isConnected);
        Converge.table(fake, rig, "after slow replies");
        Converge.counters(fake, rig, "after slow replies", "fe0", "fe13", "fe46");
    }
}
