package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.msg.LbVip;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static dev.vppmaglev.vpp.lb.TestConfigs.ip;
import static org.assertj.core.api.Assertions.assertThat;

class IpOrderTest {
    @Test
    void numericOrderWithIpv4BeforeIpv6() {
        List<InetAddress> in = List.of(ip("::1"), ip("10.0.0.10"), ip("2001:db8::9"), ip("10.0.0.9"),
                ip("192.168.0.1"), ip("2001:db8::10"), ip("9.255.255.255"), ip("255.0.0.1"));
        assertThat(IpOrder.sortedIPKeys(in)).containsExactly(ip("9.255.255.255"), ip("10.0.0.9"), ip("10.0.0.10"),
                ip("192.168.0.1"), ip("255.0.0.1"), ip("::1"), ip("2001:db8::9"), ip("2001:db8::10"));
    }

    @Test
    void notStringOrderAndIndependentOfInputOrder() {
        List<InetAddress> a = new ArrayList<>(List.of(ip("10.0.0.10"), ip("10.0.0.9"), ip("10.0.0.100")));
        List<InetAddress> b = new ArrayList<>(a.reversed());
        assertThat(IpOrder.sortedIPKeys(a)).isEqualTo(IpOrder.sortedIPKeys(b))
                .containsExactly(ip("10.0.0.9"), ip("10.0.0.10"), ip("10.0.0.100"));
        // unsigned bytes: 128.x sorts after 127.x (signed bytes would put it first)
        assertThat(IpOrder.compare(ip("128.0.0.1"), ip("127.0.0.1"))).isPositive();
        assertThat(IpOrder.compare(ip("::1"), ip("255.255.255.255"))).isPositive();
    }

    @Test
    void vipOrderByAddressThenProtocolThenPort() {
        LbVip a = LbVip.host(ip("10.0.0.10"), 6, 80);
        LbVip b = LbVip.host(ip("10.0.0.9"), 17, 53);
        LbVip c = LbVip.host(ip("10.0.0.9"), 6, 443);
        LbVip d = LbVip.host(ip("10.0.0.9"), 6, 80);
        LbVip e = LbVip.host(ip("::1"), 6, 80);
        assertThat(new ArrayList<>(List.of(e, a, b, c, d)).stream().sorted(IpOrder.VIPS).toList())
                .containsExactly(d, c, b, a, e);
    }
}
