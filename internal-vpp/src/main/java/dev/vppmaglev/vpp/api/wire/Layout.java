package dev.vppmaglev.vpp.api.wire;

import java.nio.ByteBuffer;

/**
 * Where a message body keeps its header fields (vpp-wire.md §1.3). Every body starts with the
 * u16 message id at offset 0; then either {@code client_index, context} (requests, and the
 * irregular {@code sockclnt_create_reply}) or {@code context} alone (replies, details, and the
 * irregular {@code sockclnt_create}). A reply's {@code retval} is the first payload field.
 */
public enum Layout {
    /** {@code u16 id @0, u32 client_index @2, u32 context @6}, payload @10. */
    CLIENT_INDEX_CONTEXT(2, 6, 10),
    /** {@code u16 id @0, u32 context @2}, payload @6. */
    CONTEXT(-1, 2, 6);

    private final int clientIndexOffset;
    private final int contextOffset;
    private final int payloadOffset;

    Layout(int clientIndexOffset, int contextOffset, int payloadOffset) {
        this.clientIndexOffset = clientIndexOffset;
        this.contextOffset = contextOffset;
        this.payloadOffset = payloadOffset;
    }

    /** Bytes before the first payload field (msg id and header fields). */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Byte offset of {@code context} in the body. */
    public int contextOffset() {
        return contextOffset;
    }

    /** Byte offset of {@code client_index}, or -1 when this layout has none. */
    public int clientIndexOffset() {
        return clientIndexOffset;
    }

    /**
     * The {@code context} of {@code body} (body = bytes from the msg id on, absolute offsets from
     * {@code body.position()}).
     *
     * @throws dev.vppmaglev.vpp.api.VppProtocolException when the body is too short
     */
    public int context(ByteBuffer body) {
        return readU32(body, contextOffset);
    }

    /** The {@code client_index}, or 0 for {@link #CONTEXT}. */
    public int clientIndex(ByteBuffer body) {
        return clientIndexOffset < 0 ? 0 : readU32(body, clientIndexOffset);
    }

    private static int readU32(ByteBuffer body, int off) {
        if (body.remaining() < off + 4) {
            throw new dev.vppmaglev.vpp.api.VppProtocolException("truncated header: body of "
                    + body.remaining() + " bytes");
        }
        return body.getInt(body.position() + off);
    }

    void writeHeader(WireWriter w, int clientIndex, int context) {
        if (this == CLIENT_INDEX_CONTEXT) {
            w.u32(clientIndex);
        }
        w.u32(context);
    }
}
