package dev.vppmaglev.vpp.api.wire;

import dev.vppmaglev.vpp.api.VppProtocolException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Cuts a byte stream into frames: 16-byte {@code msgbuf_t} header, {@code data_len} (u32
 * big-endian at offset 8) body bytes (vpp-wire.md §1.2). Partial frames are reassembled across
 * reads (VPP writes in ≤ 4096-byte chunks); {@code q} and {@code gc_mark} are ignored.
 *
 * <p>One buffer is reused: a body returned by {@link #next()} is valid only until the next call.
 * Not thread-safe, except {@link #waitingInsideFrameSince()}, which any thread may call.
 */
public final class FrameReader {
    private final ReadableByteChannel channel;
    private final int maxFrameBytes;
    private byte[] buf;
    private int start;
    private int end;
    private int consumed;
    /** System.nanoTime() when next() started waiting for the rest of a started frame; 0 when it is not. */
    private volatile long insideFrameSince;

    /**
     * @param channel       where bytes come from (blocking)
     * @param maxFrameBytes largest accepted body; larger is a {@link VppProtocolException}
     */
    public FrameReader(ReadableByteChannel channel, int maxFrameBytes) {
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
        this.buf = new byte[64 * 1024];
    }

    /**
     * Whether another complete frame is already buffered after the one last returned (so
     * {@link #next()} will not block): lets a server batch its replies to pipelined requests.
     */
    public boolean hasBufferedFrame() {
        int s = start + consumed;
        int avail = end - s;
        if (avail < MessageType.FRAME_HEADER_BYTES) {
            return false;
        }
        long len = Integer.toUnsignedLong(((buf[s + 8] & 0xff) << 24) | ((buf[s + 9] & 0xff) << 16)
                | ((buf[s + 10] & 0xff) << 8) | (buf[s + 11] & 0xff));
        return avail >= MessageType.FRAME_HEADER_BYTES + len;
    }

    /**
     * Since when ({@link System#nanoTime()}) {@link #next()} has been waiting for the rest of a
     * frame it has started to receive, or 0 when it has no partial frame. VPP writes a frame in
     * one go (≤ 4096-byte chunks back to back), so a frame that stays incomplete for long means
     * the stream lost its frame boundaries or VPP stopped in the middle of a write.
     */
    public long waitingInsideFrameSince() {
        return insideFrameSince;
    }

    /**
     * The next frame's body (position 0 = the u16 message id), big-endian.
     *
     * @throws EOFException         when the peer closed the stream (also mid-frame)
     * @throws VppProtocolException when {@code data_len} exceeds the limit
     * @throws IOException          on a read error
     */
    public ByteBuffer next() throws IOException {
        start += consumed;
        consumed = 0;
        while (true) {
            int avail = end - start;
            if (avail >= MessageType.FRAME_HEADER_BYTES) {
                long len = Integer.toUnsignedLong(((buf[start + 8] & 0xff) << 24) | ((buf[start + 9] & 0xff) << 16)
                        | ((buf[start + 10] & 0xff) << 8) | (buf[start + 11] & 0xff));
                if (len > maxFrameBytes) {
                    throw new VppProtocolException("frame of " + len + " bytes exceeds the limit of "
                            + maxFrameBytes + " bytes");
                }
                int total = MessageType.FRAME_HEADER_BYTES + (int) len;
                if (avail >= total) {
                    consumed = total;
                    if (insideFrameSince != 0) {
                        insideFrameSince = 0;
                    }
                    return ByteBuffer.wrap(buf, start + MessageType.FRAME_HEADER_BYTES, (int) len).slice();
                }
                if (buf.length < total) {
                    byte[] bigger = new byte[Math.max(total, buf.length * 2)];
                    System.arraycopy(buf, start, bigger, 0, avail);
                    buf = bigger;
                    start = 0;
                    end = avail;
                }
            }
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, avail);
                start = 0;
                end = avail;
            }
            if (avail > 0 && insideFrameSince == 0) {
                long now = System.nanoTime();
                insideFrameSince = now == 0 ? 1 : now;
            }
            int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end));
            if (n < 0) {
                throw new EOFException(avail == 0 ? "end of stream" : "end of stream inside a frame (" + avail + " bytes buffered)");
            }
            end += n;
        }
    }
}
