package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.msg.LbVip;

import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One application server of one VIP as VPP reports it, from {@code lb_as_v2_dump} or, on an
 * older VPP, {@code lb_as_dump} (which knows neither weight nor buckets).
 *
 * @param vip        the VIP
 * @param address    the AS
 * @param used       false: deleted, waiting for garbage collection
 * @param inUseSince VPP uptime in seconds at deletion, 0 if never deleted
 * @param weight     its weight (v2 only)
 * @param buckets    new-flow buckets it owns (v2 only)
 */
public record AsEntry(LbVip vip, InetAddress address, boolean used, int inUseSince, OptionalInt weight,
                      OptionalInt buckets) {
    public AsEntry {
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(buckets, "buckets");
    }
}
