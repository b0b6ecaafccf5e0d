package dev.vppmaglev.vpp.fake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The part of VPP's FIB (table 0) the lb plugin touches: one entry per VIP prefix (the VIP's
 * exclusive DPO route) and one per application-server host address (tracked next hop), each with
 * a load-balance index from one shared pool. That index is the entry's {@code stats_index}
 * ({@code /net/route/to} column) and, for an AS, the {@code dpo:} number of
 * {@code show lb vips verbose}. A fresh VPP with only the lb plugin has used indexes 0..7 for its
 * own default routes, so the first lb entry gets 8 (golden: VIPs 8, 9, 10, 11, ASes from 12).
 */
final class FakeFib {
    /** First load-balance index free after VPP's own routes (golden run 1 and run 2). */
    static final int FIRST_FREE_LB_INDEX = 8;

    /** A FIB prefix: IPv4 lengths are plain (0..32). */
    record Key(boolean ip6, Ip46 address, int len) {}

    static final class Entry {
        final Key key;
        final int lbIndex;
        int vipRefs;
        int asRefs;

        Entry(Key key, int lbIndex) {
            this.key = key;
            this.lbIndex = lbIndex;
        }
    }

    private final Map<Key, Entry> entries = new HashMap<>();
    private final ArrayList<Integer> free = new ArrayList<>();
    private final IntConsumer allocated;
    private int next = FIRST_FREE_LB_INDEX;

    /** @param allocated told every load-balance index handed out (new or reused): the stats segment zeroes it */
    FakeFib(IntConsumer allocated) {
        this.allocated = allocated;
    }

    FakeFib() {
        this(i -> { });
    }

    /** Adds a reference (VIP route or AS next hop); creates the entry and its index if new. */
    Entry add(Key key, boolean vip) {
        Entry e = entries.computeIfAbsent(key, k -> new Entry(k, allocate()));
        if (vip) {
            e.vipRefs++;
        } else {
            e.asRefs++;
        }
        return e;
    }

    /** Drops a reference; the last one removes the entry and frees its index. */
    void remove(Key key, boolean vip) {
        Entry e = entries.get(key);
        if (e == null) {
            return;
        }
        if (vip) {
            e.vipRefs = Math.max(0, e.vipRefs - 1);
        } else {
            e.asRefs = Math.max(0, e.asRefs - 1);
        }
        if (e.vipRefs == 0 && e.asRefs == 0) {
            entries.remove(key);
            free.add(e.lbIndex);
        }
    }

    private int allocate() {
        int index = free.isEmpty() ? next++ : free.remove(free.size() - 1);
        allocated.accept(index);
        return index;
    }

    /** The VIP route with exactly this prefix. */
    Optional<Entry> exactRoute(Key key) {
        Entry e = entries.get(key);
        return e != null && e.vipRefs > 0 ? Optional.of(e) : Optional.empty();
    }

    /** The longest VIP route covering {@code key.address()}. */
    Optional<Entry> longestMatch(Key key) {
        Entry best = null;
        int base = key.ip6() ? 0 : 96;
        for (Entry e : entries.values()) {
            if (e.vipRefs == 0 || e.key.ip6() != key.ip6()) {
                continue;
            }
            if (key.address().mask(base + e.key.len()).equals(e.key.address()) && (best == null || e.key.len() > best.key.len())) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }
}
