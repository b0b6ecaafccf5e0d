package dev.vppmaglev.vpp.fake;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Argument handling of {@code bin/vpp-fake}: clear errors, exit code 2, nothing started. */
class VppFakeMainTest {
    private static String stderrOf(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            assertThat(VppFakeMain.run(args)).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    @Test
    void badArgumentsExitTwoWithAClearMessage() {
        assertThat(stderrOf()).contains("vpp-fake: --api PATH is required").contains("usage: vpp-fake --api PATH");
        assertThat(stderrOf("--api")).contains("--api needs a value");
        assertThat(stderrOf("--api", "/tmp/x.sock", "--bogus")).contains("unknown argument '--bogus'");
        assertThat(stderrOf("--api", "/tmp/x.sock", "--pid", "x")).contains("--pid needs a number, got 'x'");
    }

    @Test
    void statsIsRefusedUntilTheFakeStatsSegmentIsWiredIn() {
        assertThat(stderrOf("--api", "/tmp/x.sock", "--stats", "/tmp/s.sock")).contains("--stats is not available");
    }
}
