package dev.vppmaglev.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {
    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
            "0, 0",
            "0s, 0",
            "-0, 0",
            "250ms, 250000000",
            "2s, 2000000000",
            "1m30s, 90000000000",
            "1h, 3600000000000",
            "1.5h, 5400000000000",
            ".5s, 500000000",
            "1.s, 1000000000",
            "1us, 1000",
            "1µs, 1000",
            "1μs, 1000",
            "3ns, 3",
            "1.0000000009s, 1000000000",
            "-1.5s, -1500000000",
            "+2s, 2000000000",
            "1h2m3s4ms5us6ns, 3723004005006",
            "2s500ms, 2500000000",
            "2562047h47m16.854775807s, 9223372036854775807",
    })
    void parsesGoDurations(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "30|\"30\" has no unit; write e.g. 30s or 30ms",
            "1.5|\"1.5\" has no unit",
            "2sec|unknown unit \"sec\"",
            "2S|unknown unit \"S\"",
            "s|expected a number at position 1",
            "1..5s|expected a number at position 1",
            "-|a sign alone is not a duration",
            "' 2s'|expected a number at position 1",
            "2 s|unknown unit \" s\"",
            "5s3|missing unit after 3",
            "2562048h|out of range",
            "1e3s|unknown unit \"e\"",
    })
    void refusesWhatGoRefusesWithAClearMessage(String text, String message) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesEmptyAndNull() {
        assertThatThrownBy(() -> GoDuration.parse("")).hasMessageContaining("empty duration");
        assertThatThrownBy(() -> GoDuration.parse(null)).hasMessageContaining("empty duration");
    }

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource({
            "0, 0s",
            "2000000000, 2s",
            "250000000, 250ms",
            "90000000000, 1m30s",
            "3600000000000, 1h",
            "3630000000000, 1h30s",
            "5400000000000, 1h30m",
            "1500000000, 1.5s",
            "61500000000, 1m1.5s",
            "1500000, 1.5ms",
            "800000, 800µs",
            "12, 12ns",
            "-2000000000, -2s",
            "9223372036854775807, 2562047h47m16.854775807s",
    })
    void formatsAsOperatorsWrite(long nanos, String text) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @Test
    void formatHandlesDurationsBeyondGosRange() {
        assertThat(GoDuration.format(Duration.ofHours(3_000_000))).isEqualTo("3000000h");
    }

    @Test
    void formatThenParseRoundTrips() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long nanos = switch (i % 4) {
                case 0 -> r.nextLong();                          // anything in Go's range
                case 1 -> r.nextInt(1_000_000_000);              // below a second
                case 2 -> r.nextInt(86_400) * 1_000_000_000L;    // whole seconds in a day
                default -> r.nextInt(100_000) * 1_000_000L;      // whole milliseconds
            };
            if (nanos == Long.MIN_VALUE) {
                continue;
            }
            Duration d = Duration.ofNanos(nanos);
            String text = GoDuration.format(d);
            assertThat(GoDuration.parse(text)).as(text).isEqualTo(d);
        }
    }
}
