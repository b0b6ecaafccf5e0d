package dev.vppmaglev.vpp.fake;

import java.util.Arrays;
import java.util.List;

/**
 * The lb plugin's new-flow table (Maglev, src/plugins/lb/lb.c {@code lb_vip_update_new_flow_table}
 * as extended for per-AS weights in lb 1.2.0): every in-use AS with weight w > 0 gets w replicas;
 * replicas take turns in (replica, address) order, each claiming the next free bucket of its own
 * permutation ({@code skip} odd, so the permutation visits every bucket of the 2^n table). With no
 * replica at all every bucket points to AS 0 (drop, "no server configured").
 *
 * <p>Bucket counts depend only on the turn order, which this reproduces exactly (checked against
 * the golden texts: 100/50/0 → 674/350/0, 100/101 → 515/509, 100/255 → 300/724, 100/1 in 65536 →
 * 64887/649, 30/100 in 2048 → 480/1568). Which bucket a replica claims follows the plugin's
 * {@code clib_xxhash} permutation of the address; for replicas after the first the seed also mixes
 * in the replica number (our choice: the patch's exact seed for those is not public).
 */
final class Maglev {
    private static final long PRIME64_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME64_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME64_3 = 0x165667B19E3779F9L;
    private static final long PRIME64_4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME64_5 = 0x27D4EB2F165667C5L;

    private Maglev() {}

    /** One in-use AS: its pool index, address and weight. */
    record Member(int asIndex, Ip46 address, int weight) {}

    /** VPP's {@code clib_xxhash} (src/vppinfra/xxhash.h) of one u64. */
    static long xxhash(long key) {
        long k1 = key;
        long h64 = 0x9e3779b97f4a7c13L + PRIME64_5 + 8;
        k1 *= PRIME64_2;
        k1 = Long.rotateLeft(k1, 31);
        k1 *= PRIME64_1;
        h64 ^= k1;
        h64 = Long.rotateLeft(h64, 27) * PRIME64_1 + PRIME64_4;
        h64 ^= h64 >>> 33;
        h64 *= PRIME64_2;
        h64 ^= h64 >>> 29;
        h64 *= PRIME64_3;
        h64 ^= h64 >>> 32;
        return h64;
    }

    /**
     * Builds the table.
     *
     * @param members in-use ASes (any order; weight 0 ones take no bucket)
     * @param length  table length, a power of 2
     * @return AS pool index per bucket (0 = the drop AS)
     */
    static int[] table(List<Member> members, int length) {
        int mask = length - 1;
        int[] table = new int[length];
        Member[] sorted = members.stream().filter(m -> m.weight() > 0)
                .sorted((a, b) -> a.address().compareTo(b.address())).toArray(Member[]::new);
        if (sorted.length == 0) {
            return table; // all buckets -> AS 0
        }
        int maxWeight = 0;
        int replicas = 0;
        for (Member m : sorted) {
            maxWeight = Math.max(maxWeight, m.weight());
            replicas += m.weight();
        }
        // turn order: replica 0 of every AS by address, then replica 1, ...
        int[] owner = new int[replicas];
        int[] last = new int[replicas];
        int[] skip = new int[replicas];
        int n = 0;
        for (int r = 0; r < maxWeight; r++) {
            for (Member m : sorted) {
                if (m.weight() > r) {
                    long seed = xxhash(m.address().hostXor() ^ (r == 0 ? 0 : xxhash(r)));
                    owner[n] = m.asIndex();
                    skip[n] = (int) ((seed & 0xffffffffL) | 1) & mask;
                    last[n] = (int) (seed >>> 32) & mask;
                    n++;
                }
            }
        }
        Arrays.fill(table, -1);
        int done = 0;
        while (true) {
            for (int i = 0; i < replicas; i++) {
                int s = skip[i] == 0 ? 1 : skip[i]; // a 1-bucket table has mask 0
                while (true) {
                    int b = last[i];
                    last[i] = (last[i] + s) & mask;
                    if (table[b] == -1) {
                        table[b] = owner[i];
                        break;
                    }
                }
                if (++done == length) {
                    return table;
                }
            }
        }
    }
}
