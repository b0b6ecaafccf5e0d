package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.Golden;
import dev.vppmaglev.vpp.stats.GoldenImage;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
import dev.vppmaglev.vpp.api.msg.CliInbandReply;
import dev.vppmaglev.vpp.api.msg.GetFirstMsgIdReply;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.SockclntCreateReply;
import dev.vppmaglev.vpp.api.wire.FrameReader;
import dev.vppmaglev.vpp.api.wire.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Replays every request of the golden transcripts (testdata/golden/api, captured from a real VPP)
 * against {@link FakeVpp}, framed by our codec, and checks that the fake answers with the same
 * bytes, in the same order, and stays silent where VPP stayed silent.
 *
 * <p>What may differ, and why: {@code q} (bytes 0..7 of every frame: a VPP pointer); message ids
 * (the fake lays out its ranges differently: ids are mapped by {@code name_crc}, also inside
 * {@code get_first_msg_id_reply}); the message table of {@code sockclnt_create_reply} (the fake
 * loads fewer modules; we check every entry it announces exists with the same {@code name_crc} in
 * the real table). The pid (6030 / 6493) and VPP's uptime (2 s, shown as {@code in_use_since})
 * are given to the fake, so those bytes must match too. Data-plane state between b and c (lb
 * counters, sticky flows per AS, sticky-table usage) cannot come from a fake without a data plane:
 * it is injected from stats/expected.json and the captured texts before replaying c.
 */
class GoldenReplayTest {
    @TempDir
    Path dir;
    private FakeVpp fake;
    private final Map<String, Integer> goldenIds = Golden.messageTable();
    private final Map<Integer, String> goldenNames = new HashMap<>();

    {
        goldenIds.forEach((k, v) -> goldenNames.put(v, k));
    }

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
        }
    }

    private FakeVpp start(int pid) throws IOException {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).pid(pid).uptime(() -> 2).seed(42).build().start();
        return fake;
    }

    @Test
    void run1HandshakeProgrammingAndAfterTrafficMatchTheCaptureByteForByte() throws Exception {
        start(6030);
        int a = replay("a-handshake");
        int b = replay("b-lb-programming");
        injectRun1Traffic();
        int c = replay("c-after-traffic");
        assertThat(a).isEqualTo(6);
        assertThat(b).isEqualTo(88);
        assertThat(c).isEqualTo(18);
    }

    @Test
    void run2EncapVariantsMatchTheCaptureByteForByte() throws Exception {
        start(6493);
        assertThat(replay("d-lb-encap-variants")).isEqualTo(72);
    }

    @Test
    void cliTextsEqualTheGoldenImageAfterTheirSteps() throws Exception {
        start(6030);
        replay("a-handshake");
        replay("b-lb-programming");
        assertThat(fake.cli("show lb vips verbose")).isEqualTo(Golden.cli("show-lb-vips-verbose-final-before-traffic.txt"));
        assertThat(fake.cli("show lb")).isEqualTo(Golden.cli("show-lb-final-before-traffic.txt"));
        injectRun1Traffic();
        assertThat(fake.cli("show lb vips verbose")).isEqualTo(Golden.cli("show-lb-vips-verbose-after-traffic.txt"));
        assertThat(fake.cli("show lb")).isEqualTo(Golden.cli("show-lb-after-traffic.txt"));
        fake.close();
        start(6493);
        replay("d-lb-encap-variants");
        assertThat(fake.cli("show lb vips verbose")).isEqualTo(Golden.cli("show-lb-vips-verbose-cli-configured.txt"));
    }

    /**
     * Sends the transcript's requests in order; for every captured reply reads one frame and
     * compares; expects EOF after {@code sockclnt_delete}.
     *
     * @return replies compared
     */
    private int replay(String transcript) throws Exception {
        List<Golden.Frame> frames = Golden.transcript(transcript);
        int compared = 0;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(fake.apiSocket()));
            FrameReader reader = new FrameReader(ch, 1 << 24);
            for (Golden.Frame f : frames) {
                if (f.tx()) {
                    ch.write(ByteBuffer.wrap(withFakeId(f.bytes())));
                    continue;
                }
                ByteBuffer got = read(reader, f);
                compare(f, got);
                compared++;
            }
            // after sockclnt_delete VPP closes the socket
            assertThat(frames.getLast().note()).contains("EOF");
            try {
                ByteBuffer extra = read(reader, frames.getLast());
                fail("expected EOF after sockclnt_delete, got message id " + (extra.getShort(0) & 0xffff));
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(EOFException.class);
            }
        }
        return compared;
    }

    private static ByteBuffer read(FrameReader reader, Golden.Frame expected) throws Exception {
        CompletableFuture<ByteBuffer> f = CompletableFuture.supplyAsync(() -> {
            try {
                ByteBuffer body = reader.next();
                ByteBuffer copy = ByteBuffer.allocate(body.remaining());
                copy.put(body.duplicate()).flip();
                return copy;
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no reply from the fake for " + expected.step() + " " + expected.msg(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof java.util.concurrent.CompletionException c
                    ? new ExecutionException(c.getCause()) : e;
        }
    }

    /**
     * The request as our client frames it: decoded from the capture and encoded again by our codec
     * with the fake's id for its name_crc (GoldenCodecTest shows the encoding equals the captured
     * bytes). Frames our codec refuses (unknown id, truncated body) go out raw, id remapped.
     */
    private byte[] withFakeId(byte[] frame) {
        int goldenId = ((frame[16] & 0xff) << 8) | (frame[17] & 0xff);
        String nameCrc = goldenNames.get(goldenId);
        if (nameCrc == null) {
            return frame.clone(); // an id VPP does not know: the fake must not know it either
        }
        int id = fake.messageTable().id(nameCrc).orElseThrow(() -> new AssertionError("fake lacks " + nameCrc));
        MessageType<?> t = Messages.byNameCrc(nameCrc);
        ByteBuffer body = ByteBuffer.wrap(frame, 16, frame.length - 16).slice();
        try {
            return ourFrame(t, id, body);
        } catch (dev.vppmaglev.vpp.api.VppProtocolException truncated) {
            byte[] out = frame.clone();
            out[16] = (byte) (id >> 8);
            out[17] = (byte) id;
            return out;
        }
    }

    private static <T> byte[] ourFrame(MessageType<T> t, int id, ByteBuffer body) {
        T msg = t.decodeBody(body);
        ByteBuffer f = t.encodeFrame(id, t.layout().clientIndex(body), t.layout().context(body), msg);
        byte[] out = new byte[f.remaining()];
        f.get(out);
        return out;
    }

    private void compare(Golden.Frame want, ByteBuffer got) {
        String where = want.step() + " " + want.msg();
        int id = got.getShort(0) & 0xffff;
        assertThat(fake.messageTable().nameCrc(id)).as(where + ": message").isEqualTo(want.msg());
        byte[] gotBody = new byte[got.remaining()];
        got.duplicate().get(gotBody);
        byte[] wantBody = Arrays.copyOfRange(want.bytes(), 16, want.bytes().length);
        MessageType<?> t = Messages.byNameCrc(want.msg());
        if (t == Messages.SOCKCLNT_CREATE_REPLY) {
            SockclntCreateReply w = Messages.SOCKCLNT_CREATE_REPLY.decodeBody(want.body());
            SockclntCreateReply g = Messages.SOCKCLNT_CREATE_REPLY.decodeBody(got.duplicate());
            assertThat(Arrays.copyOfRange(gotBody, 2, 18)).as(where + ": client_index, context, response, index")
                    .isEqualTo(Arrays.copyOfRange(wantBody, 2, 18));
            assertThat(g.index()).isEqualTo(w.index());
            assertThat(g.messageTable()).hasSize(fake.messageTable().size());
            for (var e : g.messageTable()) {
                assertThat(goldenIds).as("real VPP has " + e.name()).containsKey(e.name());
                assertThat(fake.messageTable().id(e.name())).hasValue(e.index());
            }
            return;
        }
        if (t == Messages.GET_FIRST_MSG_ID_REPLY) {
            GetFirstMsgIdReply w = Messages.GET_FIRST_MSG_ID_REPLY.decodeBody(want.body());
            GetFirstMsgIdReply g = Messages.GET_FIRST_MSG_ID_REPLY.decodeBody(got.duplicate());
            assertThat(g.retval()).as(where).isEqualTo(w.retval());
            if (w.retval() == 0) {
                String first = goldenNames.get(w.firstMsgId());
                assertThat(fake.messageTable().nameCrc(g.firstMsgId())).as(where).isEqualTo(first);
            } else {
                assertThat(g.firstMsgId()).isEqualTo(w.firstMsgId());
            }
            return;
        }
        if (t == Messages.CLI_INBAND_REPLY) {
            CliInbandReply w = Messages.CLI_INBAND_REPLY.decodeBody(want.body());
            CliInbandReply g = Messages.CLI_INBAND_REPLY.decodeBody(got.duplicate());
            assertThat(g.reply()).as(where + ": CLI text").isEqualTo(w.reply());
            assertThat(g.retval()).as(where + ": retval").isEqualTo(w.retval());
        }
        assertThat(Arrays.copyOfRange(gotBody, 2, gotBody.length)).as(where + ": body after the id")
                .isEqualTo(Arrays.copyOfRange(wantBody, 2, wantBody.length));
    }

    /** The packet-generator traffic between b and c, as VPP's counters and sticky tables saw it. */
    private void injectRun1Traffic() {
        JsonObject expected = JsonParser.parseString(Golden.read(Golden.dir().resolve("stats/expected.json")))
                .getAsJsonObject();
        for (JsonElement e : expected.getAsJsonArray("vips")) {
            inject(e.getAsJsonObject());
        }
        inject(expected.getAsJsonObject("vip0_placeholder"));
        for (CliVip v : ShowLbVipsParser.parseVerbose(Golden.cli("show-lb-vips-verbose-after-traffic.txt"))) {
            for (CliAs as : v.ases()) {
                if (as.flows() > 0) {
                    fake.setAsFlows(v.index(), as.address(), as.flows());
                }
            }
        }
        Matcher m = Pattern.compile("usage: (\\d+) /").matcher(Golden.cli("show-lb-after-traffic.txt"));
        assertThat(m.find()).isTrue();
        fake.setStickyUsage(Long.parseLong(m.group(1)));
    }

    private void inject(JsonObject vip) {
        JsonObject c = vip.getAsJsonObject("lb_counters");
        fake.recordTraffic(vip.get("lb_vip_index").getAsInt(), c.get("packet from existing sessions").getAsLong(),
                c.get("first session packet").getAsLong(), c.get("untracked packet").getAsLong(),
                c.get("no server configured").getAsLong());
    }
}
