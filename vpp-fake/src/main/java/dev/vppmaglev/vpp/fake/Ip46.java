package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.IpFormat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * VPP's {@code ip46_address_t} (src/vnet/ip/ip46_address.h): 16 bytes, an IPv4 address in bytes
 * 12..15 with bytes 0..11 zero. Compares like {@code memcmp} (unsigned, big-endian), which is
 * the order the lb plugin sorts application servers in.
 *
 * @param hi bytes 0..7 big-endian
 * @param lo bytes 8..15 big-endian
 */
record Ip46(long hi, long lo) implements Comparable<Ip46> {
    static Ip46 of(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return new Ip46(0, ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL));
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new Ip46(bb.getLong(), bb.getLong());
    }

    /** 16 raw bytes (e.g. an API address union copied as it is). */
    static Ip46 ofBytes(byte[] b) {
        if (b.length != 16) {
            throw new IllegalArgumentException("an ip46 address has 16 bytes, not " + b.length);
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new Ip46(bb.getLong(), bb.getLong());
    }

    /** The 16 bytes. */
    byte[] bytes() {
        return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }

    /** {@code ip46_address_is_ip4}: bytes 0..11 are zero. */
    boolean isIp4() {
        return hi == 0 && (lo >>> 32) == 0;
    }

    /** {@code ip46_prefix_normalize}: clears the bits after {@code plen} (0..128, IPv4 as 96+). */
    Ip46 mask(int plen) {
        if (plen >= 128) {
            return this;
        }
        if (plen <= 0) {
            return new Ip46(0, 0);
        }
        if (plen <= 64) {
            long m = plen == 64 ? -1L : ~(-1L >>> plen);
            return new Ip46(hi & m, 0);
        }
        long m = ~(-1L >>> (plen - 64));
        return new Ip46(hi, lo & m);
    }

    /** As an address: IPv4 when {@link #isIp4()}, else IPv6. */
    InetAddress toInet() {
        try {
            if (isIp4()) {
                return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt((int) lo).array());
            }
            return Inet6Address.getByAddress(null, ByteBuffer.allocate(16).putLong(hi).putLong(lo).array(), -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 16 bytes as an IPv6 address, also for the IPv4 form ({@code ::a.b.c.d}). */
    Inet6Address toInet6() {
        try {
            return Inet6Address.getByAddress(null, bytes(), -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code as_u64[0] ^ as_u64[1]} as a little-endian x86 host reads them (the Maglev seed input). */
    long hostXor() {
        return Long.reverseBytes(hi) ^ Long.reverseBytes(lo);
    }

    @Override
    public int compareTo(Ip46 o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        return IpFormat.format(toInet());
    }

    static boolean isIp4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}
