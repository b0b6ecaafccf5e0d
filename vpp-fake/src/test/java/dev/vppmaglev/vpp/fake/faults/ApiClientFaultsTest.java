package dev.vppmaglev.vpp.fake.faults;

import ch.qos.logback.classic.Level;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.Direction;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppConnectionException;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.VppProtocolException;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.ControlPingReply;
import dev.vppmaglev.vpp.api.msg.Empty;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.fake.FakeVpp.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The binary-API client against a VPP that misbehaves on the wire (vpp-wire.md §1.2, §1.11): a
 * reply nobody asked for, frames VPP could not have sent, a header with a bad length, a frame
 * cut short by a dying VPP, random garbage. The rule: log, keep the session while the stream is
 * still in step, end it (so {@code VppConnection} reconnects) as soon as it is not — and never
 * leave a request without an answer.
 */
class ApiClientFaultsTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    static final long SEED = Long.getLong("maglev.faults.seed", 20261121L);

    @TempDir
    Path dir;
    FakeVpp fake;
    final List<VppApiClient> clients = new ArrayList<>();
    final Events events = new Events();

    @AfterEach
    void stop() {
        events.close();
        clients.forEach(VppApiClient::close);
        if (fake != null) {
            fake.close();
        }
    }

    private VppApiClient client(VppApiClientConfig cfg, ApiObserver observer) throws IOException {
        if (fake == null) {
            fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).pid(4242).build().start();
        }
        VppApiClient c = VppApiClient.connect(cfg, observer);
        clients.add(c);
        return c;
    }

    private VppApiClient client(Duration requestTimeout) throws IOException {
        return client(VppApiClientConfig.defaults(dir.resolve("api.sock")).withRequestTimeout(requestTimeout),
                ApiObserver.NONE);
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

    private static VppException closeCause(VppApiClient c) throws Exception {
        return c.closeFuture().get(LONG.toSeconds(), TimeUnit.SECONDS);
    }

    /** A well-framed frame: VPP's 16-byte header, then {@code body}. */
    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(16 + body.length).putLong(0).putInt(body.length).putInt(0).put(body).array();
    }

    @Test
    void aRequestWaitingForAWindowSlotFailsWhenTheConnectionEnds() throws Exception {
        // Found by the fault loop: the writer had taken the request off the queue and waited for a
        // window slot when the connection died; it was neither queued nor pending, so nothing ever
        // completed it and the reconciler's sync thread waited for it forever.
        CountDownLatch firstSent = new CountDownLatch(1);
        VppApiClient c = client(VppApiClientConfig.defaults(dir.resolve("api.sock")).withWindow(1)
                .withRequestTimeout(LONG), (msg, dir, ok) -> {
                    if (dir == Direction.SEND && msg.equals("control_ping")) {
                        firstSent.countDown();
                    }
                });
        fake.setReplyDelay(Duration.ofSeconds(5)); // VPP sits on the first request
        CompletableFuture<ControlPingReply> first = c.call(Api.CONTROL_PING, Empty.INSTANCE);
        CompletableFuture<ControlPingReply> second = c.call(Api.CONTROL_PING, Empty.INSTANCE); // waits for the slot
        CompletableFuture<ControlPingReply> third = c.call(Api.CONTROL_PING, Empty.INSTANCE);  // queued
        assertThat(firstSent.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        fake.dropConnections();
        assertThat(failure(first)).isInstanceOf(VppConnectionException.class);
        assertThat(failure(second)).isInstanceOf(VppConnectionException.class);
        assertThat(failure(third)).isInstanceOf(VppConnectionException.class);
    }

    @Test
    void aReplyWithAContextNobodyAskedForIsLoggedAndDroppedAndTheSessionGoesOn() throws Exception {
        VppApiClient c = client(Duration.ofSeconds(5));
        fake.inject(new Fault.UnknownContextReply(0x5eed_1234));
        await().atMost(LONG).until(() -> !events.named("vpp-api-unexpected-reply").isEmpty());
        Events.Event e = events.named("vpp-api-unexpected-reply").getFirst();
        assertThat(e.get("api_msg")).isEqualTo("control_ping_reply");
        assertThat(e.get("context")).isEqualTo(String.valueOf(0x5eed_1234));
        assertThat(c.call(Api.CONTROL_PING, Empty.INSTANCE).get(LONG.toSeconds(), TimeUnit.SECONDS).vpePid())
                .isEqualTo(4242);
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void aFrameWithAMessageIdVppNeverAnnouncedEndsTheConnection() throws Exception {
        VppApiClient c = client(Duration.ofSeconds(5));
        fake.setReplyDelay(Duration.ofSeconds(2));
        CompletableFuture<ControlPingReply> waiting = c.call(Api.CONTROL_PING, Empty.INSTANCE);
        fake.inject(new Fault.Garbage(frame(new byte[] {(byte) 0xff, (byte) 0xfe, 1, 2, 3, 4, 5, 6})));
        assertThat(closeCause(c)).isInstanceOf(VppProtocolException.class)
                .hasMessageContaining("message id 65534, which is not in VPP's message table");
        assertThat(failure(waiting)).isInstanceOf(VppProtocolException.class);
        assertThat(events.named("vpp-api-protocol-error")).singleElement()
                .satisfies(ev -> assertThat(ev.level()).isEqualTo(Level.WARN));
    }

    @Test
    void aFrameTooShortForAMessageIdEndsTheConnection() throws Exception {
        VppApiClient c = client(Duration.ofSeconds(5));
        fake.inject(new Fault.Garbage(frame(new byte[] {7})));
        assertThat(closeCause(c)).isInstanceOf(VppProtocolException.class).hasMessageContaining("too short");
    }

    @Test
    void aLengthAboveTheFrameLimitEndsTheConnectionAtOnce() throws Exception {
        VppApiClient c = client(Duration.ofSeconds(5));
        fake.inject(new Fault.BadLength(0xffff_fff0L));
        assertThat(closeCause(c)).isInstanceOf(VppProtocolException.class)
                .hasMessageContaining("frame of 4294967280 bytes exceeds the limit");
    }

    @Test
    void aFrameThatStaysIncompleteEndsTheConnectionAfterTheRequestTimeout() throws Exception {
        // A header announcing 100 bytes that never come: every later byte would be misread.
        VppApiClient c = client(Duration.ofMillis(300));
        fake.inject(new Fault.BadLength(100));
        assertThat(closeCause(c)).isInstanceOf(VppProtocolException.class)
                .hasMessageContaining("stayed incomplete for more than 300 ms");
        assertThat(failure(c.call(Api.CONTROL_PING, Empty.INSTANCE))).isInstanceOf(VppProtocolException.class);
    }

    @Test
    void aFrameCutShortByAVppThatClosesIsAConnectionError() throws Exception {
        VppApiClient c = client(Duration.ofSeconds(5));
        fake.setReplyDelay(Duration.ofSeconds(2));
        CompletableFuture<ControlPingReply> waiting = c.call(Api.CONTROL_PING, Empty.INSTANCE);
        fake.inject(new Fault.TruncatedFrame(20, 7));
        assertThat(closeCause(c)).isInstanceOf(VppConnectionException.class)
                .hasMessageContaining("end of stream inside a frame (23 bytes buffered)");
        assertThat(failure(waiting)).isInstanceOf(VppConnectionException.class);
    }

    /**
     * Seeded garbage of four shapes (random bytes; a complete frame of a message VPP has, with a
     * random context and body; a header announcing more than follows; a torn header): after each, a request either succeeds on a
     * session still in step, or the session ends with a protocol or connection error — within
     * a few request timeouts, never a hang, never an unexpected exception in the reader.
     */
    @Test
    void randomGarbageNeverHangsTheClient() throws Exception {
        Random r = new Random(SEED);
        int rounds = 40;
        int survived = 0;
        int ended = 0;
        for (int round = 0; round < rounds; round++) {
            VppApiClient c = client(Duration.ofMillis(300));
            int shape = round % 4;
            byte[] garbage = switch (shape) {
                case 0 -> bytes(r, 1 + r.nextInt(200));
                case 1 -> { // a message VPP has, with a random context and body
                    List<Integer> ids = List.copyOf(fake.messageTable().asMap().values());
                    byte[] body = bytes(r, 2 + r.nextInt(64));
                    int id = ids.get(r.nextInt(ids.size()));
                    body[0] = (byte) (id >> 8);
                    body[1] = (byte) id;
                    yield frame(body);
                }
                case 2 -> {
                    byte[] partial = bytes(r, r.nextInt(50));
                    yield ByteBuffer.allocate(16 + partial.length).putLong(0).putInt(51 + r.nextInt(100_000)).putInt(0)
                            .put(partial).array();
                }
                default -> bytes(r, 1 + r.nextInt(15));
            };
            fake.inject(new Fault.Garbage(garbage));
            CompletableFuture<ControlPingReply> call = c.call(Api.CONTROL_PING, Empty.INSTANCE);
            String what = "seed " + SEED + " round " + round + " shape " + shape + " (" + garbage.length + " bytes)";
            try {
                call.get(LONG.toSeconds(), TimeUnit.SECONDS);
                survived++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(VppException.unwrap(e)).as(what).isNotNull();
                assertThat(closeCause(c)).as(what).isInstanceOfAny(VppProtocolException.class,
                        VppConnectionException.class);
                ended++;
            }
            c.close();
        }
        assertThat(survived + ended).isEqualTo(rounds);
        assertThat(ended).as("garbage that broke the stream ended the session").isPositive();
        assertThat(events.named("vpp-api-reader-failed")).as("no unexpected exception in the reader").isEmpty();
        System.out.printf("garbage rounds: %d, session kept: %d, session ended: %d%n", rounds, survived, ended);
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
