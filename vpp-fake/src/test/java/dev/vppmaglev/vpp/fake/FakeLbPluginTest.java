package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.VppErrors;
import dev.vppmaglev.vpp.api.msg.LbAsV2Details;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.Prefix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** lb plugin model details the golden captures do not reach: garbage collection and index reuse. */
class FakeLbPluginTest {
    private final AtomicLong now = new AtomicLong(100);
    private final FakeLbPlugin lb = new FakeLbPlugin(new FakeFib(), now::get);

    private static Ip46 ip(String s) {
        return Ip46.of(IpFormat.parse(s));
    }

    private int vip(String address, int port) {
        FakeLbPlugin.Added a = lb.addVip(ip(address), 128, 6, port, VipType.IP4_GRE4, 1024, false, 0, 0);
        assertThat(a.retval()).isZero();
        return a.index();
    }

    @Test
    void removedAsIsCollectedOnlyAfterTenSecondsAndSixtySecondsPerVip() {
        int v = vip("192.0.2.1", 80);
        assertThat(lb.addAses(v, List.of(ip("10.0.0.1"), ip("10.0.0.2")), 100, false)).isZero();
        assertThat(lb.delAses(v, List.of(ip("10.0.0.1")), true)).isZero();
        List<LbAsV2Details> d = lb.asV2Details(LbVip.dumpAll());
        assertThat(d).hasSize(2);
        assertThat(d.stream().filter(x -> !x.used()).findFirst().orElseThrow().inUseSince()).isEqualTo(100);

        now.set(150); // 50 s after the VIP's creation: the per-VIP 60 s gate holds
        lb.collectGarbage();
        assertThat(lb.asV2Details(LbVip.dumpAll())).hasSize(2);
        now.set(161); // gate open, AS removed 61 s ago
        lb.collectGarbage();
        assertThat(lb.asV2Details(LbVip.dumpAll())).extracting(x -> x.appSrv().getHostAddress()).containsExactly("10.0.0.2");
        assertThat(lb.showLb()).contains(" #ass: 1\n");
    }

    @Test
    void deletedVipStaysUntilItsAsesAreCollectedThenItsIndexIsReused() {
        int v1 = vip("192.0.2.1", 80);
        int v2 = vip("192.0.2.2", 80);
        assertThat(lb.addAses(v1, List.of(ip("10.0.0.1")), 100, false)).isZero();
        assertThat(lb.delVip(v1)).isZero();
        assertThat(lb.vipDetails()).extracting(x -> x.vip().pfx().toString()).containsExactly("192.0.2.2/32");
        assertThat(lb.showVips(false)).contains("192.0.2.1/32 new_size:1024 #as:1 removed");
        assertThat(lb.asV2Details(LbVip.dumpAll())).singleElement().satisfies(x -> assertThat(x.used()).isFalse());
        now.set(300);
        lb.collectGarbage();
        assertThat(lb.showVips(false)).doesNotContain("192.0.2.1/32");
        assertThat(vip("192.0.2.3", 80)).as("pool reuses the freed index first").isEqualTo(v1);
        assertThat(vip("192.0.2.4", 80)).isEqualTo(v2 + 1);
    }

    @Test
    void sharedFibEntryForPerPortVipsAndFreedLoadBalanceIndexIsReused() {
        int a = vip("192.0.2.1", 80);
        int b = vip("192.0.2.1", 443);
        FakeFib.Key key = new FakeFib.Key(false, ip("192.0.2.1"), 32);
        int stats = lb.fib().exactRoute(key).orElseThrow().lbIndex;
        assertThat(stats).isEqualTo(FakeFib.FIRST_FREE_LB_INDEX);
        assertThat(lb.delVip(a)).isZero();
        assertThat(lb.fib().exactRoute(key)).as("other per-port VIP keeps the route").isPresent();
        assertThat(lb.delVip(b)).isZero();
        assertThat(lb.fib().exactRoute(key)).isEmpty();
        vip("192.0.2.9", 80);
        assertThat(lb.fib().exactRoute(new FakeFib.Key(false, ip("192.0.2.9"), 32)).orElseThrow().lbIndex)
                .isEqualTo(stats);
    }

    @Test
    void weightAndFamilyRulesAndRemovedAsReuse() {
        int v = vip("192.0.2.1", 80);
        assertThat(lb.addAses(v, List.of(ip("2001:db8::1")), 100, false)).isEqualTo(VppErrors.INVALID_ADDRESS_FAMILY);
        assertThat(lb.addAses(v, List.of(ip("10.0.0.1")), 100, false)).isZero();
        assertThat(lb.addAses(v, List.of(ip("10.0.0.1")), 100, false)).isEqualTo(VppErrors.VALUE_EXIST);
        assertThat(lb.delAses(v, List.of(ip("10.0.0.1")), false)).isZero();
        assertThat(lb.setWeight(v, ip("10.0.0.1"), 50, false)).as("removed AS").isEqualTo(VppErrors.NO_SUCH_ENTRY);
        assertThat(lb.addAses(v, List.of(ip("10.0.0.1")), 30, false)).as("re-adding a removed AS").isZero();
        assertThat(lb.asV2Details(LbVip.dumpAll())).singleElement()
                .satisfies(x -> assertThat(x.weight()).isEqualTo(30))
                .satisfies(x -> assertThat(x.numBuckets()).isEqualTo(1024));
        assertThat(lb.delAses(v, List.of(ip("10.9.9.9")), false)).isEqualTo(VppErrors.NO_SUCH_ENTRY);
    }

    @Test
    void ipv6FilterMatchesButIpv4FilterMatchesNothing() {
        int v4 = vip("192.0.2.1", 80);
        FakeLbPlugin.Added v6 = lb.addVip(ip("2001:db8::1"), 128, 6, 443, VipType.IP6_GRE6, 1024, false, 0, 0);
        lb.addAses(v4, List.of(ip("10.0.0.1")), 100, false);
        lb.addAses(v6.index(), List.of(ip("2001:db8:1::1")), 100, false);
        assertThat(lb.asV2Details(new LbVip(Prefix.parse("192.0.2.1/32"), 6, 80))).isEmpty();
        assertThat(lb.asV2Details(new LbVip(Prefix.parse("2001:db8::1/128"), 6, 443))).hasSize(1);
        assertThat(lb.asV2Details(LbVip.dumpAll())).hasSize(2);
    }

    @Test
    void zeroTableLengthCrashesLikeVpp() {
        assertThatThrownBy(() -> lb.addVip(ip("192.0.2.1"), 128, 6, 80, VipType.IP4_GRE4, 0, false, 0, 0))
                .isInstanceOf(FakeLbPlugin.Crash.class);
        assertThat(lb.addVip(ip("192.0.2.1"), 128, 6, 80, VipType.IP4_GRE4, 1000, false, 0, 0).retval())
                .isEqualTo(VppErrors.INVALID_MEMORY_SIZE);
    }
}
