package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.msg.LbVip;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One mutating call the reconciler sends to VPP's lb plugin (VPP src/plugins/lb/lb.api). A plan
 * holds only calls that change something: every AS add and weight set rebuilds the VIP's whole
 * new-flow table in VPP (spec README "Performance facts").
 */
public sealed interface LbOp {
    /** The VIP the call is about. */
    LbVip vip();

    /** {@code lb_add_del_vip_v2} add, with encap, {@code src_ip_sticky} and 1024 new-flow buckets. */
    record AddVip(VipSpec spec) implements LbOp {
        public AddVip {
            Objects.requireNonNull(spec, "spec");
        }

        @Override
        public LbVip vip() {
            return spec.vip();
        }
    }

    /** {@code lb_add_del_vip_v2} with {@code is_del} (its ASes are deleted first, with flush). */
    record DelVip(LbVip vip) implements LbOp {
        public DelVip {
            Objects.requireNonNull(vip, "vip");
        }
    }

    /**
     * {@code lb_add_del_as_v2} add with a weight ({@code lb_add_del_as} in degraded mode, where
     * VPP gives every AS weight 100).
     *
     * @param flush evicts the old sticky flows of an AS that was deleted but not yet collected
     */
    record AddAs(LbVip vip, InetAddress as, int weight, boolean flush) implements LbOp {
        public AddAs {
            Objects.requireNonNull(vip, "vip");
            Objects.requireNonNull(as, "as");
        }
    }

    /** {@code lb_add_del_as_v2} with {@code is_del}; {@code flush} evicts its sticky flows at once. */
    record DelAs(LbVip vip, InetAddress as, boolean flush) implements LbOp {
        public DelAs {
            Objects.requireNonNull(vip, "vip");
            Objects.requireNonNull(as, "as");
        }
    }

    /**
     * {@code lb_as_set_weight}.
     *
     * @param previous the weight VPP had (for the log), -1 when unknown
     */
    record SetWeight(LbVip vip, InetAddress as, int weight, boolean flush, int previous) implements LbOp {
        public SetWeight {
            Objects.requireNonNull(vip, "vip");
            Objects.requireNonNull(as, "as");
        }
    }
}
