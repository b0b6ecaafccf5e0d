package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgesTest {

    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource(textBlock = """
            -5,      now
            0,       now
            1,       1s
            59,      59s
            60,      1m
            630,     10m30s
            3600,    1h
            4320,    1h12m
            4359,    1h12m
            86399,   23h59m
            86400,   1d
            144000,  1d16h
            8640000, 100d
            """)
    void ageIsTheTwoMostSignificantUnits(long seconds, String expected) {
        assertThat(Ages.age(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource(textBlock = """
            0,       0ms
            250,     250ms
            1000,    1s
            1500,    1.5s
            2250,    2.25s
            60000,   1m
            90000,   1m30s
            3600000, 1h
            5430500, 1h30m30.5s
            """)
    void intervalIsAGoDurationTheConfigAccepts(long ms, String expected) {
        assertThat(Ages.interval(ms)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource(textBlock = """
            850000,     850us
            1234000,    1.2ms
            12000000,   12ms
            1250000000, 1.25s
            2000000000, 2s
            """)
    void tookIsShort(long ns, String expected) {
        assertThat(Ages.took(ns)).isEqualTo(expected);
    }
}
