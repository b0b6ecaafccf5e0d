package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.VppSession;
import dev.vppmaglev.vpp.api.msg.LbVip;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Told what the reconciler knows of each live VIP's lb index (its pool index: the column of its
 * counters in the stats segment), so the counters scrape needs no {@code show lb vips verbose}
 * of its own while the reconciler's reads keep it current. Uses only neutral types: the daemon
 * wires it to {@code CountersLoop} without either package knowing the other.
 *
 * <p>Called on the sync thread after a sync, only when something may have changed (a read, a VIP
 * added or deleted, a failure): be quick.
 */
public interface LbIndexListener {
    /** Ignores everything. */
    LbIndexListener NONE = new LbIndexListener() {
        @Override
        public void onLbIndexes(VppSession session, Map<LbVip, Integer> indexes) {}

        @Override
        public void onLbIndexesUnknown(VppSession session) {}
    };

    /**
     * A listener of two callbacks, e.g. {@code LbIndexListener.of(counters::lbIndexes,
     * session -> counters.invalidate())}: how the daemon wires the counters loop, with neither
     * package knowing the other.
     */
    static LbIndexListener of(BiConsumer<VppSession, Map<LbVip, Integer>> onIndexes, Consumer<VppSession> onUnknown) {
        Objects.requireNonNull(onIndexes, "onIndexes");
        Objects.requireNonNull(onUnknown, "onUnknown");
        return new LbIndexListener() {
            @Override
            public void onLbIndexes(VppSession session, Map<LbVip, Integer> indexes) {
                onIndexes.accept(session, indexes);
            }

            @Override
            public void onLbIndexesUnknown(VppSession session) {
                onUnknown.accept(session);
            }
        };
    }

    /**
     * The reconciler's picture of {@code session}'s lb table, complete: every live VIP with its lb
     * index, or -1 when it is not known (created since the last read — VPP's reply does not say
     * where — or not listed by the CLI text). A VIP that is not a key is not live in VPP.
     *
     * @param indexes immutable
     */
    void onLbIndexes(VppSession session, Map<LbVip, Integer> indexes);

    /**
     * The reconciler no longer knows {@code session}'s table: a call failed or timed out (VPP may
     * have applied it anyway, so a VIP may have moved) or a read failed. Indexes must be looked up
     * again; the repair full sync that follows publishes fresh ones.
     */
    void onLbIndexesUnknown(VppSession session);
}
