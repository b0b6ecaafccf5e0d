package dev.vppmaglev.vpp.fake.stats;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vppmaglev.vpp.stats.StatsNames;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A stats segment laid out like VPP's (vpp-wire.md §4, recipe §4.9), in real shared memory: a
 * memfd mapped read-write, with VPP's v2 header on page 0, a heap after it, the directory
 * vector of 144-byte entries, counter vectors with VPP's vector header, per-thread counter
 * vectors, symlinks and name vectors; every pointer is {@code base + offset} with a non-zero
 * {@code base}, so readers must translate. {@link #serve(Path)} hands the memfd out over a
 * {@code stats.sock} exactly like VPP.
 *
 * <h2>Vectors</h2>
 * As in the golden capture ({@code testdata/golden/stats}): counter data and per-thread pointer
 * vectors are 64-byte aligned with a 64-byte header area ({@code hdr_size} 8, {@code log2_align}
 * 6 | default-heap bit = 0x86); the directory and strings are 8-byte aligned with a 16-byte
 * header: a heap pointer, then {@code len} u32, {@code hdr_size} 2, 0x03, {@code grow_elts}; a
 * name vector's pointer vector has a 24-byte header that starts with its entry index
 * ({@code vlib_stats_header_t}, {@code hdr_size} 3). Vectors have spare capacity
 * ({@code grow_elts}).
 *
 * <h2>Locking (VPP {@code vlib_stats_segment_lock/unlock})</h2>
 * Structural changes (creating or deleting entries, growing the directory, reallocating a
 * vector) run with {@code in_progress = 1} and end with {@code epoch++} then
 * {@code in_progress = 0}. Reallocated or freed memory is poisoned with 0xA5 bytes and reused,
 * so a reader holding a stale pointer reads garbage. Like VPP's workers, counter updates that
 * fit the current vectors take no lock; growth within a vector's capacity happens in place,
 * also without the lock ({@code vlib_stats_validate}). {@link #locked(Runnable)},
 * {@link #holdLock()} and {@link #bumpEpoch()} drive the protocol from tests.
 *
 * <p>Thread-safe: mutators are serialized (VPP's segment spinlock); readers read the memory.
 */
public final class FakeStatsSegment implements AutoCloseable {
    /** Header offsets ({@code vlib_stats_shared_header_t}, VPP src/vlib/stats/shared.h). */
    static final long HDR_VERSION = 0;
    static final long HDR_BASE = 8;
    static final long HDR_EPOCH = 16;
    static final long HDR_IN_PROGRESS = 24;
    static final long HDR_DIRECTORY = 32;
    static final long PAGE = 4096;
    /** {@code vlib_stats_entry_t}: type u32 @0, pad, value u64 @8, name[128] @16. */
    static final int ENTRY_SIZE = 144;
    static final int NAME_SIZE = 128;

    /** {@code stat_directory_type_t} (VPP >= 22.06 numbering). */
    static final int TYPE_SCALAR = 1;
    static final int TYPE_SIMPLE = 2;
    static final int TYPE_COMBINED = 3;
    static final int TYPE_NAME_VECTOR = 4;
    static final int TYPE_EMPTY = 5;
    static final int TYPE_SYMLINK = 6;
    static final int TYPE_GAUGE = 9;

    private static final ValueLayout.OfLong U64 = JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle WORD = U64.varHandle();
    private static final byte POISON = (byte) 0xA5;

    /** How a vector is allocated and what its header looks like (see the class comment). */
    private enum Style {
        /** Counter data and per-thread pointer vectors: 64-byte aligned, 64-byte header area. */
        COUNTER(64, 64, (byte) 8, (byte) 0x86),
        /** Directory and strings: heap pointer + vec header, 8-byte aligned data. */
        HEAP(16, 16, (byte) 2, (byte) 0x03),
        /**
         * The pointer vector of a name vector: user header {@code vlib_stats_header_t}
         * (entry_index u32, padded to 8) + heap pointer + vec header.
         */
        NAMES(24, 24, (byte) 3, (byte) 0x03);

        final int align;
        final int header;
        final byte hdrSize;
        final byte alignByte;

        Style(int align, int header, byte hdrSize, byte alignByte) {
            this.align = align;
            this.header = header;
            this.hdrSize = hdrSize;
            this.alignByte = alignByte;
        }
    }

    /**
     * How to build the segment.
     *
     * @param size        bytes of the memfd (VPP's default is 32 MiB); a multiple of 4096, >= 64 KiB
     * @param threads     VPP threads (main + workers) with a vector in every counter, 1..256
     * @param baseAddress the "VPP virtual address" of the mapping written into the header;
     *                    non-zero, page-aligned
     * @param heapOffset  where the heap starts (>= one page; VPP: right after the header page).
     *                    Set it above 2 GiB with a larger size to put every vector there.
     */
    public record Options(long size, int threads, long baseAddress, long heapOffset) {
        /** 32 MiB, one thread, base 0x7f5a00000000, heap after page 0. */
        public static final Options DEFAULT = new Options(32L << 20, 1, 0x7f5a_0000_0000L, PAGE);

        /**
         * @throws IllegalArgumentException when a value is out of range
         */
        public Options {
            if (size < 64 << 10 || size % PAGE != 0) {
                throw new IllegalArgumentException("size must be a multiple of 4096 and >= 64 KiB, got " + size);
            }
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be 1..256, got " + threads);
            }
            if (baseAddress == 0 || baseAddress % PAGE != 0) {
                throw new IllegalArgumentException("baseAddress must be non-zero and page-aligned, got 0x"
                        + Long.toHexString(baseAddress));
            }
            if (heapOffset < PAGE || heapOffset % PAGE != 0 || heapOffset >= size) {
                throw new IllegalArgumentException("heapOffset must be a page inside the segment, got " + heapOffset);
            }
        }

        /** A copy with another thread count. */
        public Options withThreads(int n) {
            return new Options(size, n, baseAddress, heapOffset);
        }

        /** A copy with another size. */
        public Options withSize(long bytes) {
            return new Options(bytes, threads, baseAddress, heapOffset);
        }

        /** A copy with another heap start. */
        public Options withHeapOffset(long offset) {
            return new Options(size, threads, baseAddress, offset);
        }
    }

    /** Java-side bookkeeping of one vector in the segment. */
    private static final class Vec {
        final Style style;
        final int elem;
        long data;
        int len;
        int capacity;

        Vec(Style style, int elem, long data, int len, int capacity) {
            this.style = style;
            this.elem = elem;
            this.data = data;
            this.len = len;
            this.capacity = capacity;
        }
    }

    /** A counter entry: the per-thread pointer vector and each thread's data vector (null = none). */
    private static final class Counter {
        final boolean combined;
        final Vec threads;
        final Vec[] data;

        Counter(boolean combined, Vec threads, Vec[] data) {
            this.combined = combined;
            this.threads = threads;
            this.data = data;
        }

        int elem() {
            return combined ? 16 : 8;
        }
    }

    private final Options options;
    private final int fd;
    private final Arena arena;
    private final MemorySegment mem;
    private final long base;
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private final Map<Long, Long> blocks = new HashMap<>();
    private long top;
    private Vec directory;
    private final Deque<Integer> freeSlots = new ArrayDeque<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<Integer, Counter> counters = new HashMap<>();
    private final Map<Integer, List<Vec>> nameVectors = new HashMap<>();
    private final List<FakeStatsServer> servers = new ArrayList<>();
    private int lockDepth;
    private boolean closed;

    private FakeStatsSegment(Options options) throws IOException {
        this.options = options;
        this.base = options.baseAddress();
        this.fd = FakeNative.memfd("vpp-fake-stats", options.size());
        this.arena = Arena.ofShared();
        try {
            this.mem = FakeNative.mapShared(fd, options.size(), arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            FakeNative.close(fd);
            throw e;
        }
        this.top = options.heapOffset();
        // Page 0: the shared header. Offset 40 (the pre-22.06 error vector) stays 0.
        mem.set(U64, HDR_VERSION, 2);
        mem.set(U64, HDR_BASE, base);
        mem.set(U64, HDR_IN_PROGRESS, 0);
        mem.set(U64, HDR_EPOCH, 1);
        directory = allocVec(Style.HEAP, ENTRY_SIZE, 0, 64);
        WORD.setRelease(mem, HDR_DIRECTORY, pointer(directory.data));
        // The first three entries mirror VPP (src/vlib/stats/stats.h): heartbeat, last clear, boottime.
        setScalar(StatsNames.HEARTBEAT, 0);
        setScalar(StatsNames.LAST_STATS_CLEAR, 0);
        setScalar(StatsNames.BOOTTIME, Instant.now().getEpochSecond());
        // FIB counters exist from start-up in VPP (default routes use the first indexes).
        addCombinedCounter(StatsNames.ROUTE_TO, 8);
        addCombinedCounter(StatsNames.ROUTE_VIA, 8);
    }

    /** A 32 MiB, one-thread segment ({@link Options#DEFAULT}). */
    public static FakeStatsSegment create() throws IOException {
        return create(Options.DEFAULT);
    }

    /**
     * Creates the memfd, maps it and writes the header and VPP's first entries
     * ({@code /sys/heartbeat}, {@code /sys/last_stats_clear}, {@code /sys/boottime} = now,
     * {@code /net/route/to}, {@code /net/route/via} of 8 elements).
     *
     * @throws IOException when memfd_create, ftruncate or mmap fail
     */
    public static FakeStatsSegment create(Options options) throws IOException {
        return new FakeStatsSegment(Objects.requireNonNull(options, "options"));
    }

    /**
     * Serves this segment's memfd on a new {@code stats.sock} at {@code socket} (replacing a
     * stale file). Closed with the segment.
     *
     * @throws IOException when the socket cannot be bound
     */
    public FakeStatsServer serve(Path socket) throws IOException {
        return serve(socket, FakeStatsServer.Mode.SEND_FD);
    }

    /** Like {@link #serve(Path)} with a misbehaving peer for client error tests. */
    public synchronized FakeStatsServer serve(Path socket, FakeStatsServer.Mode mode) throws IOException {
        checkOpen();
        FakeStatsServer server = new FakeStatsServer(socket, fd, false, Objects.requireNonNull(mode, "mode"));
        servers.add(server);
        return server;
    }

    // -------------------------------------------------------------------------- inspection

    public Options options() {
        return options;
    }

    /** The {@code base} written into the header. */
    public long baseAddress() {
        return base;
    }

    /** The current epoch (header offset 16). */
    public long epoch() {
        return (long) WORD.getAcquire(mem, HDR_EPOCH);
    }

    /** Directory index of {@code name}, or -1. */
    public synchronized int directoryIndex(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** A read-only view of the whole segment, for tests that check the layout byte by byte. */
    public MemorySegment memory() {
        return mem.asReadOnly();
    }

    // ----------------------------------------------------------------------------- scalars

    /**
     * Sets a {@code SCALAR_INDEX} entry, creating it (under the lock) if absent; an update of an
     * existing one is a plain store, as in VPP.
     */
    public synchronized void setScalar(String name, long value) {
        setValueEntry(name, TYPE_SCALAR, value);
    }

    /** Sets a {@code GAUGE} entry (type 9), creating it if absent. */
    public synchronized void setGauge(String name, long value) {
        setValueEntry(name, TYPE_GAUGE, value);
    }

    /** Sets {@code /sys/boottime} (unix seconds). */
    public void setBootTime(long unixSeconds) {
        setScalar(StatsNames.BOOTTIME, unixSeconds);
    }

    /** Bumps {@code /sys/heartbeat} by one, without the lock (VPP's collector does the same). */
    public synchronized void beat() {
        int i = requireEntry(StatsNames.HEARTBEAT, TYPE_SCALAR);
        long off = entryOffset(i) + 8;
        WORD.setOpaque(mem, off, (long) WORD.getOpaque(mem, off) + 1);
    }

    private void setValueEntry(String name, int type, long value) {
        checkOpen();
        Integer i = index.get(name);
        if (i == null) {
            lock();
            try {
                createEntry(name, type, value);
            } finally {
                unlock();
            }
            return;
        }
        requireEntry(name, type);
        WORD.setOpaque(mem, entryOffset(i) + 8, value);
    }

    // ---------------------------------------------------------------------------- counters

    /** Creates a simple counter (type 2) with {@code length} zeroed elements per thread. */
    public synchronized void addSimpleCounter(String name, int length) {
        addCounter(name, false, length);
    }

    /** Creates a combined counter (type 3) with {@code length} zeroed {packets, bytes} per thread. */
    public synchronized void addCombinedCounter(String name, int length) {
        addCounter(name, true, length);
    }

    private void addCounter(String name, boolean combined, int length) {
        checkOpen();
        checkLength(length);
        if (index.containsKey(name)) {
            throw new IllegalArgumentException("stats entry '" + name + "' exists");
        }
        lock();
        try {
            int threads = options.threads();
            Vec ptrs = allocVec(Style.COUNTER, 8, threads, threads);
            Vec[] data = new Vec[threads];
            for (int t = 0; t < threads; t++) {
                data[t] = allocVec(Style.COUNTER, combined ? 16 : 8, length, length);
                mem.set(U64, ptrs.data + 8L * t, pointer(data[t].data));
            }
            int i = createEntry(name, combined ? TYPE_COMBINED : TYPE_SIMPLE, pointer(ptrs.data));
            counters.put(i, new Counter(combined, ptrs, data));
        } finally {
            unlock();
        }
    }

    /**
     * Reallocates every thread's vector of counter {@code name} to {@code length} elements (grow
     * or shrink), under the lock: the data moves, old blocks are poisoned and reused, values
     * below the new length are kept.
     */
    public synchronized void resize(String name, int length) {
        checkLength(length);
        Counter c = counter(name);
        lock();
        try {
            for (int t = 0; t < c.data.length; t++) {
                reallocThread(c, t, length, length);
            }
        } finally {
            unlock();
        }
    }

    /**
     * Reallocates one thread's vector (threads may differ, as when VPP validated an index on
     * one thread only). {@code length} -1 leaves the thread without a vector (null pointer).
     */
    public synchronized void resize(String name, int thread, int length) {
        Counter c = counter(name);
        checkThread(c, thread);
        if (length < -1) {
            throw new IllegalArgumentException("length must be >= -1, got " + length);
        }
        lock();
        try {
            reallocThread(c, thread, length, Math.max(length, 0));
        } finally {
            unlock();
        }
    }

    /** Current element count of thread {@code thread}'s vector of {@code name} (-1 = no vector). */
    public synchronized int length(String name, int thread) {
        Counter c = counter(name);
        checkThread(c, thread);
        Vec v = c.data[thread];
        return v == null ? -1 : v.len;
    }

    /**
     * Makes index {@code index} exist in every thread's vector of {@code name}, like VPP's
     * {@code vlib_validate_simple_counter}: in place (no lock, no epoch change) when it fits the
     * capacity, else reallocated with room to grow under the lock.
     */
    public synchronized void validate(String name, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        Counter c = counter(name);
        boolean expand = false;
        for (Vec v : c.data) {
            expand |= v == null || index >= v.capacity;
        }
        if (expand) {
            lock();
        }
        try {
            for (int t = 0; t < c.data.length; t++) {
                Vec v = c.data[t];
                if (v == null || index >= v.capacity) {
                    int len = index + 1;
                    reallocThread(c, t, len, len + len / 2 + 1);
                } else if (index >= v.len) {
                    long elem = c.elem();
                    mem.asSlice(v.data + v.len * elem, (index + 1 - v.len) * elem).fill((byte) 0);
                    v.len = index + 1;
                    writeVecHeader(v);
                }
            }
        } finally {
            if (expand) {
                unlock();
            }
        }
    }

    /** Sets {@code [thread][index]} of a simple counter (validating the index first). */
    public synchronized void setSimple(String name, int thread, int index, long value) {
        long off = slot(name, false, thread, index);
        WORD.setOpaque(mem, off, value);
    }

    /** Adds {@code delta} to {@code [thread][index]} of a simple counter. */
    public synchronized void addSimple(String name, int thread, int index, long delta) {
        long off = slot(name, false, thread, index);
        WORD.setOpaque(mem, off, (long) WORD.getOpaque(mem, off) + delta);
    }

    /** Sets {@code [thread][index]} of a combined counter. */
    public synchronized void setCombined(String name, int thread, int index, long packets, long bytes) {
        long off = slot(name, true, thread, index);
        WORD.setOpaque(mem, off, packets);
        WORD.setOpaque(mem, off + 8, bytes);
    }

    /** Adds to {@code [thread][index]} of a combined counter. */
    public synchronized void addCombined(String name, int thread, int index, long packets, long bytes) {
        long off = slot(name, true, thread, index);
        WORD.setOpaque(mem, off, (long) WORD.getOpaque(mem, off) + packets);
        WORD.setOpaque(mem, off + 8, (long) WORD.getOpaque(mem, off + 8) + bytes);
    }

    private long slot(String name, boolean combined, int thread, int index) {
        Counter c = counter(name);
        if (c.combined != combined) {
            throw new IllegalArgumentException("stats entry '" + name + "' is "
                    + (c.combined ? "a combined" : "a simple") + " counter");
        }
        checkThread(c, thread);
        validate(name, index);
        return c.data[thread].data + (long) index * c.elem();
    }

    // ---------------------------------------------------------------------- lb + FIB helpers

    /**
     * What adding VIP {@code lbIndex} does in VPP: the lb plugin's four counters are created on
     * first use (names without a leading slash) and validated up to {@code lbIndex}.
     */
    public synchronized void validateLbCounters(int lbIndex) {
        for (String name : StatsNames.LB_COUNTERS) {
            if (!index.containsKey(name)) {
                addSimpleCounter(name, lbIndex + 1);
            } else {
                validate(name, lbIndex);
            }
        }
    }

    /** Counts {@code packets} on thread 0 in lb counter {@code name} at VIP {@code lbIndex}. */
    public void addLbCounter(String name, int lbIndex, long packets) {
        addLbCounter(name, 0, lbIndex, packets);
    }

    /**
     * Counts {@code packets} on {@code thread} in lb counter {@code name} (one of
     * {@link StatsNames#LB_COUNTERS}) at VIP {@code lbIndex}, creating/validating the counters.
     */
    public synchronized void addLbCounter(String name, int thread, int lbIndex, long packets) {
        if (!StatsNames.LB_COUNTERS.contains(name)) {
            throw new IllegalArgumentException("not an lb counter: '" + name + "' (expected one of "
                    + StatsNames.LB_COUNTERS + ")");
        }
        validateLbCounters(lbIndex);
        addSimple(name, thread, lbIndex, packets);
    }

    /** Counts traffic on thread 0 in {@code /net/route/to} at FIB stats index {@code statsIndex}. */
    public void addRoute(int statsIndex, long packets, long bytes) {
        addRoute(0, statsIndex, packets, bytes);
    }

    /** Counts traffic on {@code thread} in {@code /net/route/to} at {@code statsIndex}. */
    public void addRoute(int thread, int statsIndex, long packets, long bytes) {
        addCombined(StatsNames.ROUTE_TO, thread, statsIndex, packets, bytes);
    }

    // ----------------------------------------------------------------- symlinks, names, delete

    /**
     * Creates a symlink (type 6) standing for column {@code column} of {@code target}, as
     * {@code vlib_stats_add_symlink} does (index1 = target's directory index, index2 = column).
     */
    public synchronized void addSymlink(String name, String target, int column) {
        checkOpen();
        Integer t = index.get(target);
        if (t == null) {
            throw new IllegalArgumentException("no stats entry '" + target + "' to link to");
        }
        if (column < 0) {
            throw new IllegalArgumentException("column must be >= 0, got " + column);
        }
        if (index.containsKey(name)) {
            throw new IllegalArgumentException("stats entry '" + name + "' exists");
        }
        lock();
        try {
            createEntry(name, TYPE_SYMLINK, (t & 0xffffffffL) | ((long) column << 32));
        } finally {
            unlock();
        }
    }

    /**
     * Creates a name vector (type 4), e.g. {@code /if/names}; a null element is stored as a null
     * string pointer (a deleted interface).
     */
    public synchronized void addNameVector(String name, List<String> names) {
        checkOpen();
        if (index.containsKey(name)) {
            throw new IllegalArgumentException("stats entry '" + name + "' exists");
        }
        lock();
        try {
            Vec ptrs = allocVec(Style.NAMES, 8, names.size(), names.size());
            List<Vec> owned = new ArrayList<>();
            owned.add(ptrs);
            for (int i = 0; i < names.size(); i++) {
                String s = names.get(i);
                if (s == null) {
                    mem.set(U64, ptrs.data + 8L * i, 0);
                    continue;
                }
                byte[] bytes = (s + "\0").getBytes(StandardCharsets.UTF_8);
                Vec str = allocVec(Style.HEAP, 1, bytes.length, bytes.length);
                MemorySegment.copy(bytes, 0, mem, JAVA_BYTE, str.data, bytes.length);
                mem.set(U64, ptrs.data + 8L * i, pointer(str.data));
                owned.add(str);
            }
            int i = createEntry(name, TYPE_NAME_VECTOR, pointer(ptrs.data));
            mem.set(U64, ptrs.data - 24, i); // vlib_stats_header_t.entry_index
            nameVectors.put(i, owned);
        } finally {
            unlock();
        }
    }

    /**
     * Deletes an entry as {@code vlib_stats_remove_entry} does: under the lock its slot becomes
     * {@code EMPTY} with a zeroed name (reused by the next new entry) and its vectors are freed.
     */
    public synchronized void delete(String name) {
        checkOpen();
        Integer i = index.remove(name);
        if (i == null) {
            throw new IllegalArgumentException("no stats entry '" + name + "'");
        }
        lock();
        try {
            long off = entryOffset(i);
            mem.set(U32, off, TYPE_EMPTY);
            mem.set(U64, off + 8, freeSlots.isEmpty() ? 0 : freeSlots.peek());
            mem.asSlice(off + 16, NAME_SIZE).fill((byte) 0);
            Counter c = counters.remove(i);
            if (c != null) {
                for (Vec v : c.data) {
                    if (v != null) {
                        freeVec(v);
                    }
                }
                freeVec(c.threads);
            }
            List<Vec> names = nameVectors.remove(i);
            if (names != null) {
                names.forEach(this::freeVec);
            }
            freeSlots.push(i);
        } finally {
            unlock();
        }
    }

    // ------------------------------------------------------------------------ protocol knobs

    /** Takes and releases the lock without changing anything: the epoch moves by one. */
    public synchronized void bumpEpoch() {
        lock();
        unlock();
    }

    /**
     * Runs {@code body} (any mutators of this segment) under one lock: readers see
     * {@code in_progress} set for the whole body and one epoch step at the end.
     */
    public synchronized void locked(Runnable body) {
        lock();
        try {
            body.run();
        } finally {
            unlock();
        }
    }

    /**
     * Sets {@code in_progress} and leaves it set until the returned handle is closed, as a VPP
     * that stalls (or dies) holding the lock. Mutators keep working meanwhile.
     */
    public synchronized HeldLock holdLock() {
        lock();
        return new HeldLock();
    }

    /** A lock held by {@link #holdLock()}; {@link #close()} releases it (epoch + 1). */
    public final class HeldLock implements AutoCloseable {
        private boolean released;

        private HeldLock() {}

        @Override
        public void close() {
            synchronized (FakeStatsSegment.this) {
                if (!released) {
                    released = true;
                    unlock();
                }
            }
        }
    }

    // -------------------------------------------------------------------------- internals

    private void lock() {
        if (lockDepth++ == 0) {
            WORD.setVolatile(mem, HDR_IN_PROGRESS, 1L);
            VarHandle.fullFence(); // no data store may become visible before in_progress
        }
    }

    private void unlock() {
        if (--lockDepth == 0) {
            VarHandle.releaseFence();
            WORD.setRelease(mem, HDR_EPOCH, (long) WORD.getOpaque(mem, HDR_EPOCH) + 1);
            WORD.setRelease(mem, HDR_IN_PROGRESS, 0L);
        }
    }

    private int createEntry(String name, int type, long value) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= NAME_SIZE) {
            throw new IllegalArgumentException("stats entry names are 1.." + (NAME_SIZE - 1) + " bytes: '" + name + "'");
        }
        int i;
        if (!freeSlots.isEmpty()) {
            i = freeSlots.pop();
        } else {
            if (directory.len == directory.capacity) {
                Vec grown = allocVec(Style.HEAP, ENTRY_SIZE, directory.len, directory.capacity * 3 / 2 + 16);
                MemorySegment.copy(mem, directory.data, mem, grown.data, (long) directory.len * ENTRY_SIZE);
                WORD.setRelease(mem, HDR_DIRECTORY, pointer(grown.data));
                freeVec(directory);
                directory = grown;
            }
            i = directory.len;
        }
        long off = entryOffset(i);
        mem.set(U32, off, type);
        mem.set(U32, off + 4, 0);
        mem.set(U64, off + 8, value);
        mem.asSlice(off + 16, NAME_SIZE).fill((byte) 0);
        MemorySegment.copy(bytes, 0, mem, JAVA_BYTE, off + 16, bytes.length);
        if (i == directory.len) {
            directory.len++;
            writeVecHeader(directory);
        }
        index.put(name, i);
        return i;
    }

    private void reallocThread(Counter c, int thread, int length, int capacity) {
        Vec old = c.data[thread];
        long ptrSlot = c.threads.data + 8L * thread;
        if (length < 0) {
            mem.set(U64, ptrSlot, 0);
            c.data[thread] = null;
        } else {
            Vec v = allocVec(Style.COUNTER, c.elem(), length, capacity);
            if (old != null) {
                MemorySegment.copy(mem, old.data, mem, v.data, (long) Math.min(old.len, length) * c.elem());
            }
            mem.set(U64, ptrSlot, pointer(v.data));
            c.data[thread] = v;
        }
        if (old != null) {
            freeVec(old);
        }
    }

    /** Allocates a zeroed vector with {@code len} elements and room for {@code capacity}. */
    private Vec allocVec(Style style, int elem, int len, int capacity) {
        long bytes = style.header + (long) Math.max(capacity, 1) * elem;
        long blockSize = (bytes + 63) & ~63L;
        long start = allocBlock(blockSize);
        mem.asSlice(start, blockSize).fill((byte) 0);
        Vec v = new Vec(style, elem, start + style.header, len, Math.max(capacity, len));
        if (style != Style.COUNTER) {
            mem.set(U64, v.data - 16, base + options.heapOffset()); // the heap pointer
        }
        writeVecHeader(v);
        return v;
    }

    private void writeVecHeader(Vec v) {
        long h = v.data - 8;
        mem.set(U32, h, v.len);
        mem.set(JAVA_BYTE, h + 4, v.style.hdrSize);
        mem.set(JAVA_BYTE, h + 5, v.style.alignByte);
        mem.set(JAVA_BYTE, h + 6, (byte) Math.min(v.capacity - v.len, 255));
        mem.set(JAVA_BYTE, h + 7, (byte) 0);
    }

    private void freeVec(Vec v) {
        long start = v.data - v.style.header;
        Long size = blocks.remove(start);
        if (size == null) {
            throw new IllegalStateException("double free of the block at offset " + start);
        }
        mem.asSlice(start, size).fill(POISON);
        long s = start;
        long n = size;
        Map.Entry<Long, Long> before = free.floorEntry(s);
        if (before != null && before.getKey() + before.getValue() == s) {
            s = before.getKey();
            n += before.getValue();
            free.remove(s);
        }
        Long after = free.get(s + n);
        if (after != null) {
            free.remove(s + n);
            n += after;
        }
        free.put(s, n);
    }

    /** First fit in the free list, else from the top; blocks are 64-byte aligned. */
    private long allocBlock(long size) {
        for (Map.Entry<Long, Long> f : free.entrySet()) {
            // Copy out before removing: TreeMap.remove may recycle the entry node for a neighbour.
            long start = f.getKey();
            long available = f.getValue();
            if (available >= size) {
                free.remove(start);
                if (available > size) {
                    free.put(start + size, available - size);
                }
                blocks.put(start, size);
                return start;
            }
        }
        if (top + size > options.size()) {
            throw new IllegalStateException("fake stats segment is full (" + options.size()
                    + " bytes): create it with a larger Options.size");
        }
        long start = top;
        top += size;
        blocks.put(start, size);
        return start;
    }

    private long pointer(long offset) {
        return base + offset;
    }

    private long entryOffset(int i) {
        return directory.data + (long) i * ENTRY_SIZE;
    }

    private int requireEntry(String name, int type) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no stats entry '" + name + "'");
        }
        int actual = mem.get(U32, entryOffset(i));
        if (actual != type) {
            throw new IllegalArgumentException("stats entry '" + name + "' has type " + actual + ", not " + type);
        }
        return i;
    }

    private Counter counter(String name) {
        checkOpen();
        Integer i = index.get(name);
        Counter c = i == null ? null : counters.get(i);
        if (c == null) {
            throw new IllegalArgumentException("no counter '" + name + "'");
        }
        return c;
    }

    private static void checkThread(Counter c, int thread) {
        if (thread < 0 || thread >= c.data.length) {
            throw new IllegalArgumentException("thread must be 0.." + (c.data.length - 1) + ", got " + thread);
        }
    }

    private static void checkLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("fake stats segment is closed");
        }
    }

    /** Whether the segment is still served and written (not {@link #close() closed} or {@link #truncate truncated}). */
    public synchronized boolean isOpen() {
        return !closed;
    }

    /**
     * A fault: cuts the memfd to {@code bytes} under every client's mapping, then closes this
     * segment (servers stopped, own mapping gone). A client that reads beyond the new end gets
     * SIGBUS, which the JVM turns into an {@link InternalError} of the reading thread.
     *
     * @throws IllegalArgumentException when {@code bytes} is negative or not smaller than the size
     * @throws IllegalStateException    when closed
     * @throws IOException              when {@code ftruncate} fails
     */
    public synchronized void truncate(long bytes) throws IOException {
        checkOpen();
        if (bytes < 0 || bytes >= options.size()) {
            throw new IllegalArgumentException("truncate to " + bytes + " bytes: must be 0.." + (options.size() - 1));
        }
        FakeNative.truncate(fd, bytes);
        close();
    }

    /** Stops the servers, unmaps and closes the memfd (clients keep their own mappings). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        servers.forEach(FakeStatsServer::close);
        arena.close();
        FakeNative.close(fd);
    }
}
