package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.Direction;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.LbCapability;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppApiException;
import dev.vppmaglev.vpp.api.VppConnectionException;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.VppProtocolException;
import dev.vppmaglev.vpp.api.VppTimeoutException;
import dev.vppmaglev.vpp.api.VppUnsupportedMessageException;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.ControlPingReply;
import dev.vppmaglev.vpp.api.msg.Empty;
import dev.vppmaglev.vpp.api.msg.LbAddDelAsV2;
import dev.vppmaglev.vpp.api.msg.LbAsSetWeight;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDump;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.api.msg.Retval;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link VppApiClient} over a real Unix socket against {@link FakeVpp}. */
class ClientAgainstFakeTest {
    private static final Duration LONG = Duration.ofSeconds(20);
    @TempDir
    Path dir;
    private FakeVpp fake;
    private final List<VppApiClient> clients = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ApiObserver observer = (msg, dir, ok) -> events.add(dir.label() + " " + msg + " " + (ok ? "ok" : "fail"));

    @AfterEach
    void stop() {
        clients.forEach(VppApiClient::close);
        if (fake != null) {
            fake.close();
        }
    }

    private FakeVpp fake(boolean lbV2) throws IOException {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(lbV2).pid(4242).build().start();
        return fake;
    }

    private VppApiClient client(VppApiClientConfig cfg) {
        VppApiClient c = VppApiClient.connect(cfg, observer);
        clients.add(c);
        return c;
    }

    private VppApiClientConfig cfg() {
        return VppApiClientConfig.defaults(dir.resolve("api.sock"));
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(LONG.toSeconds(), TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(LONG.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            return VppException.unwrap(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void handshakeResolvesEveryIdFromTheTableByNameCrc() throws Exception {
        fake(true);
        VppApiClient c = client(cfg());
        assertThat(fake.callLog().getFirst().request())
                .isEqualTo(new dev.vppmaglev.vpp.api.msg.SockclntCreate("vpp-maglev"));
        assertThat(c.clientIndex()).isEqualTo(0x80000001);
        assertThat(c.messageTable().size()).isEqualTo(fake.messageTable().size());
        for (var t : Messages.ALL) {
            assertThat(c.messageTable().id(t)).as(t.name()).isEqualTo(fake.id(t));
        }
        ControlPingReply ping = get(c.call(Api.CONTROL_PING, Empty.INSTANCE));
        assertThat(ping.vpePid()).isEqualTo(4242);
        assertThat(ping.clientIndex()).isEqualTo(c.clientIndex());
        assertThat(events).contains("send sockclnt_create ok", "recv sockclnt_create_reply ok", "send control_ping ok",
                "recv control_ping_reply ok");
    }

    @Test
    void pipelinedCallsCompleteInCallOrderWithinTheWindow() throws Exception {
        fake(true);
        VppApiClient c = client(cfg().withWindow(4));
        LbApi lb = LbApi.of(c);
        LbVip vip = LbVip.host(InetAddress.getByName("192.0.2.1"), 6, 80);
        get(lb.addVip(VipSpec.of(vip, LbEncap.GRE4)));
        fake.setReplyDelay(Duration.ofMillis(5));
        List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Retval>> fs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int n = i;
            fs.add(c.call(Api.LB_ADD_DEL_AS_V2, new LbAddDelAsV2(vip.pfx(), 6, 80,
                    InetAddress.getByName("10.0.0." + (i + 1)), 100, false, false)).whenComplete((r, e) -> completed.add(n)));
        }
        int maxInFlight = 0;
        while (!fs.getLast().isDone()) {
            maxInFlight = Math.max(maxInFlight, c.inFlight());
            Thread.onSpinWait();
        }
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(maxInFlight).as("pipelined up to the window, never beyond").isEqualTo(4);
        assertThat(completed).isSorted().hasSize(60);
        List<String> order = fake.callLog().stream().filter(x -> x.request() instanceof LbAddDelAsV2)
                .map(x -> ((LbAddDelAsV2) x.request()).asAddress().getHostAddress()).toList();
        assertThat(order).hasSize(60).startsWith("10.0.0.1", "10.0.0.2").endsWith("10.0.0.60");
        assertThat(get(lb.asDump(vip))).hasSize(60);
    }

    @Test
    void aLateReplyTimesOutAndIsDroppedAsUnknownContext() throws Exception {
        fake(true);
        VppApiClient c = client(cfg().withRequestTimeout(Duration.ofMillis(300)));
        fake.setReplyDelay(Duration.ofMillis(1500));
        CompletableFuture<ControlPingReply> slow = c.call(Api.CONTROL_PING, Empty.INSTANCE);
        Throwable t = failure(slow);
        assertThat(t).isInstanceOf(VppTimeoutException.class).hasMessageContaining("control_ping")
                .hasMessageContaining("300 ms");
        fake.setReplyDelay(Duration.ZERO);
        // the late reply arrives now, with a context nobody waits for: logged, counted, dropped
        await().atMost(LONG).until(() -> events.contains("recv control_ping_reply fail"));
        ControlPingReply next = get(c.call(Api.CONTROL_PING, Empty.INSTANCE));
        assertThat(next.vpePid()).isEqualTo(4242);
        assertThat(c.isOpen()).isTrue();
        assertThat(c.inFlight()).isZero();
    }

    @Test
    void dumpIsClosedByAControlPingWithTheSameContext() throws Exception {
        fake(true);
        VppApiClient c = client(cfg());
        LbApi lb = LbApi.of(c);
        for (int i = 1; i <= 3; i++) {
            get(lb.addVip(VipSpec.of(LbVip.host(InetAddress.getByName("192.0.2." + i), 6, 80), LbEncap.GRE4)));
        }
        fake.clearCalls();
        var vips = get(c.dump(Api.LB_VIP_DUMP, LbVipDump.ALL));
        assertThat(vips).hasSize(3);
        assertThat(fake.callLog()).extracting(FakeVpp.Call::msg).containsExactly("lb_vip_dump", "control_ping");
        assertThat(get(c.dump(Api.LB_AS_V2_DUMP, LbVip.dumpAll()))).isEmpty();
        assertThat(events).contains("send lb_vip_dump ok", "recv lb_vip_details ok");
    }

    @Test
    void negativeRetvalFailsWithItsSymbolicName() throws Exception {
        fake(true);
        VppApiClient c = client(cfg());
        Throwable t = failure(c.call(Api.LB_ADD_DEL_AS_V2, new LbAddDelAsV2(Prefix.parse("192.0.2.99/32"), 6, 80,
                InetAddress.getByName("10.0.0.1"), 100, false, false)));
        assertThat(t).isInstanceOf(VppApiException.class).hasMessageContaining("NO_SUCH_ENTRY");
        assertThat(((VppApiException) t).retval()).isEqualTo(-6);
        assertThat(events).contains("recv lb_add_del_as_v2_reply fail");
    }

    @Test
    void olderVppWithoutLbV2MessagesIsReportedAndNeverSentThem() throws Exception {
        fake(false);
        VppApiClient c = client(cfg());
        LbCapability cap = LbCapability.of(c.messageTable());
        assertThat(cap.v2Supported()).isFalse();
        assertThat(cap.missing()).containsExactly("lb_conf_get_51077d14", "lb_add_del_as_v2_2f1d3b0e",
                "lb_as_set_weight_2d89bdbd", "lb_as_v2_dump_1063f819");
        assertThat(cap.degradedReason()).contains("lb_as_set_weight_2d89bdbd").contains("degraded");
        Throwable t = failure(c.call(Api.LB_AS_SET_WEIGHT, new LbAsSetWeight(Prefix.parse("192.0.2.1/32"), 6, 80,
                InetAddress.getByName("10.0.0.1"), 0, true)));
        assertThat(t).isInstanceOf(VppUnsupportedMessageException.class)
                .hasMessageContaining("lb_as_set_weight_2d89bdbd");
        assertThat(fake.callCount("lb_as_set_weight")).isZero();
        assertThat(get(c.call(Api.CONTROL_PING, Empty.INSTANCE)).vpePid()).isEqualTo(4242);
    }

    @Test
    void aFrameAboveTheLimitEndsTheConnectionWithAProtocolError() throws Exception {
        fake(true);
        // the handshake reply (the message table, ~17 KB here, 56 KB on a real VPP) must fit
        VppApiClient c = client(cfg().withMaxFrameBytes(20_000));
        LbApi lb = LbApi.of(c);
        for (int i = 1; i <= 100; i++) {
            get(lb.addVip(VipSpec.of(LbVip.host(InetAddress.getByName("192.0.2." + i), 6, 80), LbEncap.GRE4)));
        }
        Throwable t = failure(lb.cliInband("show lb vips verbose"));
        assertThat(t).isInstanceOf(VppProtocolException.class).hasMessageContaining("exceeds the limit of 20000 bytes");
        assertThat(c.closeFuture().get(LONG.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(VppProtocolException.class);
        assertThat(c.isOpen()).isFalse();
        assertThat(failure(c.call(Api.CONTROL_PING, Empty.INSTANCE))).isInstanceOf(VppProtocolException.class);
    }

    @Test
    void droppedConnectionFailsWhatIsOutstanding() throws Exception {
        fake(true);
        VppApiClient c = client(cfg());
        fake.setReplyDelay(Duration.ofSeconds(2));
        CompletableFuture<ControlPingReply> pending = c.call(Api.CONTROL_PING, Empty.INSTANCE);
        fake.dropConnections(); // while VPP sits on the request
        assertThat(failure(pending)).isInstanceOf(VppConnectionException.class);
        assertThat(c.closeFuture().get(LONG.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(VppConnectionException.class);
        assertThat(failure(c.call(Api.CONTROL_PING, Empty.INSTANCE))).isInstanceOf(VppConnectionException.class);
    }

    @Test
    void unsolicitedKeepaliveIsAnswered() throws Exception {
        fake(true);
        client(cfg());
        fake.sendKeepalive();
        await().atMost(LONG).until(() -> fake.callCount("memclnt_keepalive_reply") == 1);
        assertThat(events).contains("recv memclnt_keepalive ok", "send memclnt_keepalive_reply ok");
    }

    @Test
    void closeSendsSockclntDeleteAndVppDropsTheRegistration() throws Exception {
        fake(true);
        VppApiClient c = client(cfg());
        await().atMost(LONG).until(() -> fake.connections() == 1);
        c.close();
        await().atMost(LONG).until(() -> fake.callCount("sockclnt_delete") == 1);
        await().atMost(LONG).until(() -> fake.connections() == 0);
        assertThat(c.isOpen()).isFalse();
        // the next client gets the freed registration again
        assertThat(client(cfg()).clientIndex()).isEqualTo(0x80000001);
    }

    @Test
    void connectFailuresAreClearErrors() throws Exception {
        assertThatThrownBy(() -> VppApiClient.connect(cfg(), ApiObserver.NONE))
                .isInstanceOf(VppConnectionException.class).hasMessageContaining("cannot connect to VPP API socket")
                .hasMessageContaining("api.sock");
        Path silent = dir.resolve("silent.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(silent));
            assertThatThrownBy(() -> VppApiClient.connect(VppApiClientConfig.defaults(silent)
                    .withConnectTimeout(Duration.ofMillis(300)), ApiObserver.NONE))
                    .isInstanceOf(VppConnectionException.class).hasMessageContaining("did not answer sockclnt_create");
        }
    }

    @Test
    void everyMessageIsLoggedAtDebugWithMultiVariantsForDumps() throws Exception {
        fake(true);
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(VppApiClient.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Level old = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(logs);
        try {
            VppApiClient c = client(cfg());
            get(c.call(Api.CONTROL_PING, Empty.INSTANCE));
            LbApi.of(c).addVip(VipSpec.of(LbVip.host(InetAddress.getByName("192.0.2.1"), 6, 80), LbEncap.GRE4))
                    .get(20, TimeUnit.SECONDS);
            get(c.dump(Api.LB_VIP_DUMP, LbVipDump.ALL));
        } finally {
            logger.detachAppender(logs);
            logger.setLevel(old);
        }
        List<String> lines = logs.list.stream().map(e -> e.getMessage() + " " + e.getKeyValuePairs().getFirst().value).toList();
        assertThat(lines).containsSubsequence("vpp-api-send control_ping", "vpp-api-recv control_ping_reply",
                "vpp-api-send lb_add_del_vip_v2", "vpp-api-recv lb_add_del_vip_v2_reply",
                "vpp-api-send-multi lb_vip_dump", "vpp-api-recv-multi lb_vip_details", "vpp-api-recv control_ping_reply");
        assertThat(logs.list).allMatch(e -> e.getLevel() == Level.DEBUG);
    }

    @Test
    void observerSeesDirectionsForTheMetric() throws Exception {
        fake(true);
        VppApiClient c = client(cfg());
        get(c.call(Api.SHOW_VERSION, Empty.INSTANCE));
        assertThat(events).contains("send show_version ok", "recv show_version_reply ok");
        assertThat(Direction.SEND.label()).isEqualTo("send");
    }

    /**
     * Regression: a request the writer had taken off the queue while it waited for a window slot
     * was never failed when the connection dropped, so its caller (the reconciler's sync thread)
     * waited forever.
     */
    @Test
    void everyRequestFailsWhenTheConnectionDropsWithTheWindowFull() throws Exception {
        fake(true);
        VppApiClient c = client(cfg().withWindow(1).withRequestTimeout(Duration.ofSeconds(60)));
        fake.setReplyDelay(Duration.ofSeconds(30)); // nothing is answered: the window stays full
        List<CompletableFuture<ControlPingReply>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(c.call(Api.CONTROL_PING, Empty.INSTANCE));
        }
        await().atMost(LONG).until(() -> c.inFlight() == 1);
        fake.dropConnections();
        CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
        assertThatThrownBy(() -> all.get(10, TimeUnit.SECONDS))
                .as("every call completes (exceptionally) soon after the drop, none hangs")
                .isInstanceOf(java.util.concurrent.ExecutionException.class);
        assertThat(calls).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    }
}
