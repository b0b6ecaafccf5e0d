package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.cli.CliLbMain;
import dev.vppmaglev.vpp.api.cli.ShowLbParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code show lb}: the source addresses, the only way to read them without {@code lb_conf_get}. */
class ShowLbParserTest {
    private static final CliLbMain GOLDEN = new CliLbMain((Inet4Address) IpFormat.parse("192.0.2.254"),
            (Inet6Address) IpFormat.parse("2001:db8::254"));

    @TestFactory
    Stream<DynamicTest> everyGoldenTextGivesTheConfiguredAddresses() {
        List<Path> files = Golden.cliFiles("show-lb*.txt").stream()
                .filter(p -> !p.getFileName().toString().startsWith("show-lb-vips")).toList();
        assertThat(files).hasSize(4);
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> assertThat(ShowLbParser.parse(Golden.read(p))).isEqualTo(GOLDEN)));
    }

    @Test
    void unsetAddressesAndCrlfText() {
        String text = "lb_main ip4-src-address: 255.255.255.255 \r\n ip6-src-address: ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff \r\n"
                + " #vips: 0\r\n #ass: 0\r\n";
        CliLbMain m = ShowLbParser.parse(text);
        assertThat(IpFormat.format(m.ip4SrcAddress())).isEqualTo("255.255.255.255");
        assertThat(m.ip6SrcAddress().getAddress()).containsOnly((byte) 0xff);
    }

    @Test
    void aTextWithoutTheAddressesFailsClearly() {
        assertThatThrownBy(() -> ShowLbParser.parse("unknown input `show lb'\n"))
                .isInstanceOf(VppProtocolException.class).hasMessageContaining("ip4-src-address");
        assertThatThrownBy(() -> ShowLbParser.parse("lb_main ip4-src-address: 2001:db8::1 \n ip6-src-address: ::1 \n"))
                .isInstanceOf(VppProtocolException.class).hasMessageContaining("other family");
    }
}
