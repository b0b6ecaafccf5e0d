package dev.vppmaglev.vpp.api.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Appends VPP binary-API fields to a growable buffer, big-endian and packed, by the encoding
 * rules of vpp-wire.md §2 (VPP src/tools/vppapigen/vppapigen_c.py): integers big-endian, enums
 * at their declared width, {@code vl_api_address_t} = af u8 + 16-byte union (IPv4 in the first 4
 * bytes, rest zero), {@code vl_api_prefix_t} = address + len u8, fixed {@code string[N]} =
 * N bytes NUL-padded, {@code string[]} = u32 length + bytes without NUL.
 *
 * <p>Not thread-safe; one writer encodes one frame.
 */
public final class WireWriter {
    private ByteBuffer buf;

    /** @param initialCapacity first buffer size in bytes; grows as needed */
    public WireWriter(int initialCapacity) {
        buf = ByteBuffer.allocate(Math.max(16, initialCapacity)).order(ByteOrder.BIG_ENDIAN);
    }

    private void ensure(int n) {
        if (buf.remaining() < n) {
            int cap = Math.max(buf.capacity() * 2, buf.position() + n);
            ByteBuffer bigger = ByteBuffer.allocate(cap).order(ByteOrder.BIG_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    /** Bytes written so far. */
    public int position() {
        return buf.position();
    }

    /** u8 / i8 (low 8 bits of {@code v}). */
    public WireWriter u8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    /** bool: 1 or 0. */
    public WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    /** u16 / i16, big-endian (low 16 bits of {@code v}). */
    public WireWriter u16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    /** u32 / i32, big-endian. */
    public WireWriter u32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    /** u64 / i64, big-endian. */
    public WireWriter u64(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    /** Raw bytes. */
    public WireWriter bytes(byte[] b) {
        ensure(b.length);
        buf.put(b);
        return this;
    }

    /** {@code n} zero bytes. */
    public WireWriter zeros(int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf.put((byte) 0);
        }
        return this;
    }

    /**
     * Fixed {@code string name[n]}: UTF-8 bytes, NUL-padded to {@code n}; VPP reads it as a C
     * string, so at most {@code n - 1} bytes fit.
     *
     * @throws IllegalArgumentException when the text needs more than {@code n - 1} bytes
     */
    public WireWriter fixedString(String s, int n) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > n - 1) {
            throw new IllegalArgumentException("string of " + b.length + " bytes does not fit string["
                    + n + "] (at most " + (n - 1) + " bytes plus NUL): " + s);
        }
        bytes(b);
        return zeros(n - b.length);
    }

    /** Variable {@code string name[]}: u32 length then the UTF-8 bytes, no NUL. */
    public WireWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        return bytes(b);
    }

    /** {@code vl_api_ip4_address_t}: 4 bytes, network order. */
    public WireWriter ip4(Inet4Address a) {
        return bytes(a.getAddress());
    }

    /** {@code vl_api_ip6_address_t}: 16 bytes. */
    public WireWriter ip6(Inet6Address a) {
        return bytes(a.getAddress());
    }

    /** {@code vl_api_address_union_t} (16 bytes): IPv4 in the first 4 bytes, the rest zero. */
    public WireWriter addressUnion(InetAddress a) {
        byte[] b = a.getAddress();
        bytes(b);
        return zeros(16 - b.length);
    }

    /** {@code vl_api_address_t} (17 bytes): af (0 = IPv4, 1 = IPv6) then the union. */
    public WireWriter address(InetAddress a) {
        u8(a instanceof Inet4Address ? 0 : 1);
        return addressUnion(a);
    }

    /** Overwrites 4 bytes at {@code offset} (big-endian), e.g. a frame's {@code data_len}. */
    public void putU32At(int offset, int v) {
        buf.putInt(offset, v);
    }

    /** Overwrites 8 bytes at {@code offset}. */
    public void putU64At(int offset, long v) {
        buf.putLong(offset, v);
    }

    /** The written bytes as a buffer positioned at 0, limited to {@link #position()}. */
    public ByteBuffer toBuffer() {
        ByteBuffer out = buf.duplicate().order(ByteOrder.BIG_ENDIAN);
        out.flip();
        return out;
    }

    /** A copy of the written bytes. */
    public byte[] toByteArray() {
        byte[] out = new byte[buf.position()];
        buf.get(0, out);
        return out;
    }
}
