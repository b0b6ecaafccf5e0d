package dev.vppmaglev.vpp.api.cli;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Objects;

/**
 * The global part of {@code show lb} (VPP src/plugins/lb/lb.c {@code format_lb_main};
 * vpp-wire.md §5.3): the source addresses of the encapsulated packets. It is the only way to read
 * them on a VPP without {@code lb_conf_get} (lb plugin API older than 1.2.0).
 *
 * @param ip4SrcAddress {@code ip4-src-address}; VPP's "unset" is 255.255.255.255
 * @param ip6SrcAddress {@code ip6-src-address}; VPP's "unset" is all ones
 */
public record CliLbMain(Inet4Address ip4SrcAddress, Inet6Address ip6SrcAddress) {
    public CliLbMain {
        Objects.requireNonNull(ip4SrcAddress, "ip4SrcAddress");
        Objects.requireNonNull(ip6SrcAddress, "ip6SrcAddress");
    }
}
