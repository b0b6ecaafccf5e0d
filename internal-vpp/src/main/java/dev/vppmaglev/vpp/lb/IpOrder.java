package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.msg.LbVip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which application servers are pushed to VPP: numeric, every IPv4 address before
 * every IPv6 address, ascending inside a family ({@code sortedIPKeys} of the reference,
 * behaviour.md §5.4 and §13 item 5). VPP breaks Maglev bucket ties by AS insertion order, so two
 * maglevds must issue identical sequences; map order or string order ({@code 10.0.0.10} before
 * {@code 10.0.0.9}) would not.
 */
public final class IpOrder {
    private IpOrder() {}

    /** IPv4 before IPv6, then the address bytes as unsigned numbers. */
    public static final Comparator<InetAddress> ADDRESSES = IpOrder::compare;

    /** VIP keys: prefix address ({@link #ADDRESSES}), prefix length, protocol, port. */
    public static final Comparator<LbVip> VIPS = Comparator.<LbVip, InetAddress>comparing(v -> v.pfx().address(),
                    ADDRESSES)
            .thenComparingInt(v -> v.pfx().len())
            .thenComparingInt(LbVip::protocol)
            .thenComparingInt(LbVip::port);

    /** {@code a} compared with {@code b} in AS push order. */
    public static int compare(InetAddress a, InetAddress b) {
        boolean a4 = a instanceof Inet4Address;
        boolean b4 = b instanceof Inet4Address;
        if (a4 != b4) {
            return a4 ? -1 : 1;
        }
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }

    /** The addresses in push order, e.g. {@code 10.0.0.9, 10.0.0.10, ::1}. */
    public static List<InetAddress> sortedIPKeys(Collection<? extends InetAddress> addresses) {
        return addresses.stream().<InetAddress>map(a -> a).sorted(ADDRESSES).toList();
    }
}
