package dev.vppmaglev.vpp.stats;

import java.util.Objects;

/**
 * A fixed set of VIPs whose counters are read again and again (the 5 s counters scrape, see
 * behaviour.md §5.8): holds the VIPs' lb pool indexes and FIB stats indexes and a reusable
 * scratch, so {@link #read()} allocates only its result and {@link #readInto(long[])} nothing
 * at all. Names are resolved per epoch by the segment, so a batch stays valid while VPP grows
 * or moves vectors; create a new one when the set of VIPs changes
 * ({@link StatsSegment#lbCounterBatch}). Every read is one consistent snapshot; see
 * {@link StatsSegment#readLbCounters(int[], int[])} for missing counters and out-of-range
 * indexes (they read 0).
 *
 * <p>Not thread-safe: use one batch per reading thread.
 */
public final class LbCounterBatch {
    /** Longs per VIP in {@link #readInto(long[])}: first, next, untracked, noServer, fibPackets, fibBytes. */
    public static final int FIELDS = 6;

    private final StatsSegment segment;
    private final int[] lbIndexes;
    private final int[] fibStatsIndexes;
    private long[] scratch;

    LbCounterBatch(StatsSegment segment, int[] lbIndexes, int[] fibStatsIndexes, boolean copy) {
        Objects.requireNonNull(lbIndexes, "lbIndexes");
        Objects.requireNonNull(fibStatsIndexes, "fibStatsIndexes");
        if (lbIndexes.length != fibStatsIndexes.length) {
            throw new IllegalArgumentException("lbIndexes has " + lbIndexes.length + " elements, fibStatsIndexes "
                    + fibStatsIndexes.length);
        }
        this.segment = segment;
        this.lbIndexes = copy ? lbIndexes.clone() : lbIndexes;
        this.fibStatsIndexes = copy ? fibStatsIndexes.clone() : fibStatsIndexes;
    }

    /** Number of VIPs in the batch. */
    public int size() {
        return lbIndexes.length;
    }

    /**
     * Reads every VIP's counters in one consistent read.
     *
     * @return one value per VIP, in the order the indexes were given
     * @throws StatsException as {@link StatsSegment#readLbCounters(int[], int[])}
     */
    public LbCounterValues[] read() throws StatsException {
        if (scratch == null) {
            scratch = new long[FIELDS * lbIndexes.length];
        }
        long[] acc = scratch;
        segment.readLbCounters(lbIndexes, fibStatsIndexes, acc);
        LbCounterValues[] out = new LbCounterValues[lbIndexes.length];
        for (int i = 0, a = 0; i < out.length; i++, a += FIELDS) {
            out[i] = (acc[a] | acc[a + 1] | acc[a + 2] | acc[a + 3] | acc[a + 4] | acc[a + 5]) == 0
                    ? LbCounterValues.ZERO
                    : new LbCounterValues(acc[a], acc[a + 1], acc[a + 2], acc[a + 3], acc[a + 4], acc[a + 5]);
        }
        return out;
    }

    /**
     * Reads every VIP's counters in one consistent read into {@code values}, allocating nothing:
     * VIP {@code i}'s counters are {@code values[6 i .. 6 i + 5]} = first, next, untracked,
     * noServer (packets), fibPackets (packets), fibBytes (bytes). On an exception the contents
     * of {@code values} are undefined.
     *
     * @throws IllegalArgumentException when {@code values} is shorter than {@code 6 * size()}
     * @throws StatsException           as {@link StatsSegment#readLbCounters(int[], int[])}
     */
    public void readInto(long[] values) throws StatsException {
        if (values.length < FIELDS * lbIndexes.length) {
            throw new IllegalArgumentException("values has " + values.length + " elements, needs "
                    + FIELDS * lbIndexes.length + " (6 per VIP)");
        }
        segment.readLbCounters(lbIndexes, fibStatsIndexes, values);
    }
}
