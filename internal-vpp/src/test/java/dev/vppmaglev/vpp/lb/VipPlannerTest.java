package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.lb.KnownVip.KnownAs;
import dev.vppmaglev.vpp.lb.LbOp.AddAs;
import dev.vppmaglev.vpp.lb.LbOp.AddVip;
import dev.vppmaglev.vpp.lb.LbOp.DelAs;
import dev.vppmaglev.vpp.lb.LbOp.DelVip;
import dev.vppmaglev.vpp.lb.LbOp.SetWeight;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static dev.vppmaglev.vpp.lb.TestConfigs.ip;
import static org.assertj.core.api.Assertions.assertThat;

class VipPlannerTest {
    private static final LbVip VIP = LbVip.host(ip("192.0.2.1"), 6, 80);

    private static DesiredVip desired(boolean sticky, LbEncap encap, DesiredAs... ases) {
        return new DesiredVip("web", VIP, encap, sticky, List.of(ases));
    }

    private static DesiredAs as(String a, int w, boolean flush) {
        return new DesiredAs(ip(a), w, flush);
    }

    private static KnownVip known(Optional<Boolean> sticky, LbEncap encap, Object... kv) {
        return known(sticky, encap, OptionalInt.of(1024), kv);
    }

    private static KnownVip known(Optional<Boolean> sticky, LbEncap encap, OptionalInt length, Object... kv) {
        Map<InetAddress, KnownAs> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(ip((String) kv[i]), (KnownAs) kv[i + 1]);
        }
        return new KnownVip(VIP, encap, sticky, length, 1, m, Set.of());
    }

    private static KnownAs w(int weight) {
        return new KnownAs(weight, false);
    }

    @Test
    void missingVipIsCreatedThenEveryAsAddedInIpOrder() {
        DesiredVip d = desired(true, LbEncap.GRE4, as("10.0.0.9", 100, false), as("10.0.0.10", 0, true));
        VipPlan p = VipPlanner.plan(d, null, false);
        assertThat(p.recreate()).isEmpty();
        assertThat(p.ops()).containsExactly(new AddVip(d.spec()), new AddAs(VIP, ip("10.0.0.9"), 100, false),
                new AddAs(VIP, ip("10.0.0.10"), 0, true));
        assertThat(((AddVip) p.ops().getFirst()).spec().newFlowsTableLength()).isEqualTo(1024);
    }

    @Test
    void inSyncVipNeedsNoCall() {
        DesiredVip d = desired(false, LbEncap.GRE4, as("10.0.0.1", 100, false), as("10.0.0.2", 0, false));
        KnownVip k = known(Optional.of(false), LbEncap.GRE4, "10.0.0.1", w(100), "10.0.0.2", w(0));
        assertThat(VipPlanner.plan(d, k, false).ops()).isEmpty();
    }

    @Test
    void addsSetsWeightAndDeletesWithFlush() {
        DesiredVip d = desired(false, LbEncap.GRE4, as("10.0.0.1", 100, false), as("10.0.0.3", 40, false),
                as("10.0.0.10", 0, true));
        KnownVip k = known(Optional.of(false), LbEncap.GRE4, "10.0.0.20", w(100), "10.0.0.10", w(100),
                "10.0.0.3", w(100), "10.0.0.4", w(100));
        assertThat(VipPlanner.plan(d, k, false).ops()).containsExactly(
                new AddAs(VIP, ip("10.0.0.1"), 100, false),
                new SetWeight(VIP, ip("10.0.0.3"), 40, false, 100),
                new SetWeight(VIP, ip("10.0.0.10"), 0, true, 100),
                new DelAs(VIP, ip("10.0.0.4"), true),
                new DelAs(VIP, ip("10.0.0.20"), true));
    }

    @Test
    void flushIsSentEvenWhenTheWeightIsAlreadyZero() {
        // §12 item 10: drained to 0 by pool failover (no flush), then disabled: flush must still go out
        DesiredVip d = desired(false, LbEncap.GRE4, as("10.0.0.1", 0, true));
        KnownVip drained = known(Optional.of(false), LbEncap.GRE4, "10.0.0.1", new KnownAs(0, false));
        assertThat(VipPlanner.plan(d, drained, false).ops())
                .containsExactly(new SetWeight(VIP, ip("10.0.0.1"), 0, true, 0));
    }

    @Test
    void flushOfACleanAsIsNotResent() {
        // flushed at 0 (by us, or VPP reports no flows): a second flush evicts nothing
        DesiredVip d = desired(false, LbEncap.GRE4, as("10.0.0.1", 0, true));
        KnownVip clean = known(Optional.of(false), LbEncap.GRE4, "10.0.0.1", new KnownAs(0, true));
        assertThat(VipPlanner.plan(d, clean, false).ops()).isEmpty();
        // drain without flush needs nothing when already 0
        DesiredVip drain = desired(false, LbEncap.GRE4, as("10.0.0.1", 0, false));
        assertThat(VipPlanner.plan(drain, known(Optional.of(false), LbEncap.GRE4, "10.0.0.1", w(0)), false).ops())
                .isEmpty();
    }

    @Test
    void stickyFlipRecreates() {
        DesiredVip d = desired(true, LbEncap.GRE4, as("10.0.0.1", 100, false), as("10.0.0.2", 100, false));
        KnownVip k = known(Optional.of(false), LbEncap.GRE4, "10.0.0.3", w(100), "10.0.0.1", w(100));
        VipPlan p = VipPlanner.plan(d, k, false);
        assertThat(p.recreate()).contains(new VipPlan.Recreate("src_ip_sticky", "false", "true"));
        assertThat(p.ops()).containsExactly(new DelAs(VIP, ip("10.0.0.1"), true), new DelAs(VIP, ip("10.0.0.3"), true),
                new DelVip(VIP), new AddVip(d.spec()), new AddAs(VIP, ip("10.0.0.1"), 100, false),
                new AddAs(VIP, ip("10.0.0.2"), 100, false));
    }

    @Test
    void aStickyFlipVppCannotExpressDoesNotRecreateButAnEncapFlipStillDoes() {
        // no lb_add_del_vip_v2: v1 cannot choose src_ip_sticky, so a recreate would only flush
        DesiredVip d = desired(false, LbEncap.GRE4, as("10.0.0.1", 100, false));
        KnownVip k = known(Optional.of(true), LbEncap.GRE4, "10.0.0.1", w(100));
        assertThat(VipPlanner.plan(d, k, true, true).recreate()).isPresent();
        VipPlan p = VipPlanner.plan(d, k, true, false);
        assertThat(p.recreate()).isEmpty();
        assertThat(p.ops()).isEmpty();
        DesiredVip six = desired(false, LbEncap.GRE6, as("2001:db8::1", 100, false));
        assertThat(VipPlanner.plan(six, k, true, false).recreate()).contains(new VipPlan.Recreate("encap", "gre4", "gre6"));
    }

    @Test
    void encapFlipRecreatesAndUnknownStickyDoesNot() {
        DesiredVip d = desired(false, LbEncap.GRE6, as("2001:db8::1", 100, false));
        KnownVip k = known(Optional.empty(), LbEncap.GRE4, "10.0.0.1", w(100));
        VipPlan p = VipPlanner.plan(d, k, false);
        assertThat(p.recreate()).contains(new VipPlan.Recreate("encap", "gre4", "gre6"));
        assertThat(p.ops()).containsExactly(new DelAs(VIP, ip("10.0.0.1"), true), new DelVip(VIP),
                new AddVip(d.spec()), new AddAs(VIP, ip("2001:db8::1"), 100, false));
        // sticky unknown (CLI did not list the VIP): no destructive recreate on missing information
        DesiredVip sticky = desired(true, LbEncap.GRE4, as("10.0.0.1", 100, false));
        assertThat(VipPlanner.plan(sticky, k, false).ops()).isEmpty();
    }

    @Test
    void anotherNewFlowsTableLengthRecreatesWith1024AndAnUnknownOneDoesNot() {
        DesiredVip d = desired(false, LbEncap.GRE4, as("10.0.0.1", 100, false));
        // created elsewhere with 2048 buckets: VPP cannot resize a live VIP (a second add is -81)
        KnownVip big = known(Optional.of(false), LbEncap.GRE4, OptionalInt.of(2048), "10.0.0.1", w(100));
        VipPlan p = VipPlanner.plan(d, big, false);
        assertThat(p.recreate()).contains(new VipPlan.Recreate("new_flows_table_length", "2048", "1024"));
        assertThat(p.ops()).containsExactly(new DelAs(VIP, ip("10.0.0.1"), true), new DelVip(VIP),
                new AddVip(d.spec()), new AddAs(VIP, ip("10.0.0.1"), 100, false));
        assertThat(((AddVip) p.ops().get(2)).spec().newFlowsTableLength()).isEqualTo(1024);
        // unknown (old VPP, CLI block unreadable): never recreate on missing information
        KnownVip unknown = known(Optional.of(false), LbEncap.GRE4, OptionalInt.empty(), "10.0.0.1", w(100));
        assertThat(VipPlanner.plan(d, unknown, false).ops()).isEmpty();
        // several differences are named together
        KnownVip all = known(Optional.of(true), LbEncap.GRE6, OptionalInt.of(65536));
        assertThat(VipPlanner.plan(d, all, false).recreate()).contains(new VipPlan.Recreate(
                "src_ip_sticky,encap,new_flows_table_length", "true,gre6,65536", "false,gre4,1024"));
    }

    @Test
    void removalDeletesAsesWithFlushThenTheVip() {
        KnownVip k = known(Optional.of(true), LbEncap.GRE4, "10.0.0.10", w(5), "10.0.0.9", w(0));
        VipPlan p = VipPlanner.remove(k);
        assertThat(p.frontend()).isEmpty();
        assertThat(p.ops()).containsExactly(new DelAs(VIP, ip("10.0.0.9"), true), new DelAs(VIP, ip("10.0.0.10"), true),
                new DelVip(VIP));
    }

    @Test
    void degradedModeMapsWeightsToPresence() {
        // v1 dump: weights unknown (-1) = "in"
        DesiredVip d = desired(false, LbEncap.GRE4,
                as("10.0.0.1", 100, false),  // in, present: nothing
                as("10.0.0.2", 30, false),   // in, absent: add (VPP makes it 100)
                as("10.0.0.3", 0, true),     // out with flush, present: delete with flush
                as("10.0.0.4", 0, false),    // out, present: delete without flush
                as("10.0.0.5", 0, true));    // out, absent: nothing (cannot flush an absent AS with v1)
        KnownVip k = known(Optional.of(false), LbEncap.GRE4, "10.0.0.1", KnownAs.UNKNOWN_WEIGHT,
                "10.0.0.3", KnownAs.UNKNOWN_WEIGHT, "10.0.0.4", KnownAs.UNKNOWN_WEIGHT, "10.0.0.9", KnownAs.UNKNOWN_WEIGHT);
        assertThat(VipPlanner.plan(d, k, true).ops()).containsExactly(
                new AddAs(VIP, ip("10.0.0.2"), 30, false),
                new DelAs(VIP, ip("10.0.0.3"), true),
                new DelAs(VIP, ip("10.0.0.4"), false),
                new DelAs(VIP, ip("10.0.0.9"), true));
        // a new VIP in degraded mode gets only its "in" ASes
        assertThat(VipPlanner.plan(d, null, true).ops()).containsExactly(new AddVip(d.spec()),
                new AddAs(VIP, ip("10.0.0.1"), 100, false), new AddAs(VIP, ip("10.0.0.2"), 30, false));
    }
}
