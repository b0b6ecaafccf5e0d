package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppConnectionException;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.Empty;
import dev.vppmaglev.vpp.api.msg.LbAddDelVipV2;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbSrvType;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Fake-VPP behaviour outside the golden transcripts: table layout, restart, faults, counters. */
class FakeVppTest {
    @TempDir
    Path dir;
    private FakeVpp fake;
    private VppApiClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private VppApiClient connect() {
        client = VppApiClient.connect(VppApiClientConfig.defaults(dir.resolve("api.sock")), ApiObserver.NONE);
        return client;
    }

    private static VppException failure(CompletableFuture<?> f) {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            return VppException.unwrap(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void messageTableHasStaticMemclntIdsAndSeededRangesForTheRest() {
        FakeMessageTable a = new FakeMessageTable(true, 1);
        FakeMessageTable b = new FakeMessageTable(true, 2);
        for (FakeMessageTable t : new FakeMessageTable[] {a, b}) {
            assertThat(t.table().id(Messages.SOCKCLNT_CREATE)).hasValue(15);
            assertThat(t.table().id(Messages.SOCKCLNT_CREATE_REPLY)).hasValue(16);
            assertThat(t.table().id(Messages.CONTROL_PING)).hasValue(23);
            assertThat(t.table().id(Messages.LB_CONF_REPLY).getAsInt() - t.table().id(Messages.LB_CONF).getAsInt())
                    .isEqualTo(1);
            assertThat(t.table().id(Messages.LB_AS_V2_DETAILS).getAsInt() - t.base("lb")).isEqualTo(21);
        }
        assertThat(a.table().asMap()).isNotEqualTo(b.table().asMap());
        assertThat(a.announceOrder()).isNotEqualTo(a.announceOrder().stream().sorted().toList());
        FakeMessageTable old = new FakeMessageTable(false, 1);
        assertThat(old.table().size()).isEqualTo(a.table().size() - 8);
        assertThat(old.table().contains(Messages.LB_AS_SET_WEIGHT)).isFalse();
        assertThat(old.table().contains(Messages.LB_ADD_DEL_VIP_V2)).isTrue();
    }

    @Test
    void restartForgetsStateAndComesBackWithANewPid() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).pid(7000).build().start();
        LbApi lb = LbApi.of(connect());
        lb.addVip(VipSpec.of(LbVip.host(InetAddress.getByName("192.0.2.1"), 6, 80), LbEncap.GRE4)).get(20, TimeUnit.SECONDS);
        assertThat(fake.mutatingCalls()).isEqualTo(1);
        fake.restart();
        assertThat(client.closeFuture().get(20, TimeUnit.SECONDS)).isInstanceOf(VppConnectionException.class);
        LbApi again = LbApi.of(connect());
        assertThat(again.controlPing().get(20, TimeUnit.SECONDS).vpePid()).isEqualTo(7001);
        assertThat(again.vipDump().get(20, TimeUnit.SECONDS)).isEmpty();
        assertThat(fake.cli("show lb")).contains(" #vips: 1\n #ass: 0\n");
    }

    @Test
    void dropAfterMessagesCutsTheConnectionAtThatMessage() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        VppApiClient c = connect();
        fake.dropAfterMessages(2);
        c.call(Api.CONTROL_PING, Empty.INSTANCE).get(20, TimeUnit.SECONDS);
        assertThat(failure(c.call(Api.CONTROL_PING, Empty.INSTANCE))).isInstanceOf(VppConnectionException.class);
        assertThat(fake.callCount("control_ping")).isEqualTo(1);
    }

    @Test
    void zeroTableLengthCrashesTheFakeLikeItCrashesVpp() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).pid(100).build().start();
        VppApiClient c = connect();
        var req = new LbAddDelVipV2(Prefix.parse("192.0.2.1/32"), 6, 80, LbEncap.GRE4, 0, LbSrvType.CLUSTERIP, 0, 0,
                0, false, false);
        assertThat(failure(c.call(Api.LB_ADD_DEL_VIP_V2, req))).isInstanceOf(VppConnectionException.class);
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> fake.pid() == 101);
        assertThat(LbApi.of(connect()).vipDump().get(20, TimeUnit.SECONDS)).as("restarted empty").isEmpty();
    }

    @Test
    void wrongClientIndexGetsNoReplyButTheHandlerStillRuns() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        VppApiClient c = connect();
        // send a request with somebody else's client index through a raw frame
        int id = fake.id(Messages.LB_ADD_DEL_VIP_V2).getAsInt();
        var req = new LbAddDelVipV2(Prefix.parse("192.0.2.7/32"), 6, 80, LbEncap.GRE4, 0, LbSrvType.CLUSTERIP, 0, 0,
                1024, false, false);
        try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(fake.apiSocket()));
            ch.write(Messages.SOCKCLNT_CREATE.encodeFrame(15, 0, 1, new dev.vppmaglev.vpp.api.msg.SockclntCreate("raw")));
            var frames = new dev.vppmaglev.vpp.api.wire.FrameReader(ch, 1 << 24);
            frames.next(); // the handshake reply
            ch.write(Messages.LB_ADD_DEL_VIP_V2.encodeFrame(id, 0x8000fff0, 2, req));
            ch.write(Messages.CONTROL_PING.encodeFrame(23, 0x80000002, 3, Empty.INSTANCE));
            var next = frames.next();
            assertThat(fake.messageTable().nameCrc(next.getShort(0) & 0xffff))
                    .as("the first answer is the ping's: no lb_add_del_vip_v2_reply").isEqualTo(Messages.CONTROL_PING_REPLY.nameCrc());
        }
        assertThat(LbApi.of(c).vipDump().get(20, TimeUnit.SECONDS)).hasSize(1);
    }

    @Test
    void clientGoneFreesItsRegistration() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        connect();
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> fake.connections() == 1);
        fake.dropConnections();
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> fake.connections() == 0);
        assertThat(connect().clientIndex()).isEqualTo(0x80000001);
    }
}
