package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.IpFormat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The weighted Maglev table against the bucket splits VPP produced (golden observation 10). */
class MaglevTest {
    private static Maglev.Member m(int index, String address, int weight) {
        return new Maglev.Member(index, Ip46.of(IpFormat.parse(address)), weight);
    }

    private static int[] counts(int[] table, int members) {
        int[] c = new int[members + 1];
        for (int b : table) {
            c[b]++;
        }
        return c;
    }

    @Test
    void bucketSplitsEqualTheRealPlugin() {
        assertThat(counts(Maglev.table(List.of(m(1, "10.1.0.1", 100), m(2, "10.1.0.2", 50), m(3, "10.1.0.10", 0)), 1024), 3))
                .containsExactly(0, 674, 350, 0);
        assertThat(counts(Maglev.table(List.of(m(1, "10.1.0.1", 101), m(2, "10.1.0.2", 100)), 1024), 2))
                .containsExactly(0, 515, 509);
        assertThat(counts(Maglev.table(List.of(m(1, "10.2.0.4", 100), m(2, "10.2.0.10", 255)), 1024), 2))
                .containsExactly(0, 300, 724);
        assertThat(counts(Maglev.table(List.of(m(1, "10.2.0.16", 100), m(2, "10.2.0.17", 1)), 65536), 2))
                .containsExactly(0, 64887, 649);
        assertThat(counts(Maglev.table(List.of(m(1, "10.2.0.1", 100), m(2, "10.2.0.2", 100), m(3, "10.2.0.9", 100)),
                1024), 3)).containsExactly(0, 342, 341, 341);
        assertThat(counts(Maglev.table(List.of(m(1, "10.2.0.21", 30), m(2, "10.2.0.20", 100)), 2048), 2))
                .containsExactly(0, 480, 1568);
        assertThat(counts(Maglev.table(List.of(m(1, "2001:db8:1::1", 100), m(2, "2001:db8:1::2", 100)), 1024), 2))
                .containsExactly(0, 512, 512);
    }

    @Test
    void noWeightMeansEveryBucketDrops() {
        assertThat(Maglev.table(List.of(), 1024)).containsOnly(0);
        assertThat(Maglev.table(List.of(m(1, "10.0.0.1", 0), m(2, "10.0.0.2", 0)), 64)).containsOnly(0);
    }

    @Test
    void theTableDependsOnTheSetNotTheInsertionOrder() {
        List<Maglev.Member> ms = new ArrayList<>();
        for (int i = 1; i <= 32; i++) {
            ms.add(m(i, "10.3.0." + i, 1 + (i * 7) % 100));
        }
        int[] first = Maglev.table(ms, 1024);
        Collections.shuffle(ms, new Random(7));
        assertThat(Maglev.table(ms, 1024)).containsExactly(first);
        assertThat(first).doesNotContain(0, -1);
    }

    @Test
    void removingOneServerMovesOnlyItsBuckets() {
        List<Maglev.Member> ms = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            ms.add(m(i, "10.4.0." + i, 100));
        }
        int[] before = Maglev.table(ms, 4096);
        ms.remove(3); // 10.4.0.4
        int[] after = Maglev.table(ms, 4096);
        int moved = 0;
        for (int b = 0; b < before.length; b++) {
            if (before[b] != 4 && before[b] != after[b]) {
                moved++;
            }
        }
        // Maglev's promise: few buckets of the survivors move (the plugin's permutations are
        // per replica, so some churn remains; all of them would move with a modulo hash)
        assertThat(moved).isLessThan(before.length / 4);
    }
}
