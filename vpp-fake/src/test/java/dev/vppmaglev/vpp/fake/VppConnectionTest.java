package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionConfig;
import dev.vppmaglev.vpp.VppConnectionListener;
import dev.vppmaglev.vpp.VppInfo;
import dev.vppmaglev.vpp.VppSession;
import dev.vppmaglev.vpp.VppSessionPart;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.VppNotConnectedException;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The connection manager against {@link FakeVpp}: connect, liveness, reconnect, session parts. */
class VppConnectionTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");
    @TempDir
    Path dir;
    private FakeVpp fake;
    private VppConnection conn;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (conn != null) {
            conn.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private FakeVpp fake(boolean lbV2) throws IOException {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(lbV2).pid(5000).build().start();
        return fake;
    }

    private VppConnection connection(VppSessionPart part, Duration ping, int misses, Duration requestTimeout) {
        VppConnectionConfig cfg = new VppConnectionConfig(
                VppApiClientConfig.defaults(dir.resolve("api.sock")).withRequestTimeout(requestTimeout), ping, misses,
                Duration.ofMillis(200));
        conn = new VppConnection(cfg, ApiObserver.NONE, part, Clock.fixed(T0, ZoneOffset.UTC));
        conn.addListener(new VppConnectionListener() {
            @Override
            public void onConnected(VppSession s) {
                events.add("connected pid " + s.info().pid());
            }

            @Override
            public void onDisconnected(String reason) {
                events.add("disconnected " + reason);
            }
        });
        conn.start();
        return conn;
    }

    private VppConnection connection() {
        return connection(VppSessionPart.NONE, Duration.ofSeconds(10), 3, Duration.ofSeconds(5));
    }

    @Test
    void connectsAndReportsWhatVppSaidAboutItself() throws Exception {
        fake(true);
        connection();
        await().atMost(LONG).until(conn::isConnected);
        VppInfo info = conn.info();
        assertThat(info.connected()).isTrue();
        assertThat(info.program()).isEqualTo("vpe");
        assertThat(info.version()).isEqualTo("26.10-rc0~374-gb575ec2c56d");
        assertThat(info.buildDate()).isEqualTo("2026-11-21T07:29:40");
        assertThat(info.pid()).isEqualTo(5000);
        assertThat(info.clientIndex()).isEqualTo(0x80000001);
        assertThat(info.connectedSince()).isEqualTo(T0);
        assertThat(info.lbV2Supported()).isTrue();
        assertThat(info.degradedReason()).isEmpty();
        assertThat(events).containsExactly("connected pid 5000");
        assertThat(fake.callCount("show_version")).isEqualTo(1);
        assertThat(conn.lb().controlPing().get(LONG.toSeconds(), TimeUnit.SECONDS).vpePid()).isEqualTo(5000);
    }

    @Test
    void logsVppConnectAndVppDisconnectWithTheirDetails() throws Exception {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(VppConnection.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            fake(true);
            connection();
            await().atMost(LONG).until(conn::isConnected);
            fake.dropConnections();
            await().atMost(LONG).until(() -> logs.list.stream().anyMatch(e -> e.getMessage().equals("vpp-disconnect")));
            ILoggingEvent connect = logs.list.stream().filter(e -> e.getMessage().equals("vpp-connect")).findFirst()
                    .orElseThrow();
            assertThat(connect.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
            assertThat(kv(connect, "version")).isEqualTo("26.10-rc0~374-gb575ec2c56d");
            assertThat(kv(connect, "pid")).isEqualTo(5000);
            assertThat(kv(connect, "lb_v2")).isEqualTo(true);
            ILoggingEvent disconnect = logs.list.stream().filter(e -> e.getMessage().equals("vpp-disconnect"))
                    .findFirst().orElseThrow();
            assertThat((String) kv(disconnect, "reason")).contains("VPP closed the API socket");
        } finally {
            logger.detachAppender(logs);
        }
    }

    private static Object kv(ILoggingEvent e, String key) {
        return e.getKeyValuePairs().stream().filter(p -> p.key.equals(key)).findFirst().orElseThrow().value;
    }

    @Test
    void startsBeforeVppExistsAndConnectsWhenItComes() throws Exception {
        connection();
        assertThat(conn.info()).isEqualTo(VppInfo.DISCONNECTED);
        assertThat(conn.info().degradedReason()).isEqualTo("not connected");
        assertThatThrownBy(() -> conn.lb().controlPing().get(LONG.toSeconds(), TimeUnit.SECONDS))
                .satisfies(e -> assertThat(VppException.unwrap(e)).isInstanceOf(VppNotConnectedException.class));
        fake(true);
        await().atMost(LONG).until(conn::isConnected);
        assertThat(events).containsExactly("connected pid 5000");
    }

    @Test
    void reconnectsAfterVppDropsTheSocketAndAfterARestart() throws Exception {
        fake(true);
        connection();
        await().atMost(LONG).until(conn::isConnected);
        fake.dropConnections();
        await().atMost(LONG).until(() -> events.size() == 3);
        assertThat(events.get(1)).startsWith("disconnected ");
        assertThat(events.get(2)).isEqualTo("connected pid 5000");
        fake.restart();
        await().atMost(LONG).until(() -> events.size() == 5 && conn.isConnected());
        assertThat(events.get(4)).isEqualTo("connected pid 5001");
        assertThat(conn.info().pid()).isEqualTo(5001);
    }

    @Test
    void unansweredPingsEndTheSessionAfterTheThreshold() throws Exception {
        fake(true);
        connection(VppSessionPart.NONE, Duration.ofMillis(100), 2, Duration.ofMillis(200));
        await().atMost(LONG).until(conn::isConnected);
        fake.setReplyDelay(Duration.ofSeconds(1));
        await().atMost(LONG).until(() -> events.stream().anyMatch(e -> e.startsWith("disconnected no control_ping_reply 2 times")));
        fake.setReplyDelay(Duration.ZERO);
        await().atMost(LONG).until(() -> conn.isConnected() && events.getLast().startsWith("connected"));
    }

    @Test
    void sessionPartOpensAfterTheHandshakeClosesWithItAndItsFailureRebuildsBoth() throws Exception {
        fake(true);
        AtomicInteger opens = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        AtomicBoolean healthy = new AtomicBoolean(true);
        AtomicInteger apiCallsAtOpen = new AtomicInteger(-1);
        VppSessionPart stats = new VppSessionPart() {
            @Override
            public String name() {
                return "stats";
            }

            @Override
            public void open() {
                apiCallsAtOpen.set(fake.callCount("sockclnt_create"));
                opens.incrementAndGet();
                healthy.set(true);
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }

            @Override
            public boolean healthy() {
                return healthy.get();
            }
        };
        connection(stats, Duration.ofMillis(100), 3, Duration.ofSeconds(5));
        await().atMost(LONG).until(conn::isConnected);
        assertThat(opens.get()).isEqualTo(1);
        assertThat(apiCallsAtOpen.get()).as("opened after the API handshake").isEqualTo(1);

        healthy.set(false); // e.g. the stats segment froze
        await().atMost(LONG).until(() -> closes.get() == 1 && opens.get() == 2 && conn.isConnected());
        assertThat(events).anyMatch(e -> e.equals("disconnected stats part reports failure"));
        await("API torn down with it").atMost(LONG).until(() -> fake.callCount("sockclnt_delete") == 1);

        conn.reportFailure("stats segment epoch frozen");
        await().atMost(LONG).until(() -> closes.get() == 2 && opens.get() == 3 && conn.isConnected());
        assertThat(events).contains("disconnected stats segment epoch frozen");
    }

    @Test
    void aPartThatCannotOpenAbandonsTheApiSessionAndRetries() throws Exception {
        fake(true);
        AtomicInteger attempts = new AtomicInteger();
        VppSessionPart broken = new VppSessionPart() {
            @Override
            public String name() {
                return "stats";
            }

            @Override
            public void open() throws IOException {
                if (attempts.incrementAndGet() < 3) {
                    throw new IOException("stats.sock: connection refused");
                }
            }

            @Override
            public void close() {
            }
        };
        connection(broken, Duration.ofSeconds(10), 3, Duration.ofSeconds(5));
        await().atMost(LONG).until(conn::isConnected);
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(fake.callCount("sockclnt_create")).isEqualTo(3);
        await().atMost(LONG).until(() -> fake.callCount("sockclnt_delete") == 2);
        assertThat(events).containsExactly("connected pid 5000");
    }

    @Test
    void olderVppIsConnectedButDegradedWithAReason() throws Exception {
        fake(false);
        connection();
        await().atMost(LONG).until(conn::isConnected);
        assertThat(conn.info().lbV2Supported()).isFalse();
        assertThat(conn.info().degradedReason()).contains("lb_conf_get_51077d14", "lb_add_del_as_v2_2f1d3b0e",
                "lb_as_set_weight_2d89bdbd", "lb_as_v2_dump_1063f819");
    }

    @Test
    void closeDeletesTheRegistrationAndStopsReconnecting() throws Exception {
        fake(true);
        connection();
        await().atMost(LONG).until(conn::isConnected);
        conn.close();
        await().atMost(LONG).until(() -> fake.callCount("sockclnt_delete") == 1);
        assertThat(conn.isConnected()).isFalse();
        assertThat(events).containsExactly("connected pid 5000", "disconnected maglevd shutting down");
        // for more than two reconnect intervals, nothing tries again
        await().during(Duration.ofMillis(600)).atMost(LONG).until(() -> fake.callCount("sockclnt_create") == 1);
    }
}
