package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.msg.LbEncap;

/**
 * The lb plugin's internal {@code lb_vip_type_t} (src/plugins/lb/lb.h) in its order, with the
 * names {@code format_lb_vip_type} prints.
 */
enum VipType {
    IP6_GRE6("ip6-gre6"),
    IP6_GRE4("ip6-gre4"),
    IP4_GRE6("ip4-gre6"),
    IP4_GRE4("ip4-gre4"),
    IP4_L3DSR("ip4-l3dsr"),
    IP4_NAT4("ip4-nat4"),
    IP6_NAT6("ip6-nat6");

    final String text;

    VipType(String text) {
        this.text = text;
    }

    /** {@code lb_vip_is_ip4}: the VIP itself is IPv4. */
    boolean vipIp4() {
        return this == IP4_GRE6 || this == IP4_GRE4 || this == IP4_L3DSR || this == IP4_NAT4;
    }

    /** {@code lb_encap_is_ip4}: application servers are IPv4. */
    boolean encapIp4() {
        return this == IP6_GRE4 || this == IP4_GRE4 || this == IP4_L3DSR || this == IP4_NAT4;
    }

    boolean nat() {
        return this == IP4_NAT4 || this == IP6_NAT6;
    }

    /** {@code lb_vip_type_to_api_encap}. */
    LbEncap apiEncap() {
        return switch (this) {
            case IP4_GRE4, IP6_GRE4 -> LbEncap.GRE4;
            case IP4_GRE6, IP6_GRE6 -> LbEncap.GRE6;
            case IP4_L3DSR -> LbEncap.L3DSR;
            case IP4_NAT4 -> LbEncap.NAT4;
            case IP6_NAT6 -> LbEncap.NAT6;
        };
    }

    /**
     * The API handler's mapping of (prefix family, encap) to a type (api.c): unmapped pairs stay
     * type 0 = {@link #IP6_GRE6} (so an IPv4 prefix then fails -97 and an IPv6 prefix silently
     * becomes ip6-gre6).
     */
    static VipType fromApi(boolean prefixIp4, int encap) {
        if (prefixIp4) {
            return switch (encap) {
                case 0 -> IP4_GRE4;
                case 1 -> IP4_GRE6;
                case 2 -> IP4_L3DSR;
                case 3 -> IP4_NAT4;
                default -> IP6_GRE6;
            };
        }
        return switch (encap) {
            case 0 -> IP6_GRE4;
            case 1 -> IP6_GRE6;
            case 4 -> IP6_NAT6;
            default -> IP6_GRE6;
        };
    }
}
