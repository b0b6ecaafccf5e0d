package dev.vppmaglev.health;

import static dev.vppmaglev.health.Fixtures.fixedRandom;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntervalsTest {
    private static final HealthCheck CHECK = Fixtures.check("c", CheckType.TCP).port(80)
            .intervals(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(10))
            .riseFall(2, 3).build();

    @ParameterizedTest(name = "{0} counter={1} rise={2} fall={3} -> {4}")
    @CsvSource(textBlock = """
            UP,      4, 2, 3, interval
            UP,      3, 2, 3, fast
            UP,      2, 2, 3, fast
            DOWN,    1, 2, 3, fast
            DOWN,    0, 2, 3, down
            UNKNOWN, 1, 2, 3, fast
            UNKNOWN, 0, 1, 3, fast
            UP,      1, 1, 1, interval
            DOWN,    0, 1, 1, down
            """)
    void baseIntervalFollowsCounterAndState(BackendState state, int counter, int rise, int fall, String which) {
        HealthCounter c = new HealthCounter(rise, fall, counter);
        Duration expected = switch (which) {
            case "interval" -> CHECK.interval();
            case "fast" -> CHECK.fastInterval();
            default -> CHECK.downInterval();
        };
        assertThat(Intervals.base(CHECK, state, c)).isEqualTo(expected);
    }

    @Test
    void jitterIsPlusMinusTenPercent() {
        Duration base = Duration.ofSeconds(2);
        assertThat(Intervals.jitter(base, fixedRandom(0.0))).isEqualTo(Duration.ofMillis(1800));
        assertThat(Intervals.jitter(base, fixedRandom(0.5))).isEqualTo(Duration.ofMillis(2000));
        assertThat(Intervals.jitter(base, fixedRandom(Math.nextDown(1.0))))
                .isBetween(Duration.ofMillis(2199), Duration.ofMillis(2200));
        SplittableRandom random = new SplittableRandom(42);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            Duration d = Intervals.jitter(base, random);
            assertThat(d).isBetween(Duration.ofMillis(1800), Duration.ofMillis(2200));
            seen.add(d);
        }
        assertThat(seen).as("jitter actually varies").hasSizeGreaterThan(1000);
    }

    @Test
    void firstProbeIsSpreadOverOneFastInterval() {
        assertThat(Intervals.first(CHECK, fixedRandom(0.0))).isEqualTo(Duration.ZERO);
        assertThat(Intervals.first(CHECK, fixedRandom(0.5))).isEqualTo(Duration.ofMillis(250));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            assertThat(Intervals.first(CHECK, random)).isGreaterThanOrEqualTo(Duration.ZERO)
                    .isLessThan(CHECK.fastInterval());
        }
    }

    @Test
    void aPromptProbeComesWithinASecondOrOneFastInterval() {
        HealthCheck slow = Fixtures.check("slow", CheckType.TCP).port(80)
                .intervals(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60)).build();
        assertThat(Intervals.prompt(slow, fixedRandom(0.0))).isEqualTo(Duration.ZERO);
        assertThat(Intervals.prompt(slow, fixedRandom(0.5))).isEqualTo(Duration.ofMillis(500));
        assertThat(Intervals.prompt(CHECK, fixedRandom(0.5))).as("fast interval 500ms").isEqualTo(Duration.ofMillis(250));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            assertThat(Intervals.prompt(slow, random)).isGreaterThanOrEqualTo(Duration.ZERO)
                    .isLessThan(Intervals.PROMPT_SPREAD);
        }
    }

    @Test
    void nextCombinesBaseAndJitter() {
        HealthCounter top = new HealthCounter(2, 3, 4);
        assertThat(Intervals.next(CHECK, BackendState.UP, top, fixedRandom(0.0))).isEqualTo(Duration.ofMillis(1800));
    }

    @Test
    void durationsBeyondLongNanosSaturateInsteadOfThrowing() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
        assertThat(Intervals.saturatedNanos(huge)).isEqualTo(Long.MAX_VALUE);
        assertThat(Intervals.saturatedNanos(Duration.ofNanos(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Intervals.saturatedNanos(Duration.ofSeconds(-1))).isZero();
        assertThat(Intervals.saturatedNanos(Duration.ofMillis(1500))).isEqualTo(1_500_000_000L);
        assertThat(Intervals.jitter(huge, fixedRandom(0.99))).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        HealthCheck slow = Fixtures.check("slow", CheckType.TCP).port(80).interval(huge).build();
        assertThat(Intervals.first(slow, fixedRandom(0.5))) // half of it, to double precision
                .isBetween(Duration.ofNanos(Long.MAX_VALUE / 2 - 1024), Duration.ofNanos(Long.MAX_VALUE / 2 + 1024));
        assertThat(Intervals.next(slow, BackendState.UP, new HealthCounter(2, 3, 4), fixedRandom(0.5)))
                .isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    }
}
