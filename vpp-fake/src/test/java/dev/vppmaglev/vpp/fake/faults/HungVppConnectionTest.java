package dev.vppmaglev.vpp.fake.faults;

import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionConfig;
import dev.vppmaglev.vpp.VppConnectionListener;
import dev.vppmaglev.vpp.VppSession;
import dev.vppmaglev.vpp.VppSessionPart;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.Empty;
import dev.vppmaglev.vpp.api.msg.LbConfGetReply;
import dev.vppmaglev.vpp.fake.FakeVpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link VppConnection} while a full sync's worth of requests is queued on its session: the
 * liveness {@code control_ping} still goes out on time, and a VPP that stops answering ends the
 * session within a few request timeouts — so the connection thread can reconnect — instead of
 * after the whole backlog has timed out window by window (hours for ~33k requests).
 */
class HungVppConnectionTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    FakeVpp fake;
    GatedVpp gate;
    VppConnection conn;
    final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (gate != null) {
            gate.release();
        }
        if (conn != null) {
            conn.close();
        }
        if (gate != null) {
            gate.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void connect(Path socket, Duration ping, Duration requestTimeout) {
        VppApiClientConfig api = VppApiClientConfig.defaults(socket).withRequestTimeout(requestTimeout)
                .withQueueTimeout(LONG.multipliedBy(10)).withConnectTimeout(Duration.ofMillis(500));
        conn = new VppConnection(new VppConnectionConfig(api, ping, 3, Duration.ofMillis(200)), ApiObserver.NONE,
                VppSessionPart.NONE, Clock.systemUTC());
        conn.addListener(new VppConnectionListener() {
            @Override
            public void onConnected(VppSession s) {
                events.add("connected");
            }

            @Override
            public void onDisconnected(String reason) {
                events.add("disconnected " + reason);
            }
        });
        conn.start();
        await().atMost(LONG).until(conn::isConnected);
    }

    private static List<CompletableFuture<LbConfGetReply>> flood(VppApiClient c, int n) {
        List<CompletableFuture<LbConfGetReply>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(c.call(Api.LB_CONF_GET, Empty.INSTANCE));
        }
        return out;
    }

    @Test
    void livenessPingsKeepGoingOutWhileALongQueueDrains() throws Exception {
        // VPP alive but busy: 2 ms per message, 2,000 queued requests take 4 s or more. Before,
        // the connection's ping queued behind all of them (and its thread waited for it).
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        connect(fake.apiSocket(), Duration.ofMillis(100), Duration.ofSeconds(5));
        fake.setReplyDelay(Duration.ofMillis(2));
        fake.clearCalls();
        List<CompletableFuture<LbConfGetReply>> bulk = flood(conn.session().orElseThrow().client(), 2_000);
        CompletableFuture.allOf(bulk.toArray(CompletableFuture[]::new)).get(LONG.toSeconds(), TimeUnit.SECONDS);
        List<String> order = fake.callLog().stream().map(FakeVpp.Call::msg).toList();
        int half = indexOfNth(order, "lb_conf_get", 1_000);
        long pingsInFirstHalf = order.subList(0, half).stream().filter("control_ping"::equals).count();
        assertThat(pingsInFirstHalf).as("pings among the first 1,000 of 2,000 queued requests").isGreaterThanOrEqualTo(3);
        assertThat(events).containsExactly("connected");
    }

    private static int indexOfNth(List<String> list, String value, int n) {
        int seen = 0;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).equals(value) && ++seen == n) {
                return i;
            }
        }
        throw new AssertionError("fewer than " + n + " " + value);
    }

    @Test
    void aVppThatStopsAnsweringUnderAFullQueueEndsTheSessionAndTheConnectionComesBack() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        gate = new GatedVpp(dir.resolve("gated.sock"), fake.apiSocket());
        connect(dir.resolve("gated.sock"), Duration.ofMillis(200), Duration.ofMillis(300));
        gate.hold();
        List<CompletableFuture<LbConfGetReply>> bulk = flood(conn.session().orElseThrow().client(), 10_000);
        await().atMost(LONG).until(() -> events.size() >= 2);
        assertThat(events.get(1)).startsWith("disconnected ");
        for (CompletableFuture<LbConfGetReply> f : bulk) { // every caller learns, none waits on
            try {
                f.get(LONG.toSeconds(), TimeUnit.SECONDS);
                throw new AssertionError("answered by a VPP that answers nothing");
            } catch (ExecutionException e) {
                assertThat(VppException.unwrap(e)).isNotNull();
            }
        }
        gate.release();
        await().atMost(LONG).until(() -> conn.isConnected() && events.getLast().equals("connected"));
        assertThat(conn.lb().controlPing().get(LONG.toSeconds(), TimeUnit.SECONDS).vpePid()).isEqualTo(fake.pid());
    }
}
