package dev.vppmaglev.health;

import dev.vppmaglev.config.HealthCheck;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a backend is probed next (behaviour.md §3.5).
 *
 * <p>The base interval: the check's {@code interval} when the counter is at its maximum (fully
 * up); {@code down-interval} when the state is {@link BackendState#DOWN} and the counter is 0
 * (fully down); {@code fast-interval} otherwise (degraded, or {@link BackendState#UNKNOWN}). The
 * delay actually used is the base jittered by ±10 % so that probes of many backends do not stay
 * aligned after a restart.
 */
public final class Intervals {
    /** Jitter amplitude: ±10 % of the base interval. */
    public static final double JITTER = 0.10;

    /** The longest delay of a {@link #prompt} probe: 1 s (shorter when the fast interval is). */
    public static final Duration PROMPT_SPREAD = Duration.ofSeconds(1);

    private Intervals() {}

    /** The un-jittered interval for a backend in {@code state} with {@code counter}. */
    public static Duration base(HealthCheck check, BackendState state, HealthCounter counter) {
        if (counter.value() == counter.max()) {
            return check.interval();
        }
        if (state == BackendState.DOWN && counter.value() == 0) {
            return check.downInterval();
        }
        return check.fastInterval();
    }

    /**
     * {@code base} scaled by a uniform factor in {@code [0.9, 1.1)} drawn from {@code random}.
     * Zero stays zero; a negative base counts as zero; the result is at most
     * {@code Long.MAX_VALUE} ns (saturated, never an overflow).
     */
    public static Duration jitter(Duration base, RandomGenerator random) {
        long nanos = saturatedNanos(base);
        double factor = 1.0 - JITTER + 2 * JITTER * random.nextDouble();
        return Duration.ofNanos(Math.round(nanos * factor));
    }

    /** {@link #jitter}({@link #base}(...)): the delay until the next probe. */
    public static Duration next(HealthCheck check, BackendState state, HealthCounter counter, RandomGenerator random) {
        return jitter(base(check, state, counter), random);
    }

    /**
     * Delay of the first probe after a worker (re)starts: uniform in {@code [0, fast-interval)}, so
     * thousands of backends starting together are spread over one fast interval instead of being
     * probed in one burst.
     */
    public static Duration first(HealthCheck check, RandomGenerator random) {
        return Duration.ofNanos((long) (saturatedNanos(check.fastInterval()) * random.nextDouble()));
    }

    /**
     * Delay of the first probe after a reload restarted a worker's loop in place (changed check or
     * address; the state is kept): uniform in {@code [0, min(fast-interval, PROMPT_SPREAD))}, so the
     * new check or address is judged within a second, and thousands of backends changed by one
     * reload are still spread out.
     */
    public static Duration prompt(HealthCheck check, RandomGenerator random) {
        long spread = Math.min(saturatedNanos(check.fastInterval()), PROMPT_SPREAD.toNanos());
        return Duration.ofNanos((long) (spread * random.nextDouble()));
    }

    /**
     * {@code d} in nanoseconds, saturated to {@code [0, Long.MAX_VALUE]} (about 292 years) instead
     * of throwing: delays computed from a config built in code (the loader bounds its durations)
     * can never kill a probe timer with an {@link ArithmeticException}.
     */
    static long saturatedNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : d.toNanos();
    }
}
