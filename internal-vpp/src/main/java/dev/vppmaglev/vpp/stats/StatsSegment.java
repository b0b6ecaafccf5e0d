package dev.vppmaglev.vpp.stats;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only view of VPP's stats segment (vpp-wire.md §4), mapped once and read in place.
 *
 * <h2>Getting it</h2>
 * {@link #open(Path)} connects to {@code stats.sock} ({@code AF_UNIX}, {@code SOCK_SEQPACKET}),
 * receives the segment's memfd with {@code SCM_RIGHTS}, sizes it with {@code lseek}, maps it
 * {@code PROT_READ}/{@code MAP_SHARED} (any size, also above 2 GiB) and closes the fd.
 * {@link #map(Path, StatsOptions)} maps a file instead (a saved image). {@link #close()} unmaps
 * deterministically; later calls fail with {@link StatsClosedException}. So do reads of a segment
 * whose file was truncated under the mapping (SIGBUS): see {@link #faulted()}.
 *
 * <h2>Layout</h2>
 * Header {@code vlib_stats_shared_header_t} (VPP {@code src/vlib/stats/shared.h}), version 2:
 * version @0, base @8, epoch @16, in_progress @24, directory_vector @32 (u64 each,
 * little-endian: VPP runs only on little-endian hosts). Pointers are VPP virtual addresses,
 * translated as {@code offset = pointer - base} and checked against the mapping before every
 * access. Vectors carry their u32 length 8 bytes before the data. The directory is a vector of
 * 144-byte {@code vlib_stats_entry_t}: type u32 @0, value/pointer u64 @8 (a symlink: target
 * index u32 @8, column u32 @12), NUL-terminated name @16 (128 bytes).
 *
 * <h2>Consistency</h2>
 * Every read follows VPP's optimistic protocol ({@code vlib_stats_segment_lock/unlock}): note the
 * epoch, wait while {@code in_progress} is set, read, then accept only if {@code in_progress} is
 * still clear and the epoch unchanged (checked in that order, after a load fence), otherwise
 * read again. A read that cannot complete within {@link StatsOptions#lockTimeout()} fails with
 * {@link StatsBusyException}. A malformed segment fails with {@link StatsFormatException} only
 * when it was malformed in a stable epoch (a torn read is retried, never reported). Counter
 * increments by VPP workers take no lock; each u64 is read atomically.
 *
 * <h2>Lookups</h2>
 * Names are resolved through a directory cache rebuilt when the epoch changes; a
 * {@link StatsEntry} from an older epoch is re-resolved by name on use. Counters are summed over
 * VPP's threads. An index beyond a vector's length (or a thread without a vector) reads as 0:
 * VPP grows counter vectors lazily, so a VIP created after the last growth has no slot yet.
 *
 * <p>Thread-safe: any number of threads may read concurrently; reads allocate nothing but their
 * result (the directory cache is rebuilt once per epoch).
 */
public final class StatsSegment implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsSegment.class);

    /** {@code STAT_SEGMENT_VERSION} this reader understands. */
    public static final int SUPPORTED_VERSION = 2;

    static final long HDR_VERSION = 0;
    static final long HDR_BASE = 8;
    static final long HDR_EPOCH = 16;
    static final long HDR_IN_PROGRESS = 24;
    static final long HDR_DIRECTORY = 32;
    static final long HDR_ERROR_VECTOR = 40;
    static final int HEADER_SIZE = 48;
    static final int ENTRY_SIZE = 144;
    static final int ENTRY_VALUE = 8;
    static final int ENTRY_NAME = 16;
    static final int NAME_SIZE = 128;
    static final int VEC_HEADER = 8;
    static final int SIMPLE_ELEM = 8;
    static final int COMBINED_ELEM = 16;

    private static final ValueLayout.OfLong U64 = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Aligned view for acquire loads of the header words (the mapping is page-aligned). */
    private static final VarHandle HEADER_WORD = JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final int SPINS_BEFORE_PARK = 64;
    private static final long PARK_NANOS = 10_000;

    private final String source;
    private final Arena arena;
    private final MemorySegment seg;
    private final long size;
    private final long base;
    private final boolean legacy;
    private final Duration lockTimeout;
    private final long lockTimeoutNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean faulted;
    private final AtomicLong retries = new AtomicLong();
    private volatile Directory directory;

    /** Name-to-entry map of one epoch. */
    private record Directory(long epoch, Map<String, StatsEntry> byName, List<StatsEntry> entries) {}

    private StatsSegment(String source, Arena arena, MemorySegment seg, StatsOptions options)
            throws StatsFormatException {
        this.source = source;
        this.arena = arena;
        this.seg = seg;
        this.size = seg.byteSize();
        this.lockTimeout = options.lockTimeout();
        this.lockTimeoutNanos = options.lockTimeout().toNanos();
        if (size < HEADER_SIZE) {
            throw format("is " + size + " bytes, smaller than the " + HEADER_SIZE + "-byte header");
        }
        long version = seg.get(U64, HDR_VERSION);
        if (version != SUPPORTED_VERSION) {
            throw format("has version " + version + ", this reader understands version " + SUPPORTED_VERSION
                    + " (VPP 20.09 and later)");
        }
        this.base = seg.get(U64, HDR_BASE);
        if (base == 0) {
            throw format("has base address 0 in its header");
        }
        long errorVector = seg.get(U64, HDR_ERROR_VECTOR) - base;
        this.legacy = errorVector > 0 && errorVector < size;
        log.atDebug().setMessage("vpp-stats-mapped")
                .addKeyValue("segment", source)
                .addKeyValue("size", size)
                .addKeyValue("base", "0x" + Long.toHexString(base))
                .addKeyValue("epoch", seg.get(U64, HDR_EPOCH))
                .addKeyValue("legacy", legacy)
                .log();
    }

    /** Connects to {@code stats.sock} with {@link StatsOptions#DEFAULT}; see {@link #open(Path, StatsOptions)}. */
    public static StatsSegment open(Path socket) throws StatsException {
        return open(socket, StatsOptions.DEFAULT);
    }

    /**
     * Connects to VPP's {@code stats.sock}, receives the segment's fd and maps it read-only.
     *
     * @param socket  path of the socket (VPP default {@code /run/vpp/stats.sock})
     * @param options timeouts
     * @return the mapped segment; close it to unmap
     * @throws StatsConnectException when socket/connect/recvmsg/lseek/mmap fail (message carries
     *                               the errno text) or no fd arrives within the connect timeout
     * @throws StatsFormatException  when the mapping is not a version-2 stats segment
     */
    public static StatsSegment open(Path socket, StatsOptions options) throws StatsException {
        Objects.requireNonNull(options, "options");
        int fd = StatsSocketClient.receiveSegmentFd(socket, options.connectTimeout());
        try {
            return mapFd(fd, socket.toString(), options);
        } finally {
            Posix.close(fd);
        }
    }

    /**
     * Maps a file holding a stats segment image (e.g. a copy of VPP's segment) read-only.
     *
     * @throws StatsConnectException when the file cannot be opened or mapped
     * @throws StatsFormatException  when it is not a version-2 stats segment
     */
    public static StatsSegment map(Path file, StatsOptions options) throws StatsException {
        Objects.requireNonNull(options, "options");
        Arena arena = Arena.ofShared();
        MemorySegment seg;
        long len;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            len = ch.size();
            seg = len < HEADER_SIZE ? null : ch.map(FileChannel.MapMode.READ_ONLY, 0, len, arena);
        } catch (IOException e) {
            arena.close();
            throw new StatsConnectException("open", "cannot map stats segment file " + file + ": " + e, e);
        }
        if (seg == null) {
            arena.close();
            throw new StatsFormatException(
                    "stats segment " + file + " is " + len + " bytes, smaller than the " + HEADER_SIZE + "-byte header");
        }
        return create(file.toString(), arena, seg, options);
    }

    @SuppressWarnings("restricted") // reinterpret: the address and size come from our own mmap
    private static StatsSegment mapFd(int fd, String source, StatsOptions options) throws StatsException {
        long size;
        long address;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment st = Posix.newState(tmp);
            size = Posix.lseek(st, fd, 0, Posix.SEEK_END);
            if (size < 0) {
                int errno = Posix.errno(st);
                throw new StatsConnectException("lseek", "lseek(segment fd from " + source + "): " + Posix.describe(errno), errno);
            }
            if (size < HEADER_SIZE) {
                throw new StatsFormatException("stats segment from " + source + " is " + size
                        + " bytes, smaller than the " + HEADER_SIZE + "-byte header");
            }
            address = Posix.mmap(st, size, Posix.PROT_READ, Posix.MAP_SHARED, fd);
            if (address == -1L) {
                int errno = Posix.errno(st);
                throw new StatsConnectException("mmap", "mmap(" + size + " bytes of the segment from " + source + "): "
                        + Posix.describe(errno), errno);
            }
        }
        Arena arena = Arena.ofShared();
        long mappedSize = size;
        MemorySegment seg = MemorySegment.ofAddress(address).reinterpret(size, arena, s -> Posix.munmap(address, mappedSize));
        return create(source, arena, seg, options);
    }

    private static StatsSegment create(String source, Arena arena, MemorySegment seg, StatsOptions options)
            throws StatsFormatException {
        try {
            return new StatsSegment(source, arena, seg, options);
        } catch (StatsFormatException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------- header

    /** Size of the mapping in bytes. */
    public long size() {
        return size;
    }

    /** VPP's virtual address of the segment ({@code base}, header offset 8). */
    public long baseAddress() {
        return base;
    }

    /** True for a VPP 20.09–22.02 segment (legacy type numbering, error vector in the header). */
    public boolean legacyTypes() {
        return legacy;
    }

    /**
     * The current epoch (header offset 16): VPP increments it on every unlock of the segment, i.e.
     * whenever entries are created or removed or a vector is reallocated.
     *
     * @throws StatsClosedException after {@link #close()}
     */
    public long epoch() throws StatsClosedException {
        try {
            return (long) HEADER_WORD.getAcquire(seg, HDR_EPOCH);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw memoryFault(e);
        }
    }

    /** How often a read was retried because VPP changed the segment under it (for metrics and tests). */
    public long retries() {
        return retries.get();
    }

    // --------------------------------------------------------------------------------- lookups

    /**
     * Every live entry (not {@link EntryType#EMPTY}), in directory order, for the current epoch.
     *
     * @throws StatsBusyException   when no consistent read was possible in time
     * @throws StatsFormatException when the directory is malformed
     * @throws StatsClosedException after {@link #close()}
     */
    public List<StatsEntry> entries() throws StatsException {
        try {
            return directory(System.nanoTime()).entries();
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw memoryFault(e);
        }
    }

    /**
     * The entry named {@code name} in the current epoch, if any. Names are exact: the lb plugin's
     * counters have no leading slash (see {@link StatsNames}).
     */
    public Optional<StatsEntry> find(String name) throws StatsException {
        Objects.requireNonNull(name, "name");
        try {
            return Optional.ofNullable(directory(System.nanoTime()).byName().get(name));
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw memoryFault(e);
        }
    }

    /**
     * The entry named {@code name} in the current epoch.
     *
     * @throws StatsNoSuchEntryException when there is none
     */
    public StatsEntry lookup(String name) throws StatsException {
        return find(name).orElseThrow(() -> new StatsNoSuchEntryException(name));
    }

    // ----------------------------------------------------------------------------------- reads

    /** The value of the scalar or gauge entry {@code name}; see {@link #scalar(StatsEntry)}. */
    public long scalar(String name) throws StatsException {
        return scalar(lookup(name));
    }

    /**
     * The value of a {@link EntryType#SCALAR_INDEX} or {@link EntryType#GAUGE} entry (u64; VPP
     * stores f64 values such as {@code /sys/boottime} truncated to integers).
     *
     * @throws StatsEntryTypeException when the entry is of another type
     */
    public long scalar(StatsEntry entry) throws StatsException {
        Objects.requireNonNull(entry, "entry");
        return consistently(entry.name(), dir -> {
            long entryOff = entryOffset(dir, entry);
            EntryType type = typeAt(entryOff);
            if (!type.isScalar()) {
                throw new StatsEntryTypeException(entry.name(), type, "a scalar or gauge");
            }
            return seg.get(U64, entryOff + ENTRY_VALUE);
        });
    }

    /**
     * Unix time at which VPP's stats collector started ({@code /sys/boottime}, whole seconds). A
     * different value after a reconnect means VPP restarted.
     */
    public Instant bootTime() throws StatsException {
        return Instant.ofEpochSecond(scalar(StatsNames.BOOTTIME));
    }

    /** {@code /sys/heartbeat}: bumped by VPP every stats update interval (10 s by default). */
    public long heartbeat() throws StatsException {
        return scalar(StatsNames.HEARTBEAT);
    }

    /**
     * Packets (or whatever the counter counts) at {@code index} of a simple counter, summed over
     * threads; 0 when {@code index} is beyond the vector.
     *
     * @param entry a {@link EntryType#COUNTER_VECTOR_SIMPLE} entry
     * @param index the counter's index (e.g. the VIP's lb pool index), >= 0
     * @throws StatsEntryTypeException when the entry is not a simple counter
     */
    public long simpleCounter(StatsEntry entry, int index) throws StatsException {
        checkIndex(index);
        return readCounter(entry, index);
    }

    /**
     * The value a simple-counter symlink stands for (its target's column, summed over threads),
     * e.g. {@code /err/<node>/<counter>}.
     *
     * @throws IllegalArgumentException when {@code entry} is not a symlink
     * @throws StatsEntryTypeException  when the target is not a simple counter
     */
    public long simpleCounter(StatsEntry entry) throws StatsException {
        requireSymlink(entry);
        return readCounter(entry, -1);
    }

    /**
     * Packets and bytes at {@code index} of a combined counter, summed over threads; zeros when
     * {@code index} is beyond the vector.
     *
     * @param entry a {@link EntryType#COUNTER_VECTOR_COMBINED} entry (e.g. {@code /net/route/to})
     * @param index the counter's index (e.g. a FIB stats index), >= 0
     * @throws StatsEntryTypeException when the entry is not a combined counter
     */
    public PacketsBytes combinedCounter(StatsEntry entry, int index) throws StatsException {
        checkIndex(index);
        return readCombined(entry, index);
    }

    /**
     * The packets and bytes a combined-counter symlink stands for, e.g.
     * {@code /interfaces/<ifname>/rx} (column sw_if_index of {@code /if/rx}).
     *
     * @throws IllegalArgumentException when {@code entry} is not a symlink
     */
    public PacketsBytes combinedCounter(StatsEntry entry) throws StatsException {
        requireSymlink(entry);
        return readCombined(entry, -1);
    }

    private PacketsBytes readCombined(StatsEntry entry, int index) throws StatsException {
        Objects.requireNonNull(entry, "entry");
        return consistently(entry.name(), dir -> {
            // packets and bytes come from one attempt, so from one consistent state
            long packets = readSum(dir, entry, index, true, 0);
            long bytes = readSum(dir, entry, index, true, 8);
            return packets == 0 && bytes == 0 ? PacketsBytes.ZERO : new PacketsBytes(packets, bytes);
        });
    }

    private long readCounter(StatsEntry entry, int index) throws StatsException {
        Objects.requireNonNull(entry, "entry");
        return consistently(entry.name(), dir -> readSum(dir, entry, index, false, 0));
    }

    /**
     * Σ over threads of column {@code index} of {@code entry} (for a symlink: of its target, at
     * the symlink's column; {@code index} is then ignored). VPP's symlinks point at counters,
     * never at other symlinks: a symlink to a symlink (or to itself) is a format error.
     */
    private long readSum(Directory dir, StatsEntry entry, int index, boolean combined, int field)
            throws StatsFormatException, StatsEntryTypeException, StatsNoSuchEntryException {
        long entryOff = entryOffset(dir, entry);
        EntryType type = typeAt(entryOff);
        long column = index;
        if (type == EntryType.SYMLINK) {
            long dirOff = directoryOffset();
            long dirLen = vecLen(dirOff, ENTRY_SIZE, "directory vector");
            long targetIndex = seg.get(U32, entryOff + ENTRY_VALUE) & 0xffffffffL;
            column = seg.get(U32, entryOff + ENTRY_VALUE + 4) & 0xffffffffL;
            if (targetIndex >= dirLen) {
                throw format("symlink '" + entry.name() + "' points at directory index " + targetIndex
                        + ", beyond the directory (" + dirLen + " entries)");
            }
            entryOff = dirOff + targetIndex * ENTRY_SIZE;
            type = typeAt(entryOff);
            if (type == EntryType.SYMLINK) {
                throw format("symlink '" + entry.name() + "' points at another symlink (directory index "
                        + targetIndex + ")");
            }
        } else if (index < 0) {
            throw new IllegalArgumentException("entry '" + entry.name() + "' is " + type + ", not a symlink: pass an index");
        }
        EntryType want = combined ? EntryType.COUNTER_VECTOR_COMBINED : EntryType.COUNTER_VECTOR_SIMPLE;
        if (type != want) {
            throw new StatsEntryTypeException(entry.name(), type, want.toString());
        }
        long threadsOff = dataOffset(seg.get(U64, entryOff + ENTRY_VALUE), entry.name());
        return sumAt(threadsOff, threadCount(threadsOff, entry.name()), column, combined, field, entry.name());
    }

    /**
     * Totals of every index of a simple counter, summed over threads; the length is the longest
     * thread vector.
     *
     * @throws StatsEntryTypeException when the entry is not a simple counter
     */
    public long[] simpleCounters(StatsEntry entry) throws StatsException {
        long[][] v = readVector(entry, false);
        return v[0];
    }

    /**
     * Totals of every index of a combined counter, summed over threads; the length is the
     * longest thread vector.
     *
     * @throws StatsEntryTypeException when the entry is not a combined counter
     */
    public PacketsBytes[] combinedCounters(StatsEntry entry) throws StatsException {
        long[][] v = readVector(entry, true);
        PacketsBytes[] out = new PacketsBytes[v[0].length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new PacketsBytes(v[0][i], v[1][i]);
        }
        return out;
    }

    private long[][] readVector(StatsEntry entry, boolean combined) throws StatsException {
        Objects.requireNonNull(entry, "entry");
        return consistently(entry.name(), dir -> copyVector(dir, entry, combined));
    }

    private long[][] copyVector(Directory dir, StatsEntry entry, boolean combined)
            throws StatsFormatException, StatsEntryTypeException, StatsNoSuchEntryException {
        long entryOff = entryOffset(dir, entry);
        EntryType type = typeAt(entryOff);
        EntryType want = combined ? EntryType.COUNTER_VECTOR_COMBINED : EntryType.COUNTER_VECTOR_SIMPLE;
        if (type != want) {
            throw new StatsEntryTypeException(entry.name(), type, want.toString());
        }
        int elem = combined ? COMBINED_ELEM : SIMPLE_ELEM;
        long threadsOff = dataOffset(seg.get(U64, entryOff + ENTRY_VALUE), entry.name());
        long threads = threadsOff < 0 ? 0 : vecLen(threadsOff, 8, entry.name());
        long longest = 0;
        for (long t = 0; t < threads; t++) {
            long off = dataOffset(seg.get(U64, threadsOff + 8 * t), entry.name());
            if (off >= 0) {
                longest = Math.max(longest, vecLen(off, elem, entry.name()));
            }
        }
        if (longest > Integer.MAX_VALUE - 8) {
            throw format("entry '" + entry.name() + "' has a vector of " + longest + " elements");
        }
        long[] first = new long[(int) longest];
        long[] second = new long[combined ? (int) longest : 0];
        for (long t = 0; t < threads; t++) {
            long off = dataOffset(seg.get(U64, threadsOff + 8 * t), entry.name());
            if (off < 0) {
                continue;
            }
            long len = vecLen(off, elem, entry.name());
            for (int i = 0; i < len; i++) {
                first[i] += seg.get(U64, off + (long) i * elem);
                if (combined) {
                    second[i] += seg.get(U64, off + (long) i * elem + 8);
                }
            }
        }
        return new long[][] {first, second};
    }

    /**
     * The strings of a {@link EntryType#NAME_VECTOR} entry (e.g. {@code /if/names} by
     * sw_if_index); an absent string (a deleted interface) is {@code ""}.
     *
     * @throws StatsEntryTypeException when the entry is not a name vector
     */
    public List<String> nameVector(StatsEntry entry) throws StatsException {
        Objects.requireNonNull(entry, "entry");
        return consistently(entry.name(), dir -> copyNames(dir, entry));
    }

    private List<String> copyNames(Directory dir, StatsEntry entry)
            throws StatsFormatException, StatsEntryTypeException, StatsNoSuchEntryException {
        long entryOff = entryOffset(dir, entry);
        EntryType type = typeAt(entryOff);
        if (type != EntryType.NAME_VECTOR) {
            throw new StatsEntryTypeException(entry.name(), type, EntryType.NAME_VECTOR.toString());
        }
        long vecOff = dataOffset(seg.get(U64, entryOff + ENTRY_VALUE), entry.name());
        if (vecOff < 0) {
            return List.of();
        }
        long n = vecLen(vecOff, 8, entry.name());
        List<String> names = new ArrayList<>((int) Math.min(n, 1 << 16));
        for (long i = 0; i < n; i++) {
            long strOff = dataOffset(seg.get(U64, vecOff + 8 * i), entry.name());
            if (strOff < 0) {
                names.add("");
                continue;
            }
            long len = vecLen(strOff, 1, entry.name());
            if (len > 1 << 20) {
                throw format("entry '" + entry.name() + "' string " + i + " is " + len + " bytes long");
            }
            byte[] bytes = new byte[(int) len];
            MemorySegment.copy(seg, JAVA_BYTE, strOff, bytes, 0, bytes.length);
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            names.add(new String(bytes, 0, end, StandardCharsets.UTF_8));
        }
        return Collections.unmodifiableList(names);
    }

    // ------------------------------------------------------------------------------ lb batch

    /**
     * One consistent read of every VIP's counters: the four lb plugin counters
     * ({@link StatsNames#LB_COUNTERS}) at {@code lbIndexes[i]} and {@code /net/route/to} at
     * {@code fibStatsIndexes[i]}, all under one epoch check and summed over threads. Names are
     * resolved once per epoch; only the requested indexes are read.
     *
     * <p>Zeros, not errors, for: an index beyond a vector's length (a VIP created after VPP last
     * grew the vector), a negative index (VIP index or FIB stats index not known), and counters
     * that do not exist yet (VPP creates the lb counters when the first VIP is added).
     *
     * <p>This convenience allocates a 48-byte-per-VIP scratch on every call; a loop that reads
     * the same VIPs every few seconds should keep an {@link LbCounterBatch} ({@link #lbCounterBatch}),
     * which allocates only its result.
     *
     * @param lbIndexes       each VIP's lb pool index ({@code [N]} of {@code show lb vips verbose})
     * @param fibStatsIndexes each VIP prefix's FIB stats index
     *                        ({@code ip_route_lookup_reply.route.stats_index}), same length
     * @return one value per VIP, in argument order
     * @throws IllegalArgumentException when the arrays differ in length
     * @throws StatsEntryTypeException  when one of the five names exists with another type
     * @throws StatsBusyException       when no consistent read was possible in time
     * @throws StatsFormatException     when the segment is malformed
     */
    public LbCounterValues[] readLbCounters(int[] lbIndexes, int[] fibStatsIndexes) throws StatsException {
        return new LbCounterBatch(this, lbIndexes, fibStatsIndexes, false).read();
    }

    /**
     * A reusable batch for {@link #readLbCounters}: the arrays are copied, the scratch kept.
     *
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public LbCounterBatch lbCounterBatch(int[] lbIndexes, int[] fibStatsIndexes) {
        return new LbCounterBatch(this, lbIndexes, fibStatsIndexes, true);
    }

    /**
     * The batch read behind {@link LbCounterBatch}: one consistent read into {@code acc}, six
     * longs per VIP in the field order of {@link LbCounterValues}. Per counter and per thread,
     * the thread's vector is located and bounds-checked once, then every requested index is
     * added. Allocates nothing: this is the 5 s counters loop's read, so it spells out the loop
     * of {@link #consistently} rather than pass it a capturing lambda every cycle.
     */
    void readLbCounters(int[] lbIndexes, int[] fibStatsIndexes, long[] acc) throws StatsException {
        long start = System.nanoTime();
        try {
            for (;;) {
                Directory dir = directory(start);
                long epoch = beginRead(start, "lb counters");
                if (epoch == dir.epoch()) {
                    try {
                        Arrays.fill(acc, 0, 6 * lbIndexes.length, 0L);
                        long dirOff = directoryOffset();
                        long dirLen = vecLen(dirOff, ENTRY_SIZE, "directory vector");
                        accumulate(dir, dirOff, dirLen, StatsNames.LB_FIRST_PACKET, false, lbIndexes, acc, 0);
                        accumulate(dir, dirOff, dirLen, StatsNames.LB_NEXT_PACKET, false, lbIndexes, acc, 1);
                        accumulate(dir, dirOff, dirLen, StatsNames.LB_UNTRACKED_PACKET, false, lbIndexes, acc, 2);
                        accumulate(dir, dirOff, dirLen, StatsNames.LB_NO_SERVER, false, lbIndexes, acc, 3);
                        accumulate(dir, dirOff, dirLen, StatsNames.ROUTE_TO, true, fibStatsIndexes, acc, 4);
                        if (endRead(epoch)) {
                            return;
                        }
                    } catch (StatsFormatException | StatsEntryTypeException e) {
                        if (endRead(epoch)) {
                            throw e;
                        }
                    }
                }
                retried(start, "lb counters");
            }
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw memoryFault(e);
        }
    }

    /**
     * Adds counter {@code name} at {@code indexes[i]} into {@code acc[6 i + field]} (and, for a
     * combined counter, bytes into {@code acc[6 i + field + 1]}) for every thread. A missing
     * counter, a null thread vector, a negative index or one beyond a thread's vector adds 0.
     */
    private void accumulate(Directory dir, long dirOff, long dirLen, String name, boolean combined, int[] indexes,
            long[] acc, int field) throws StatsFormatException, StatsEntryTypeException {
        long threadsOff = threadVector(dir, dirOff, dirLen, name, combined);
        long threads = threadCount(threadsOff, name);
        int elem = combined ? COMBINED_ELEM : SIMPLE_ELEM;
        for (long t = 0; t < threads; t++) {
            long ptr = seg.get(U64, threadsOff + 8 * t);
            if (ptr == 0) {
                continue;
            }
            long off = dataOffset(ptr, name);
            long len = vecLen(off, elem, name);
            for (int i = 0, a = field; i < indexes.length; i++, a += 6) {
                long index = indexes[i];
                if (Long.compareUnsigned(index, len) < 0) { // also false for a negative index
                    long at = off + index * elem;
                    acc[a] += seg.get(U64, at);
                    if (combined) {
                        acc[a + 1] += seg.get(U64, at + 8);
                    }
                }
            }
        }
    }

    /** Offset of the per-thread pointer vector of the counter {@code name}; -1 when absent. */
    private long threadVector(Directory dir, long dirOff, long dirLen, String name, boolean combined)
            throws StatsFormatException, StatsEntryTypeException {
        StatsEntry e = dir.byName().get(name);
        if (e == null) {
            return -1;
        }
        if (e.directoryIndex() >= dirLen) {
            throw format("directory index " + e.directoryIndex() + " of '" + name + "' is beyond the directory ("
                    + dirLen + " entries)");
        }
        long entryOff = dirOff + (long) e.directoryIndex() * ENTRY_SIZE;
        EntryType type = typeAt(entryOff);
        EntryType want = combined ? EntryType.COUNTER_VECTOR_COMBINED : EntryType.COUNTER_VECTOR_SIMPLE;
        if (type != want) {
            throw new StatsEntryTypeException(name, type, want.toString());
        }
        return dataOffset(seg.get(U64, entryOff + ENTRY_VALUE), name);
    }

    private long threadCount(long threadsOff, String name) throws StatsFormatException {
        return threadsOff < 0 ? 0 : vecLen(threadsOff, 8, name);
    }

    // ------------------------------------------------------------------------- read machinery

    /**
     * Σ over threads of element {@code index} (field at {@code field} bytes) of each thread's
     * vector; a null thread pointer or an index beyond a thread's vector contributes 0.
     */
    private long sumAt(long threadsOff, long threads, long index, boolean combined, int field, String name)
            throws StatsFormatException {
        if (threadsOff < 0 || index < 0) {
            return 0;
        }
        int elem = combined ? COMBINED_ELEM : SIMPLE_ELEM;
        long sum = 0;
        for (long t = 0; t < threads; t++) {
            long ptr = seg.get(U64, threadsOff + 8 * t);
            if (ptr == 0) {
                continue;
            }
            long off = dataOffset(ptr, name);
            if (index < vecLen(off, elem, name)) {
                sum += seg.get(U64, off + index * elem + field);
            }
        }
        return sum;
    }

    /** Offset of {@code entry}'s directory slot in the current epoch (re-resolved by name if stale). */
    private long entryOffset(Directory dir, StatsEntry entry) throws StatsFormatException, StatsNoSuchEntryException {
        int index = entry.directoryIndex();
        if (entry.epoch() != dir.epoch()) {
            StatsEntry now = dir.byName().get(entry.name());
            if (now == null) {
                throw new StatsNoSuchEntryException(entry.name());
            }
            index = now.directoryIndex();
        }
        long dirOff = directoryOffset();
        long dirLen = vecLen(dirOff, ENTRY_SIZE, "directory vector");
        if (index < 0 || index >= dirLen) {
            throw format("directory index " + index + " of '" + entry.name() + "' is beyond the directory (" + dirLen
                    + " entries)");
        }
        return dirOff + (long) index * ENTRY_SIZE;
    }

    private EntryType typeAt(long entryOff) {
        return EntryType.fromCode(seg.get(U32, entryOff), legacy);
    }

    private long directoryOffset() throws StatsFormatException {
        long off = dataOffset(seg.get(U64, HDR_DIRECTORY), "directory vector");
        if (off < 0) {
            throw format("has no directory vector (null pointer)");
        }
        return off;
    }

    /**
     * Translates a pointer to a vector's data: -1 for a null pointer; else an offset with room
     * for the 8-byte vector header before it.
     */
    private long dataOffset(long ptr, String what) throws StatsFormatException {
        if (ptr == 0) {
            return -1;
        }
        long off = ptr - base;
        if (off < VEC_HEADER || off > size) {
            throw format("pointer 0x" + Long.toHexString(ptr) + " of '" + what + "' is outside the mapping (base 0x"
                    + Long.toHexString(base) + ", " + size + " bytes)");
        }
        return off;
    }

    /** The vector length at {@code off - 8}, checked to fit the mapping with {@code elem}-byte elements. */
    private long vecLen(long off, int elem, String what) throws StatsFormatException {
        long len = seg.get(U32, off - VEC_HEADER) & 0xffffffffL;
        if (len * elem > size - off) {
            throw format("vector of '" + what + "' at offset " + off + " claims " + len + " elements of " + elem
                    + " bytes, past the end of the mapping (" + size + " bytes)");
        }
        return len;
    }

    /** One attempt at a read against {@code dir}, inside {@link #consistently}. */
    @FunctionalInterface
    private interface Attempt<T> {
        T read(Directory dir) throws StatsFormatException, StatsEntryTypeException, StatsNoSuchEntryException;
    }

    /**
     * The epoch protocol around {@code attempt} (vpp-wire.md, stats segment): wait until VPP is
     * not writing, read, and keep the result only if the epoch did not move meanwhile; else try
     * again until the lock timeout. An error the attempt throws counts only when the read was
     * consistent (else it saw a half-written segment, and is retried).
     *
     * @param what names the read in a {@link StatsBusyException}
     * @throws StatsBusyException when VPP kept the segment locked or changing past the lock timeout
     */
    private <T> T consistently(String what, Attempt<T> attempt) throws StatsException {
        long start = System.nanoTime();
        try {
            for (;;) {
                Directory dir = directory(start);
                long epoch = beginRead(start, what);
                if (epoch == dir.epoch()) {
                    try {
                        T value = attempt.read(dir);
                        if (endRead(epoch)) {
                            return value;
                        }
                    } catch (StatsFormatException | StatsEntryTypeException | StatsNoSuchEntryException e) {
                        if (endRead(epoch)) {
                            throw e;
                        }
                    }
                }
                retried(start, what);
            }
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw memoryFault(e);
        }
    }

    /** Waits until VPP is not writing, returns the epoch to validate the read against. */
    private long beginRead(long start, String what) throws StatsBusyException {
        for (int spins = 0; ; spins++) {
            long epoch = (long) HEADER_WORD.getAcquire(seg, HDR_EPOCH);
            long inProgress = (long) HEADER_WORD.getAcquire(seg, HDR_IN_PROGRESS);
            if (inProgress == 0) {
                return epoch;
            }
            if (spins < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                long waited = System.nanoTime() - start;
                if (waited > lockTimeoutNanos) {
                    throw new StatsBusyException("stats segment " + source + ": VPP kept the segment locked (in_progress) for more than "
                            + lockTimeout.toMillis() + " ms while reading '" + what + "'", Duration.ofNanos(waited));
                }
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
    }

    /**
     * True when the data read since {@link #beginRead} is consistent. Order matters: the fence
     * keeps the data loads before these two; {@code in_progress} is read before the epoch, so a
     * write that finishes between the two loads is still seen (VPP bumps the epoch before it
     * clears {@code in_progress}).
     */
    private boolean endRead(long epoch) {
        VarHandle.acquireFence();
        long inProgress = (long) HEADER_WORD.getAcquire(seg, HDR_IN_PROGRESS);
        return inProgress == 0 && (long) HEADER_WORD.getAcquire(seg, HDR_EPOCH) == epoch;
    }

    private void retried(long start, String what) throws StatsBusyException {
        retries.incrementAndGet();
        long waited = System.nanoTime() - start;
        if (waited > lockTimeoutNanos) {
            throw new StatsBusyException("stats segment " + source + ": the epoch kept changing for more than "
                    + lockTimeout.toMillis() + " ms while reading '" + what + "'", Duration.ofNanos(waited));
        }
        Thread.onSpinWait();
    }

    /** The directory cache for the current epoch, rebuilt (under the protocol) when stale. */
    private Directory directory(long start) throws StatsBusyException, StatsFormatException {
        Directory cached = directory;
        if (cached != null && cached.epoch() == (long) HEADER_WORD.getAcquire(seg, HDR_EPOCH)) {
            return cached;
        }
        for (;;) {
            long epoch = beginRead(start, "directory");
            try {
                Directory built = scanDirectory(epoch);
                if (endRead(epoch)) {
                    directory = built;
                    log.atDebug().setMessage("vpp-stats-directory")
                            .addKeyValue("segment", source)
                            .addKeyValue("epoch", epoch)
                            .addKeyValue("entries", built.entries().size())
                            .log();
                    return built;
                }
            } catch (StatsFormatException e) {
                if (endRead(epoch)) {
                    throw e;
                }
            }
            retried(start, "directory");
        }
    }

    private Directory scanDirectory(long epoch) throws StatsFormatException {
        long dirOff = directoryOffset();
        long n = vecLen(dirOff, ENTRY_SIZE, "directory vector");
        // A real VPP has a few thousand entries; don't let a garbage length size the tables.
        Map<String, StatsEntry> byName = HashMap.newHashMap((int) Math.min(n, 1 << 16));
        List<StatsEntry> entries = new ArrayList<>((int) Math.min(n, 1 << 16));
        byte[] name = new byte[NAME_SIZE];
        for (int i = 0; i < n; i++) {
            long off = dirOff + (long) i * ENTRY_SIZE;
            EntryType type = typeAt(off);
            if (type == EntryType.EMPTY || type == EntryType.ILLEGAL) {
                continue;
            }
            MemorySegment.copy(seg, JAVA_BYTE, off + ENTRY_NAME, name, 0, NAME_SIZE);
            int len = 0;
            while (len < NAME_SIZE && name[len] != 0) {
                len++;
            }
            String text = new String(name, 0, len, StandardCharsets.UTF_8);
            int target = -1;
            int column = -1;
            if (type == EntryType.SYMLINK) {
                target = seg.get(U32, off + ENTRY_VALUE);
                column = seg.get(U32, off + ENTRY_VALUE + 4);
            }
            StatsEntry entry = new StatsEntry(text, i, type, target, column, epoch);
            entries.add(entry);
            byName.putIfAbsent(text, entry);
        }
        return new Directory(epoch, Collections.unmodifiableMap(byName), Collections.unmodifiableList(entries));
    }

    private static void checkIndex(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("counter index must be >= 0, got " + index);
        }
    }

    private static void requireSymlink(StatsEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (!entry.isSymlink()) {
            throw new IllegalArgumentException("entry '" + entry.name() + "' is " + entry.type()
                    + ", not a symlink: pass an index");
        }
    }

    private StatsFormatException format(String what) {
        return new StatsFormatException("stats segment " + source + " " + what);
    }

    private StatsClosedException closedError(IllegalStateException e) {
        if (arena.scope().isAlive()) {
            throw e; // not ours: a real bug, keep its stack trace
        }
        return new StatsClosedException(source);
    }

    /**
     * A read touched a page that no longer exists: the file under the mapping was truncated
     * (SIGBUS, which HotSpot raises in the reading thread as an {@link InternalError}). The
     * segment is gone for good: marked {@link #faulted()}, and the read fails with
     * {@link StatsClosedException}.
     */
    private StatsClosedException memoryFault(InternalError e) {
        if (!faulted) {
            faulted = true;
            log.atWarn().setMessage("vpp-stats-memory-fault").addKeyValue("segment", source)
                    .addKeyValue("size", size).addKeyValue("error", String.valueOf(e.getMessage())).log();
        }
        return new StatsClosedException(source, "lost its memory (the file under the mapping was truncated: "
                + e.getMessage() + ")", e);
    }

    /**
     * Whether a read found the segment's memory gone (its file truncated under the mapping): the
     * segment must be mapped anew (VPP restarted or broke). Every read that reaches the lost
     * memory fails with {@link StatsClosedException}; lookups answered from the cached directory
     * of the current epoch may still succeed.
     */
    public boolean faulted() {
        return faulted;
    }

    /** Unmaps the segment. Idempotent; reads afterwards fail with {@link StatsClosedException}. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            directory = null;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "StatsSegment[" + source + ", " + size + " bytes, base 0x" + Long.toHexString(base) + "]";
    }

}
