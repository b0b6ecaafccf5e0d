package dev.vppmaglev.vpp.counters;

import dev.vppmaglev.vpp.stats.LbCounterBatch;

import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * One scrape of every configured VIP's counters, immutable, as the {@link CountersLoop} publishes
 * it (behaviour.md §5.8).
 *
 * @param scrapedAt when the values were read
 * @param vips      one entry per configured VIP, in the order of the VIP source (config order)
 */
public record CountersSnapshot(Instant scrapedAt, List<VipCounters> vips) {
    public CountersSnapshot {
        Objects.requireNonNull(scrapedAt, "scrapedAt");
        vips = vips instanceof Values ? vips : List.copyOf(vips);
    }

    /**
     * The loop's form: VIP {@code i}'s six values are {@code values[6 i .. 6 i + 5]} in the order of
     * {@link LbCounterBatch#readInto}. {@code values} must not change afterwards.
     */
    static CountersSnapshot of(Instant scrapedAt, List<CountedVip> vips, long[] values) {
        return new CountersSnapshot(scrapedAt, new Values(vips, values));
    }

    /** The counters of the VIP configured by {@code frontend}, if it is in this snapshot. */
    public Optional<VipCounters> frontend(String frontend) {
        for (VipCounters v : vips) {
            if (v.frontend().equals(frontend)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * An immutable list over one array of longs (48 bytes per VIP, one allocation per changed
     * scrape); the records are made on access.
     */
    private static final class Values extends AbstractList<VipCounters> implements RandomAccess {
        private final List<CountedVip> vips;
        private final long[] values;

        Values(List<CountedVip> vips, long[] values) {
            if (values.length != LbCounterBatch.FIELDS * vips.size()) {
                throw new IllegalArgumentException(values.length + " values for " + vips.size() + " VIPs");
            }
            this.vips = vips;
            this.values = values;
        }

        @Override
        public VipCounters get(int i) {
            CountedVip v = vips.get(i);
            int a = LbCounterBatch.FIELDS * i;
            return new VipCounters(v.frontend(), v.vip().pfx(), v.vip().protocol(), v.vip().port(), values[a],
                    values[a + 1], values[a + 2], values[a + 3], values[a + 4], values[a + 5]);
        }

        @Override
        public int size() {
            return vips.size();
        }
    }
}
