package dev.vppmaglev.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpTextTest {
    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "2001:db8:0:0:0:0:0:254, 2001:db8::254",
        "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",     // tie: the first run is compressed
        "1:0:0:1:0:0:0:1, 1:0:0:1::1",                 // the longest run wins
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",  // a single zero group stays
        "fe80:0:0:0:0:0:0:0, fe80::",
    })
    void formatsAsRfc5952AndVpp(String in, String want) throws Exception {
        assertThat(IpText.format(InetAddress.getByName(in))).isEqualTo(want);
    }
}
