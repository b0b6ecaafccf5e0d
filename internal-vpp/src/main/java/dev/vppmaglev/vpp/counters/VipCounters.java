package dev.vppmaglev.vpp.counters;

import dev.vppmaglev.vpp.api.msg.Prefix;

import java.util.Objects;

/**
 * The counters of one configured VIP at one scrape (gRPC {@code VIPCounters}, Prometheus
 * {@code maglev_vip_packets_total}, {@code maglev_vip_route_packets_total},
 * {@code maglev_vip_route_bytes_total}). All values are totals since the VIP was created in VPP
 * (VPP zeroes a VIP's lb counters when it creates the VIP and a route's counters when it creates
 * the FIB entry), summed over VPP's threads; they restart from 0 after a VPP restart. A VIP that
 * VPP does not have (yet) reads 0 everywhere.
 *
 * @param frontend   the frontend that configures this VIP
 * @param prefix     the VIP's host prefix, e.g. {@code 192.0.2.1/32}
 * @param protocol   6 TCP, 17 UDP, 255 every protocol (all-port VIP)
 * @param port       L4 port, 0 for an all-port VIP
 * @param first      packets, lb {@code first session packet}: new flows assigned an AS from the
 *                   Maglev table
 * @param next       packets, lb {@code packet from existing sessions}: packets of flows already in
 *                   the sticky table
 * @param untracked  packets, lb {@code untracked packet}: forwarded without a sticky-table entry
 *                   (the table was full)
 * @param noServer   packets, lb {@code no server configured}: new flows dropped because no AS has
 *                   a weight
 * @param fibPackets packets, {@code /net/route/to} of the VIP's host route (every port of the
 *                   prefix, so VIPs sharing an address show the same value)
 * @param fibBytes   bytes, {@code /net/route/to} of the VIP's host route
 */
public record VipCounters(String frontend, Prefix prefix, int protocol, int port, long first, long next,
                          long untracked, long noServer, long fibPackets, long fibBytes) {
    public VipCounters {
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(prefix, "prefix");
    }
}
