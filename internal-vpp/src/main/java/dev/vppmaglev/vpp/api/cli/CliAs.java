package dev.vppmaglev.vpp.api.cli;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One application server line of {@code show lb vips verbose}:
 * {@code <address> weight:<w> buckets:<n> flows:<refcount> dpo:<index> used|" removed"}.
 *
 * @param address the AS
 * @param weight  its weight
 * @param buckets new-flow buckets it owns
 * @param flows   sticky flows referencing it (summed over threads)
 * @param dpo     index of the load-balance DPO of the AS's host route
 * @param used    false for an AS deleted but not yet garbage-collected
 */
public record CliAs(InetAddress address, int weight, int buckets, long flows, int dpo, boolean used) {
    public CliAs {
        Objects.requireNonNull(address, "address");
    }
}
