package dev.vppmaglev.vpp.api.wire;

import dev.vppmaglev.vpp.api.VppProtocolException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads VPP binary-API fields from a message body, big-endian and packed (the inverse of
 * {@link WireWriter}). Every read checks the remaining length and throws
 * {@link VppProtocolException} ("truncated") instead of reading past the body; bytes after the
 * last field are ignored, as VPP ignores them (vpp-wire.md §1.11).
 */
public final class WireReader {
    private final ByteBuffer buf;
    private final String what;

    /**
     * @param body bytes from {@code position()} to {@code limit()}; not modified (a duplicate is
     *             read)
     * @param what the message name, for error texts
     */
    public WireReader(ByteBuffer body, String what) {
        this.buf = body.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.what = what;
    }

    private void need(int n) {
        if (buf.remaining() < n) {
            throw new VppProtocolException("truncated " + what + ": needs " + n + " more bytes at offset "
                    + buf.position() + ", has " + buf.remaining());
        }
    }

    /** Bytes left. */
    public int remaining() {
        return buf.remaining();
    }

    /** Skips {@code n} bytes. */
    public WireReader skip(int n) {
        need(n);
        buf.position(buf.position() + n);
        return this;
    }

    /** u8 as 0..255. */
    public int u8() {
        need(1);
        return buf.get() & 0xff;
    }

    /** bool: any non-zero byte is true. */
    public boolean bool() {
        return u8() != 0;
    }

    /** u16 as 0..65535. */
    public int u16() {
        need(2);
        return buf.getShort() & 0xffff;
    }

    /** u32 / i32 as a Java int (unsigned values above 2^31 - 1 come out negative). */
    public int u32() {
        need(4);
        return buf.getInt();
    }

    /** u64 / i64. */
    public long u64() {
        need(8);
        return buf.getLong();
    }

    /** {@code n} raw bytes. */
    public byte[] bytes(int n) {
        need(n);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    /** Fixed {@code string[n]}: the bytes before the first NUL, as UTF-8. */
    public String fixedString(int n) {
        byte[] b = bytes(n);
        int len = 0;
        while (len < n && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    /** Variable {@code string[]}: u32 length then that many bytes. */
    public String string() {
        int len = u32();
        if (len < 0 || len > buf.remaining()) {
            throw new VppProtocolException("truncated " + what + ": string of " + Integer.toUnsignedLong(len)
                    + " bytes, " + buf.remaining() + " left");
        }
        return new String(bytes(len), StandardCharsets.UTF_8);
    }

    /** {@code vl_api_ip4_address_t}. */
    public Inet4Address ip4() {
        return (Inet4Address) inet(bytes(4));
    }

    /** {@code vl_api_ip6_address_t}; always an {@link Inet6Address}, also for ::ffff:a.b.c.d. */
    public Inet6Address ip6() {
        return inet6(bytes(16));
    }

    /** {@code vl_api_address_t}: af u8 then the 16-byte union. */
    public InetAddress address() {
        int af = u8();
        byte[] un = bytes(16);
        return switch (af) {
            case 0 -> inet(java.util.Arrays.copyOf(un, 4));
            case 1 -> inet6(un);
            default -> throw new VppProtocolException(what + ": address family " + af + " is neither 0 (IPv4) nor 1 (IPv6)");
        };
    }

    private static InetAddress inet(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for wrong lengths, which cannot happen here
        }
    }

    private static Inet6Address inet6(byte[] b) {
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
