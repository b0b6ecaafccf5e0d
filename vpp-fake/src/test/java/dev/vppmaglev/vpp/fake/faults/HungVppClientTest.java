package dev.vppmaglev.vpp.fake.faults;

import ch.qos.logback.classic.Level;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.Direction;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppConnectionException;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.VppTimeoutException;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.ControlPingReply;
import dev.vppmaglev.vpp.api.msg.Empty;
import dev.vppmaglev.vpp.api.msg.LbConfGetReply;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.ShowVersionReply;
import dev.vppmaglev.vpp.fake.FakeVpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client against a VPP that stops answering ({@link GatedVpp} holds its replies back while it
 * keeps reading): requests waiting behind the window have a deadline too, the liveness ping
 * overtakes the queue, written requests that go unanswered in a row end the session, and a burst
 * of timeouts or of late replies is one log line, not one per message.
 */
class HungVppClientTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    FakeVpp fake;
    GatedVpp gate;
    final List<VppApiClient> clients = new ArrayList<>();
    Events events;

    @BeforeEach
    void start() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).pid(4242).build().start();
        gate = new GatedVpp(dir.resolve("gated.sock"), fake.apiSocket());
        events = new Events();
    }

    @AfterEach
    void stop() {
        events.close();
        gate.release();
        clients.forEach(VppApiClient::close);
        gate.close();
        fake.close();
    }

    private VppApiClientConfig config() {
        return VppApiClientConfig.defaults(dir.resolve("gated.sock")).withRequestTimeout(LONG).withQueueTimeout(LONG);
    }

    private VppApiClient client(VppApiClientConfig cfg) {
        return client(cfg, ApiObserver.NONE);
    }

    private VppApiClient client(VppApiClientConfig cfg, ApiObserver observer) {
        VppApiClient c = VppApiClient.connect(cfg, observer);
        clients.add(c);
        return c;
    }

    private static VppException failure(CompletableFuture<?> f) {
        try {
            f.get(LONG.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            VppException v = VppException.unwrap(e);
            assertThat(v).as("a VppException, not " + e).isNotNull();
            return v;
        }
        throw new AssertionError("expected a failure");
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(LONG.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aRequestQueuedBehindAFullWindowTimesOutFromWhenItWasQueued() throws Exception {
        // Before: the timeout started when a request was written; one queued behind a window that
        // never drained had no deadline at all.
        VppApiClient c = client(config().withWindow(2).withQueueTimeout(Duration.ofMillis(300)));
        gate.hold();
        List<CompletableFuture<ShowVersionReply>> written = List.of(c.call(Api.SHOW_VERSION, Empty.INSTANCE),
                c.call(Api.SHOW_VERSION, Empty.INSTANCE));
        await().atMost(LONG).until(() -> fake.callCount("show_version") == 2);
        List<CompletableFuture<LbConfGetReply>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(c.call(Api.LB_CONF_GET, Empty.INSTANCE));
        }
        for (CompletableFuture<LbConfGetReply> f : queued) {
            assertThat(failure(f)).isInstanceOfSatisfying(VppTimeoutException.class, e -> {
                assertThat(e.sent()).as("never written").isFalse();
                assertThat(e.messageName()).isEqualTo("lb_conf_get");
                assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
                assertThat(e).hasMessageContaining("lb_conf_get was not sent within 300 ms");
            });
        }
        assertThat(fake.callCount("lb_conf_get")).as("VPP never saw them").isZero();
        assertThat(written).as("written requests keep their own (30 s) timeout").noneMatch(CompletableFuture::isDone);
        gate.release();
        for (CompletableFuture<ShowVersionReply> f : written) {
            assertThat(get(f).program()).isEqualTo("vpe");
        }
        assertThat(c.isOpen()).isTrue();
        assertThat(get(c.call(Api.LB_CONF_GET, Empty.INSTANCE)).stickyBucketsPerCore()).isPositive();
    }

    @Test
    void theLivenessPingOvertakesEverythingQueuedAndWaitsOnlyForWhatVppAlreadyHas() throws Exception {
        // Before: the ping queued behind the whole backlog (a full sync is ~33k requests).
        List<String> replies = new CopyOnWriteArrayList<>(); // in the order the reader got them
        VppApiClient c = client(config().withWindow(4), (msg, dir, ok) -> {
            if (dir == Direction.RECV) {
                replies.add(msg);
            }
        });
        gate.hold();
        List<CompletableFuture<LbConfGetReply>> bulk = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            bulk.add(c.call(Api.LB_CONF_GET, Empty.INSTANCE));
        }
        await().atMost(LONG).until(() -> fake.callCount("lb_conf_get") == 4);
        CompletableFuture<ControlPingReply> ping = c.livenessPing();
        await().atMost(LONG).until(() -> fake.callCount("control_ping") == 1);
        assertThat(fake.callCount("lb_conf_get")).as("the queue stays behind the ping").isEqualTo(4);
        assertThat(c.inFlight()).as("the ping takes no window slot").isEqualTo(4);
        gate.release();
        assertThat(get(ping).vpePid()).isEqualTo(4242);
        // VPP answers in order: exactly the 4 requests it had before the ping were answered first
        List<String> got = List.copyOf(replies); // the reader goes on appending
        assertThat(got.subList(1, got.indexOf("control_ping_reply"))) // 0: sockclnt_create_reply
                .containsExactly("lb_conf_get_reply", "lb_conf_get_reply", "lb_conf_get_reply", "lb_conf_get_reply");
        for (CompletableFuture<LbConfGetReply> f : bulk) {
            get(f);
        }
    }

    @Test
    void writtenRequestsUnansweredInARowEndTheSession() throws Exception {
        // Before: a VPP that read everything and answered nothing kept the session until the
        // connection manager missed enough pings — and its pings queued behind everything else.
        VppApiClient c = client(config().withWindow(3).withRequestTimeout(Duration.ofMillis(300)));
        gate.hold();
        List<CompletableFuture<ShowVersionReply>> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            written.add(c.call(Api.SHOW_VERSION, Empty.INSTANCE));
        }
        List<CompletableFuture<LbConfGetReply>> queued = List.of(c.call(Api.LB_CONF_GET, Empty.INSTANCE),
                c.call(Api.LB_CONF_GET, Empty.INSTANCE));
        VppException cause = c.closeFuture().get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(VppConnectionException.class)
                .hasMessageContaining("no reply from VPP to 3 requests in a row");
        for (CompletableFuture<ShowVersionReply> f : written) {
            assertThat(failure(f)).isInstanceOfSatisfying(VppTimeoutException.class,
                    e -> assertThat(e.sent()).isTrue());
        }
        for (CompletableFuture<LbConfGetReply> f : queued) {
            assertThat(failure(f)).isSameAs(cause);
        }
        assertThat(events.named("vpp-api-session-dead")).singleElement().satisfies(e -> {
            assertThat(e.level()).isEqualTo(Level.WARN);
            assertThat(e.get("timeouts")).isEqualTo("3");
        });
    }

    @Test
    void timeoutsWithRepliesInBetweenDoNotEndTheSession() throws Exception {
        // VPP slower than the timeout but answering: every request times out and its reply comes
        // late, before the next request. Five timeouts, but never two without a reply in between:
        // not a dead VPP, the session stays.
        VppApiClient c = client(config().withRequestTimeout(Duration.ofMillis(300)));
        fake.setReplyDelay(Duration.ofMillis(800));
        for (int i = 1; i <= 5; i++) {
            assertThat(failure(c.call(Api.SHOW_VERSION, Empty.INSTANCE))).isInstanceOf(VppTimeoutException.class);
            int handled = i;
            await().atMost(LONG).until(() -> fake.callCount("show_version") == handled); // its reply is on its way
        }
        fake.setReplyDelay(Duration.ZERO);
        await().atMost(LONG).until(() -> total(events.named("vpp-api-late-reply")) == 5);
        assertThat(c.isOpen()).isTrue();
        assertThat(get(c.call(Api.SHOW_VERSION, Empty.INSTANCE)).program()).isEqualTo("vpe");
        assertThat(events.named("vpp-api-session-dead")).isEmpty();
    }

    @Test
    void aBurstOfTimeoutsIsTwoLogLinesNotOnePerRequest() throws Exception {
        // Before: one WARN per request; a stuck VPP under a full sync wrote thousands of lines.
        VppApiClient c = client(config().withWindow(64).withRequestTimeout(Duration.ofMillis(300)));
        gate.hold();
        List<CompletableFuture<ShowVersionReply>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(c.call(Api.SHOW_VERSION, Empty.INSTANCE));
        }
        int timedOut = 0;
        for (CompletableFuture<ShowVersionReply> f : calls) {
            VppException e = failure(f);
            if (e instanceof VppTimeoutException) {
                timedOut++;
            } else { // timed out in a later timer pass than the 3 that ended the session
                assertThat(e).isInstanceOf(VppConnectionException.class);
            }
        }
        assertThat(timedOut).isGreaterThanOrEqualTo(VppApiClient.DEAD_AFTER_TIMEOUTS);
        int expected = timedOut;
        await().atMost(LONG).until(() -> total(events.named("vpp-api-timeout")) == expected);
        assertThat(events.named("vpp-api-timeout")).as("the first at once, the rest as one summary").hasSize(2);
        Events.Event first = events.named("vpp-api-timeout").get(0);
        assertThat(first.level()).isEqualTo(Level.WARN);
        assertThat(first.get("count")).isEqualTo("1");
        assertThat(first.get("api_msg")).isEqualTo("show_version");
        assertThat(first.get("timeout_ms")).isEqualTo("300");
        Events.Event summary = events.named("vpp-api-timeout").get(1);
        assertThat(summary.get("count")).isEqualTo(String.valueOf(expected - 1));
        assertThat(summary.get("by_msg")).isEqualTo("show_version=" + (expected - 1));
        assertThat(summary.get("timeout_ms")).isEqualTo("300");
    }

    @Test
    void lateDetailsOfATimedOutDumpAreAFewLogLinesAndTheSessionStaysInStep() throws Exception {
        // Before: one INFO vpp-api-unexpected-reply per detail (33k lines for one slow dump).
        VppApiClient c = client(config().withRequestTimeout(Duration.ofSeconds(1)));
        LbApi lb = LbApi.of(c);
        LbVip vip = LbVip.host(InetAddress.getByName("192.0.2.1"), 6, 80);
        get(lb.addVip(VipSpec.of(vip, LbEncap.GRE4).withNewFlowsTableLength(4)));
        List<CompletableFuture<Void>> adds = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            adds.add(lb.addAs(vip, InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}), 100,
                    false));
        }
        CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new)).get(LONG.toSeconds(), TimeUnit.SECONDS);

        gate.hold();
        var dump = c.dump(Api.LB_AS_V2_DUMP, LbVip.dumpAll());
        assertThat(failure(dump)).isInstanceOf(VppTimeoutException.class);
        gate.release(); // 1,000 details and the closing control_ping_reply, all for a context given up on
        await().atMost(LONG).until(() -> total(events.named("vpp-api-late-reply")) == 1_001);
        List<Events.Event> late = events.named("vpp-api-late-reply");
        assertThat(late).as("the first at once, then a line per second").hasSizeBetween(2, 3);
        assertThat(late.getFirst().level()).isEqualTo(Level.INFO);
        assertThat(late.getFirst().get("count")).isEqualTo("1");
        assertThat(late.getFirst().get("api_msg")).isEqualTo("lb_as_v2_details");
        assertThat(byMsg(late)).containsExactly(Map.entry("control_ping_reply", 1), Map.entry("lb_as_v2_details", 1_000));
        assertThat(events.named("vpp-api-unexpected-reply")).as("late, not unknown").isEmpty();
        assertThat(events.named("vpp-api-timeout")).singleElement()
                .satisfies(e -> assertThat(e.get("api_msg")).isEqualTo("lb_as_v2_dump"));
        assertThat(c.isOpen()).isTrue();
        assertThat(get(c.dump(Api.LB_AS_V2_DUMP, LbVip.dumpAll()))).hasSize(1_000);
    }

    /** The events the lines stand for. */
    private static int total(List<Events.Event> lines) {
        return lines.stream().mapToInt(e -> Integer.parseInt(e.get("count"))).sum();
    }

    /** The lines' {@code by_msg} added up. */
    private static Map<String, Integer> byMsg(List<Events.Event> lines) {
        Map<String, Integer> out = new TreeMap<>();
        for (Events.Event e : lines) {
            for (String part : e.get("by_msg").split(",")) {
                String[] kv = part.split("=");
                out.merge(kv[0], Integer.parseInt(kv[1]), Integer::sum);
            }
        }
        return out;
    }
}
