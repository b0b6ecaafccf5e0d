package dev.vppmaglev.vpp.stats;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncated, patched and garbage segments give typed errors ({@link StatsFormatException},
 * {@link StatsBusyException}), never an IndexOutOfBounds, a crash or an endless loop. Each test
 * patches a private copy of the golden image through a second, writable mapping of the same
 * file; the reader's read-only mapping sees the patches.
 */
class MalformedSegmentTest {
    private static final ValueLayout.OfLong U64 = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final StatsOptions FAST = StatsOptions.DEFAULT.withLockTimeout(Duration.ofMillis(100));

    @TempDir
    static Path shared;

    static Path golden;

    @TempDir
    Path tmp;

    Path file;
    Arena arena;
    MemorySegment image;

    @BeforeAll
    static void gunzip() throws IOException {
        golden = GoldenImage.gunzip(shared);
    }

    @BeforeEach
    void copy() throws IOException {
        file = tmp.resolve("segment.bin");
        Files.copy(golden, file);
        arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            image = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size(), arena);
        }
    }

    @AfterEach
    void unmap() {
        arena.close();
    }

    private static long entry(int index) {
        return GoldenImage.DIRECTORY_OFFSET + 144L * index;
    }

    private void bumpEpoch() {
        image.set(U64, 16, image.get(U64, 16) + 1);
    }

    @Test
    void tooSmallForAHeader() throws IOException {
        Path tiny = tmp.resolve("tiny.bin");
        Files.write(tiny, new byte[10]);
        assertThatThrownBy(() -> StatsSegment.map(tiny, FAST))
                .isInstanceOf(StatsFormatException.class)
                .hasMessageContaining("is 10 bytes, smaller than the 48-byte header");
    }

    @Test
    void missingFileIsAConnectError() {
        assertThatThrownBy(() -> StatsSegment.map(tmp.resolve("nope.bin"), FAST))
                .isInstanceOf(StatsConnectException.class)
                .hasMessageContaining("nope.bin");
    }

    @Test
    void wrongVersionOrBaseIsRefusedAtOpen() {
        image.set(U64, 0, 1);
        assertThatThrownBy(() -> StatsSegment.map(file, FAST))
                .isInstanceOf(StatsFormatException.class)
                .hasMessageContaining("has version 1, this reader understands version 2");
        image.set(U64, 0, 2);
        image.set(U64, 8, 0);
        assertThatThrownBy(() -> StatsSegment.map(file, FAST))
                .isInstanceOf(StatsFormatException.class)
                .hasMessageContaining("base address 0");
    }

    @Test
    void truncatedImagesAreFormatErrors() throws Exception {
        // Cut inside the directory (it spans offsets 123,232 .. 573,088).
        Path cut = truncatedCopy(200_000);
        try (StatsSegment s = StatsSegment.map(cut, FAST)) {
            assertThatThrownBy(s::entries)
                    .isInstanceOf(StatsFormatException.class)
                    .hasMessageContaining("directory vector")
                    .hasMessageContaining("past the end of the mapping");
        }
        // Cut before the directory: its pointer leads outside the mapping.
        Path shorter = truncatedCopy(100_000);
        try (StatsSegment s = StatsSegment.map(shorter, FAST)) {
            assertThatThrownBy(() -> s.lookup(StatsNames.ROUTE_TO))
                    .isInstanceOf(StatsFormatException.class)
                    .hasMessageContaining("outside the mapping");
        }
        // Cut right after the directory (everything VPP wrote lies below offset 573,088): still
        // a complete segment, so reads succeed and the mapping is simply smaller.
        Path whole = truncatedCopy(573_088);
        try (StatsSegment s = StatsSegment.map(whole, FAST)) {
            assertThat(s.entries()).hasSize(GoldenImage.DIRECTORY_ENTRIES);
            assertThat(s.readLbCounters(new int[] {1}, new int[] {8}))
                    .containsExactly(new LbCounterValues(8, 8, 0, 0, 18, 1152));
        }
        // One byte less and the last directory entry runs past the end.
        Path oneShort = truncatedCopy(573_087);
        try (StatsSegment s = StatsSegment.map(oneShort, FAST)) {
            assertThatThrownBy(s::entries).isInstanceOf(StatsFormatException.class);
        }
    }

    private Path truncatedCopy(int bytes) throws IOException {
        Path out = tmp.resolve("cut-" + bytes + ".bin");
        try (InputStream in = Files.newInputStream(golden); OutputStream os = Files.newOutputStream(out)) {
            os.write(in.readNBytes(bytes));
        }
        return out;
    }

    @Test
    void counterPointerOutsideTheMapping() throws Exception {
        try (StatsSegment s = StatsSegment.map(file, FAST)) {
            StatsEntry first = s.lookup(StatsNames.LB_FIRST_PACKET);
            image.set(U64, entry(first.directoryIndex()) + 8, GoldenImage.BASE + GoldenImage.SIZE + 4096);
            assertThatThrownBy(() -> s.readLbCounters(new int[] {1}, new int[] {8}))
                    .isInstanceOf(StatsFormatException.class)
                    .hasMessageContaining("'first session packet' is outside the mapping");
            assertThatThrownBy(() -> s.simpleCounter(first, 1)).isInstanceOf(StatsFormatException.class);
            image.set(U64, entry(first.directoryIndex()) + 8, GoldenImage.BASE - 64);
            assertThatThrownBy(() -> s.simpleCounter(first, 1)).isInstanceOf(StatsFormatException.class);
        }
    }

    @Test
    void vectorLengthPastTheEnd() throws Exception {
        try (StatsSegment s = StatsSegment.map(file, FAST)) {
            StatsEntry route = s.lookup(StatsNames.ROUTE_TO);
            long threads = image.get(U64, entry(route.directoryIndex()) + 8) - GoldenImage.BASE;
            long thread0 = image.get(U64, threads) - GoldenImage.BASE;
            image.set(U32, thread0 - 8, 0xffff_fff0);
            assertThatThrownBy(() -> s.combinedCounter(route, 8))
                    .isInstanceOf(StatsFormatException.class)
                    .hasMessageContaining("claims 4294967280 elements of 16 bytes, past the end of the mapping");
            assertThatThrownBy(() -> s.readLbCounters(new int[] {1}, new int[] {8}))
                    .isInstanceOf(StatsFormatException.class);
        }
    }

    @Test
    void directoryLengthPastTheEnd() throws Exception {
        try (StatsSegment s = StatsSegment.map(file, FAST)) {
            image.set(U32, GoldenImage.DIRECTORY_OFFSET - 8, 0x7fff_ffff);
            bumpEpoch();
            assertThatThrownBy(s::entries)
                    .isInstanceOf(StatsFormatException.class)
                    .hasMessageContaining("directory vector");
        }
    }

    @Test
    void symlinkLoopsAndDanglingSymlinks() throws Exception {
        try (StatsSegment s = StatsSegment.map(file, FAST)) {
            StatsEntry link = s.lookup("/err/null-node/blackholed packets"); // index 15 -> 14 column 0
            image.set(U32, entry(15) + 8, 15); // points at itself
            assertThatThrownBy(() -> s.simpleCounter(link))
                    .isInstanceOf(StatsFormatException.class)
                    .hasMessageContaining("points at another symlink");
            image.set(U32, entry(15) + 8, 99_999);
            assertThatThrownBy(() -> s.simpleCounter(link))
                    .isInstanceOf(StatsFormatException.class)
                    .hasMessageContaining("beyond the directory (3124 entries)");
            image.set(U32, entry(15) + 8, 2); // -> /sys/boottime, a scalar
            assertThatThrownBy(() -> s.simpleCounter(link)).isInstanceOf(StatsEntryTypeException.class);
            image.set(U32, entry(15) + 8, 14);
            assertThat(s.simpleCounter(link)).isEqualTo(30);
        }
    }

    @Test
    void stuckInProgressGivesUpWithAClearError() throws Exception {
        try (StatsSegment s = StatsSegment.map(file, FAST)) {
            image.set(U64, 24, 1);
            assertThatThrownBy(() -> s.scalar(StatsNames.BOOTTIME))
                    .isInstanceOf(StatsBusyException.class)
                    .hasMessageContaining("VPP kept the segment locked (in_progress) for more than 100 ms")
                    .satisfies(e -> assertThat(((StatsBusyException) e).waited()).isGreaterThan(Duration.ofMillis(100)));
            assertThatThrownBy(() -> s.readLbCounters(new int[] {1}, new int[] {8})).isInstanceOf(StatsBusyException.class);
            image.set(U64, 24, 0);
            assertThat(s.readLbCounters(new int[] {1}, new int[] {8}))
                    .containsExactly(new LbCounterValues(8, 8, 0, 0, 18, 1152));
        }
    }

    @Test
    void deletedEntryIsNoLongerFound() throws Exception {
        try (StatsSegment s = StatsSegment.map(file, FAST)) {
            StatsEntry before = s.lookup(StatsNames.LB_UNTRACKED_PACKET);
            image.set(U32, entry(before.directoryIndex()), 5); // EMPTY, as vlib_stats_remove_entry
            image.asSlice(entry(before.directoryIndex()) + 16, 128).fill((byte) 0);
            bumpEpoch();
            assertThat(s.find(StatsNames.LB_UNTRACKED_PACKET)).isEmpty();
            assertThat(s.entries()).hasSize(GoldenImage.DIRECTORY_ENTRIES - 1);
            assertThatThrownBy(() -> s.simpleCounter(before, 2))
                    .isInstanceOf(StatsNoSuchEntryException.class)
                    .hasMessageContaining("untracked packet");
            // A missing lb counter reads as zero in the batch (VPP creates them lazily).
            assertThat(s.readLbCounters(new int[] {2}, new int[] {9}))
                    .containsExactly(new LbCounterValues(0, 0, 0, 4, 6, 384));
        }
    }

    @Test
    void readsAfterCloseAreTypedErrors() throws Exception {
        StatsSegment s = StatsSegment.map(file, FAST);
        StatsEntry e = s.lookup(StatsNames.ROUTE_TO);
        s.close();
        s.close(); // idempotent
        assertThatThrownBy(s::epoch).isInstanceOf(StatsClosedException.class);
        assertThatThrownBy(() -> s.combinedCounter(e, 8)).isInstanceOf(StatsClosedException.class);
        assertThatThrownBy(() -> s.readLbCounters(new int[] {1}, new int[] {8}))
                .isInstanceOf(StatsClosedException.class)
                .hasMessageContaining("is closed");
    }

    /**
     * Random 8-byte garbage written anywhere in the header page, the directory or the vectors:
     * every read either returns or throws a {@link StatsException}; never anything else, never
     * a hang (the epoch is bumped so each round re-reads the directory).
     */
    @Test
    void garbageAnywhereGivesTypedErrorsOnly() throws Exception {
        Random random = new Random(20261121);
        int[] lb = {0, 1, 2, 3, 4};
        int[] fib = {-1, 8, 9, 10, -1};
        int errors = 0;
        try (StatsSegment s = StatsSegment.map(file, FAST)) {
            for (int round = 0; round < 400; round++) {
                long off = switch (round % 4) {
                    case 0 -> 32 + random.nextInt(16); // directory pointer, offset 40
                    case 1 -> GoldenImage.DIRECTORY_OFFSET - 8 + random.nextInt(144 * GoldenImage.DIRECTORY_ENTRIES);
                    default -> 4096 + random.nextInt(60_000); // the vectors of the counters
                };
                long saved = image.get(U64, off);
                image.set(U64, off, random.nextLong());
                bumpEpoch();
                try {
                    s.readLbCounters(lb, fib);
                    s.entries();
                    s.combinedCounter(s.lookup("/interfaces/pg0/rx"));
                    s.nameVector(s.lookup(StatsNames.IF_NAMES));
                    s.simpleCounters(s.lookup("/node/errors"));
                } catch (StatsException e) {
                    errors++;
                } catch (RuntimeException e) {
                    fail("round " + round + ": garbage at offset " + off + " gave " + e, e);
                } finally {
                    image.set(U64, off, saved);
                    bumpEpoch();
                }
            }
            assertThat(errors).as("the garbage was noticed at least sometimes").isPositive();
            assertThat(s.readLbCounters(new int[] {1}, new int[] {8}))
                    .containsExactly(new LbCounterValues(8, 8, 0, 0, 18, 1152));
        }
    }
}
