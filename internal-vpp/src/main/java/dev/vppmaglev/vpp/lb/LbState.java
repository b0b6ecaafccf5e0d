package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.msg.LbConf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * VPP's whole lb table as read back for {@code GetVPPLBState} / {@code show vpp lb state}
 * (behaviour.md §5.7).
 *
 * @param conf the plugin's global settings ({@code lb_conf_get}); empty on a VPP without that
 *             message (degraded mode)
 * @param vips every live VIP in VPP's dump order
 */
public record LbState(Optional<LbConf> conf, List<LbVipState> vips) {
    public LbState {
        Objects.requireNonNull(conf, "conf");
        vips = List.copyOf(vips);
    }
}
