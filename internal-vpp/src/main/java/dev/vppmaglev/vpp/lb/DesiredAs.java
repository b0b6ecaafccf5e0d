package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.IpFormat;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What one application server of a VIP should be in VPP ({@code desiredAS} of behaviour.md §5.3).
 *
 * @param address the AS (a backend's address)
 * @param weight  VPP weight 0..100 from {@code Weights.effectiveWeights}
 * @param flush   drop the AS's sticky flows when it is at weight 0 ({@code is_flush})
 */
public record DesiredAs(InetAddress address, int weight, boolean flush) {
    public DesiredAs {
        Objects.requireNonNull(address, "address");
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("AS weight " + weight + " out of range 0..100");
        }
    }

    @Override
    public String toString() {
        return IpFormat.format(address) + " weight " + weight + (flush ? " flush" : "");
    }
}
