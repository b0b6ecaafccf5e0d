package dev.vppmaglev.vpp.api.wire;

import dev.vppmaglev.vpp.api.VppProtocolException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reassembly of frames that arrive in arbitrary pieces (VPP writes ≤ 4096 bytes at a time). */
class FrameReaderTest {
    /** The first two rx frames of the golden handshake: a 56,136-byte table reply, then a ping reply. */
    private static byte[][] goldenFrames() throws IOException {
        String json = Files.readString(Path.of(System.getProperty("maglev.testdata", "../testdata"))
                .resolve("golden/api/a-handshake.json"));
        Matcher m = Pattern.compile("\"dir\": \"rx\",[^}]*?\"hex\": \"([0-9a-f]+)\"").matcher(json);
        byte[][] out = new byte[2][];
        for (int i = 0; i < 2 && m.find(); i++) {
            out[i] = HexFormat.of().parseHex(m.group(1));
        }
        return out;
    }

    private static Pipe.SourceChannel feed(byte[] stream, int maxChunk, boolean closeAfter) throws IOException {
        Pipe pipe = Pipe.open();
        Thread.ofVirtual().start(() -> {
            Random rnd = new Random(1);
            Pipe.SinkChannel s = pipe.sink();
            try {
                for (int off = 0; off < stream.length; ) {
                    int n = Math.min(stream.length - off, 1 + rnd.nextInt(maxChunk));
                    ByteBuffer b = ByteBuffer.wrap(stream, off, n);
                    while (b.hasRemaining()) {
                        s.write(b);
                    }
                    off += n;
                }
                if (closeAfter) {
                    s.close();
                }
            } catch (IOException ignored) {
                // reader gone
            }
        });
        return pipe.source();
    }

    @Test
    void framesSplitIntoTinyPiecesComeOutWhole() throws Exception {
        byte[][] f = goldenFrames();
        assertThat(f[0]).hasSize(56_136);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(f[0]);
        all.write(f[1]);
        FrameReader r = new FrameReader(feed(all.toByteArray(), 7, true), 1 << 20);
        ByteBuffer first = r.next();
        assertThat(first.remaining()).isEqualTo(56_120);
        byte[] body = new byte[first.remaining()];
        first.get(body);
        assertThat(body).isEqualTo(java.util.Arrays.copyOfRange(f[0], 16, f[0].length));
        ByteBuffer second = r.next();
        assertThat(second.getShort(0) & 0xffff).isEqualTo(24); // control_ping_reply
        assertThat(second.remaining()).isEqualTo(18);
        assertThatThrownBy(r::next).isInstanceOf(EOFException.class).hasMessage("end of stream");
    }

    @Test
    void headerBytesZeroToSevenAndTwelveToFifteenAreIgnored() throws Exception {
        byte[][] f = goldenFrames();
        byte[] ping = f[1].clone();
        for (int i : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15}) {
            ping[i] = (byte) 0xa5;
        }
        FrameReader r = new FrameReader(feed(ping, 100, true), 1 << 20);
        assertThat(r.next().getShort(0) & 0xffff).isEqualTo(24);
    }

    @Test
    void aFrameAboveTheLimitIsAProtocolErrorBeforeItsBodyIsRead() throws Exception {
        byte[] header = new byte[16];
        ByteBuffer.wrap(header).putInt(8, 0x7fffffff);
        FrameReader r = new FrameReader(feed(header, 16, false), 16 * 1024 * 1024);
        assertThatThrownBy(r::next).isInstanceOf(VppProtocolException.class)
                .hasMessage("frame of 2147483647 bytes exceeds the limit of 16777216 bytes");
    }

    @Test
    void endOfStreamInsideAFrameSaysSo() throws Exception {
        byte[][] f = goldenFrames();
        byte[] cut = java.util.Arrays.copyOf(f[1], 20);
        FrameReader r = new FrameReader(feed(cut, 5, true), 1 << 20);
        assertThatThrownBy(r::next).isInstanceOf(EOFException.class).hasMessageContaining("inside a frame (20 bytes");
    }

    @Test
    void knowsWhenAnotherWholeFrameIsAlreadyBuffered() throws Exception {
        byte[][] f = goldenFrames();
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.write(f[1]);
        two.write(f[1]);
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.wrap(two.toByteArray()));
        FrameReader r = new FrameReader(pipe.source(), 1 << 20);
        r.next();
        assertThat(r.hasBufferedFrame()).isTrue();
        r.next();
        assertThat(r.hasBufferedFrame()).isFalse();
    }
}
