package dev.vppmaglev.health;

import dev.vppmaglev.config.HealthCheck;

/**
 * The rise/fall counter with hysteresis (HAProxy model, behaviour.md §3.4): one saturating
 * integer {@code value} in {@code [0, max]} with {@code max = rise + fall - 1}. Immutable; every
 * transition returns a new counter.
 *
 * <ul>
 *   <li>Healthy iff {@code value >= rise}.</li>
 *   <li>A passed probe adds 1 (at most {@code max}); a failed probe subtracts 1 (at least 0).</li>
 *   <li>From fully up ({@code max}) it takes {@code fall} consecutive failures to go down; from
 *       fully down (0) it takes {@code rise} passes to come up; alternating results near the top
 *       stay inside the up band without flapping.</li>
 *   <li>Entering {@link BackendState#UNKNOWN} (new backend, changed check, resume, enable) presets
 *       {@code value = rise - 1} ({@link #expedited}): the first probe decides, one pass gives
 *       {@code rise} (up), one failure gives {@code max(rise - 2, 0)} (down at once).</li>
 * </ul>
 *
 * <p>Decision on "failure while unknown" (the reference is silent on the counter value): there is
 * no special case. The same "fail subtracts 1" rule applies, so the counter lands on
 * {@code max(rise - 2, 0)}, just below the band a backend falling from up lands on
 * ({@code rise - 1}). Coming back then takes {@code min(rise, 2)} passes, the same kind of short
 * way back as any backend that has only just dropped below {@code rise}; a backend that keeps
 * failing sinks to 0 and then needs the full {@code rise} passes. One rule, one place, and the
 * counter alone decides the state.
 *
 * @param rise  passes needed from 0 to up, >= 1
 * @param fall  failures needed from max to down, >= 1
 * @param value the counter, 0..max
 */
public record HealthCounter(int rise, int fall, int value) {
    public HealthCounter {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be >= 1, got rise=" + rise + " fall=" + fall);
        }
        if (value < 0 || value > rise + fall - 1) {
            throw new IllegalArgumentException("counter " + value + " out of range 0.." + (rise + fall - 1));
        }
    }

    /** The counter for a backend entering {@link BackendState#UNKNOWN}: {@code rise - 1}. */
    public static HealthCounter expedited(int rise, int fall) {
        return new HealthCounter(rise, fall, rise - 1);
    }

    /** {@link #expedited(int, int)} with the check's rise and fall. */
    public static HealthCounter expedited(HealthCheck check) {
        return expedited(check.rise(), check.fall());
    }

    /** The top of the counter: {@code rise + fall - 1}. */
    public int max() {
        return rise + fall - 1;
    }

    /** Whether the counter says healthy: {@code value >= rise}. */
    public boolean healthy() {
        return value >= rise;
    }

    /** The counter after one probe result. */
    public HealthCounter record(boolean passed) {
        int next = passed ? Math.min(value + 1, max()) : Math.max(value - 1, 0);
        return next == value ? this : new HealthCounter(rise, fall, next);
    }

    /** The probed state this counter stands for: {@link BackendState#UP} if healthy, else {@link BackendState#DOWN}. */
    public BackendState probedState() {
        return healthy() ? BackendState.UP : BackendState.DOWN;
    }
}
