package dev.vppmaglev.vpp.api.wire;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One VPP binary-API message: its name and CRC (from VPP's {@code .api.json}, never computed),
 * its header {@link Layout}, the Java record that carries its payload fields, and the encoder and
 * decoder of those fields. The message <em>id</em> is not part of the type: it comes from the
 * running VPP's message table ({@link MessageTable}).
 *
 * <p>Frames are the 16-byte {@code msgbuf_t} header (q u64, data_len u32 big-endian,
 * gc_mark u32; VPP src/vlibapi/api_common.h) followed by the body (vpp-wire.md §1.2).
 *
 * @param <T> the payload record
 */
public final class MessageType<T> {
    /** Size of the {@code msgbuf_t} header before every body. */
    public static final int FRAME_HEADER_BYTES = 16;

    /** Encodes the payload fields (after the header fields) of {@code msg}. */
    @FunctionalInterface
    public interface Encoder<T> {
        void encode(T msg, WireWriter w);
    }

    /** Decodes the payload fields (the reader is positioned after the header fields). */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(WireReader r);
    }

    private final String name;
    private final String crc;
    private final Layout layout;
    private final Class<T> javaType;
    private final Encoder<T> encoder;
    private final Decoder<T> decoder;
    private final String nameCrc;

    private MessageType(String name, String crc, Layout layout, Class<T> javaType, Encoder<T> encoder,
                        Decoder<T> decoder) {
        this.name = Objects.requireNonNull(name);
        if (!crc.matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("crc must be 8 lower-case hex digits: " + crc);
        }
        this.crc = crc;
        this.layout = Objects.requireNonNull(layout);
        this.javaType = Objects.requireNonNull(javaType);
        this.encoder = Objects.requireNonNull(encoder);
        this.decoder = Objects.requireNonNull(decoder);
        this.nameCrc = name + "_" + crc;
    }

    /**
     * @param name     message name, e.g. {@code lb_add_del_as_v2}
     * @param crc      8 lower-case hex digits without {@code 0x}, from the {@code .api.json}
     * @param layout   where client_index/context sit
     * @param javaType the payload record class
     */
    public static <T> MessageType<T> of(String name, String crc, Layout layout, Class<T> javaType,
                                        Encoder<T> encoder, Decoder<T> decoder) {
        return new MessageType<>(name, crc, layout, javaType, encoder, decoder);
    }

    /** e.g. {@code lb_add_del_as_v2}. */
    public String name() {
        return name;
    }

    /** e.g. {@code 2f1d3b0e}. */
    public String crc() {
        return crc;
    }

    /** The key of VPP's message table, e.g. {@code lb_add_del_as_v2_2f1d3b0e}. */
    public String nameCrc() {
        return nameCrc;
    }

    public Layout layout() {
        return layout;
    }

    public Class<T> javaType() {
        return javaType;
    }

    /**
     * A whole frame (16-byte header with {@code q = 0}, {@code gc_mark = 0}, then the body).
     *
     * @param msgId       the id from the peer's message table
     * @param clientIndex ignored for {@link Layout#CONTEXT}
     * @param context     echoed by VPP in the reply
     * @return a buffer positioned at 0 with the frame's bytes
     */
    public ByteBuffer encodeFrame(int msgId, int clientIndex, int context, T msg) {
        WireWriter w = new WireWriter(64);
        w.zeros(FRAME_HEADER_BYTES);
        w.u16(msgId);
        layout.writeHeader(w, clientIndex, context);
        encoder.encode(msg, w);
        w.putU32At(8, w.position() - FRAME_HEADER_BYTES);
        return w.toBuffer();
    }

    /** Appends this message's body (msg id, header fields, payload) to {@code w}. */
    public void encodeBody(WireWriter w, int msgId, int clientIndex, int context, T msg) {
        w.u16(msgId);
        layout.writeHeader(w, clientIndex, context);
        encoder.encode(msg, w);
    }

    /**
     * Decodes a body (from the msg id on).
     *
     * @throws dev.vppmaglev.vpp.api.VppProtocolException when the body is shorter than the
     *         fields need (VPP drops such messages: "Truncated message")
     */
    public T decodeBody(ByteBuffer body) {
        WireReader r = new WireReader(body, name);
        r.skip(layout.payloadOffset());
        return decoder.decode(r);
    }

    /** Decodes only the payload fields from a reader positioned after the header. */
    public T decodePayload(WireReader r) {
        return decoder.decode(r);
    }

    @Override
    public String toString() {
        return nameCrc;
    }
}
