package dev.vppmaglev.vpp.fake.stats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately naive, independent decoder of a VPP stats segment (straight from
 * vpp-wire.md §4 and VPP src/vlib/stats/shared.h, src/vppinfra/vec_bootstrap.h), so the fake's
 * layout can be compared with the golden capture without going through the reader under test.
 * No validation: test inputs are trusted.
 */
final class RawStatsImage {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final MemorySegment mem;

    RawStatsImage(MemorySegment mem) {
        this.mem = mem;
    }

    long version() {
        return mem.get(U64, 0);
    }

    long base() {
        return mem.get(U64, 8);
    }

    long epoch() {
        return mem.get(U64, 16);
    }

    long inProgress() {
        return mem.get(U64, 24);
    }

    long directoryPointer() {
        return mem.get(U64, 32);
    }

    long word40() {
        return mem.get(U64, 40);
    }

    long offset(long pointer) {
        return pointer - base();
    }

    /** {@code vec_header_t} before data offset {@code off}: len, hdr_size, log2_align|default_heap, grow_elts. */
    record VecHeader(long len, int hdrSize, int alignByte, int growElts) {}

    VecHeader vecHeader(long off) {
        return new VecHeader(
                mem.get(U32, off - 8) & 0xffffffffL,
                mem.get(ValueLayout.JAVA_BYTE, off - 4) & 0xff,
                mem.get(ValueLayout.JAVA_BYTE, off - 3) & 0xff,
                mem.get(ValueLayout.JAVA_BYTE, off - 2) & 0xff);
    }

    long directoryOffset() {
        return offset(directoryPointer());
    }

    int directoryLength() {
        return (int) vecHeader(directoryOffset()).len();
    }

    long entryOffset(int i) {
        return directoryOffset() + 144L * i;
    }

    int type(int i) {
        return mem.get(U32, entryOffset(i));
    }

    int pad(int i) {
        return mem.get(U32, entryOffset(i) + 4);
    }

    long value(int i) {
        return mem.get(U64, entryOffset(i) + 8);
    }

    String name(int i) {
        byte[] b = mem.asSlice(entryOffset(i) + 16, 128).toArray(ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    int indexOf(String name) {
        for (int i = 0; i < directoryLength(); i++) {
            if (type(i) != 5 && name(i).equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no entry " + name);
    }

    /** Offset of the per-thread pointer vector of counter entry {@code i}. */
    long threadsOffset(int i) {
        return offset(value(i));
    }

    /** Offset of thread {@code t}'s data vector of counter entry {@code i}. */
    long threadOffset(int i, int t) {
        return offset(mem.get(U64, threadsOffset(i) + 8L * t));
    }

    /** {@code [thread][index]} of a simple counter. */
    long[][] simple(int i) {
        int threads = (int) vecHeader(threadsOffset(i)).len();
        long[][] out = new long[threads][];
        for (int t = 0; t < threads; t++) {
            long off = threadOffset(i, t);
            out[t] = new long[(int) vecHeader(off).len()];
            for (int k = 0; k < out[t].length; k++) {
                out[t][k] = mem.get(U64, off + 8L * k);
            }
        }
        return out;
    }

    /** {@code [thread][index][packets, bytes]} of a combined counter. */
    long[][][] combined(int i) {
        int threads = (int) vecHeader(threadsOffset(i)).len();
        long[][][] out = new long[threads][][];
        for (int t = 0; t < threads; t++) {
            long off = threadOffset(i, t);
            out[t] = new long[(int) vecHeader(off).len()][];
            for (int k = 0; k < out[t].length; k++) {
                out[t][k] = new long[] {mem.get(U64, off + 16L * k), mem.get(U64, off + 16L * k + 8)};
            }
        }
        return out;
    }
}
