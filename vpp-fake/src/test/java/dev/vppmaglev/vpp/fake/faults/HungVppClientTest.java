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
        assertThat(fake.callCount("show_version")).isEqualTo(2);
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
        assertThat(replies.subList(1, replies.indexOf("control_ping_reply"))) // 0: sockclnt_create_reply
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
        // late, before the next request. Six timeouts, but never two without a reply in between:
        // not a dead VPP, the session stays.
        VppApiClient c = client(config().withRequestTimeout(Duration.ofMillis(300)));
        fake.setReplyDelay(Duration.ofMillis(450));
        for (int i = 1; i <= 6; i++) {
            assertThat(failure(c.call(Api.SHOW_VERSION, Empty.INSTANCE))).isInstanceOf(VppTimeoutException.class);
            int handled = i;
            await().atMost(LONG).until(() -> fake.callCount("show_version") == handled); // its reply is on its way
        }
        fake.setReplyDelay(Duration.ZERO);
        assertThat(c.isOpen()).isTrue();
        assertThat(get(c.call(Api.SHOW_VERSION, Empty.INSTANCE)).program()).isEqualTo("vpe");
        assertThat(events.named("vpp-api-session-dead")).isEmpty();
    }
}
