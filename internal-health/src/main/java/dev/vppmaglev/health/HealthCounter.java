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
 *   <li>When a result changes the state the counter jumps to the far end, as HAProxy's
 *       {@code check.c} does: coming up sets {@code max}, going down sets 0. So a backend that
 *       just came up needs {@code fall} consecutive failures to go down, and one that just went
 *       down needs {@code rise} passes to come back: the state never changes faster than rise
 *       and fall allow, even when results alternate right at the threshold. Mixed results inside
 *       a band (degraded) only move the counter.</li>
 *   <li>Entering {@link BackendState#UNKNOWN} (new backend, resume, enable) presets
 *       {@code value = rise - 1} ({@link #expedited}): the first probe decides; one pass is up
 *       ({@code max}), one failure is down at once (0).</li>
 *   <li>A probe loop restarted by a reload (changed check or address) keeps the backend's state
 *       and places the counter at the edge of that state's band ({@link #atBandEdge}): up at
 *       {@code rise}, so one failure of the new check takes it down; down at {@code rise - 1},
 *       so one pass brings it up. The first probe decides, as for unknown, without passing
 *       through unknown (weight 0).</li>
 * </ul>
 *
 * <p>Why the jump (the reference text describes only ±1): without it a backend whose results
 * alternate at the threshold ({@code rise - 1} ↔ {@code rise}) would change state on every probe,
 * which the hysteresis exists to prevent.
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

    /**
     * The counter for a backend in {@code state} whose probe loop restarts with {@code check}
     * while keeping its state (a reload changed its check or address): {@link BackendState#UP}
     * → {@code rise} (the lowest healthy value), {@link BackendState#DOWN} → {@code rise - 1} (the
     * highest unhealthy value), any other state → {@link #expedited}. So the first result of the
     * new loop decides: a failure takes an up backend down (counter 0), a pass brings a down
     * backend up (counter {@code max}).
     */
    public static HealthCounter atBandEdge(HealthCheck check, BackendState state) {
        int rise = check.rise();
        return new HealthCounter(rise, check.fall(), state == BackendState.UP ? rise : rise - 1);
    }

    /** The top of the counter: {@code rise + fall - 1}. */
    public int max() {
        return rise + fall - 1;
    }

    /** Whether the counter says healthy: {@code value >= rise}. */
    public boolean healthy() {
        return value >= rise;
    }

    /**
     * The counter after one probe result of a backend in {@code current} state ({@code UNKNOWN},
     * {@code UP} or {@code DOWN}): ±1, then a jump to {@code max} when it enters the up band from
     * outside it, or to 0 when it leaves UP or UNKNOWN for the down band.
     */
    public HealthCounter record(boolean passed, BackendState current) {
        int next = passed ? Math.min(value + 1, max()) : Math.max(value - 1, 0);
        if (next >= rise && current != BackendState.UP) {
            next = max();
        } else if (next < rise && current != BackendState.DOWN) {
            next = 0;
        }
        return next == value ? this : new HealthCounter(rise, fall, next);
    }

    /** {@link #record(boolean, BackendState)} for a backend in the state this counter stands for. */
    public HealthCounter record(boolean passed) {
        return record(passed, probedState());
    }

    /** The probed state this counter stands for: {@link BackendState#UP} if healthy, else {@link BackendState#DOWN}. */
    public BackendState probedState() {
        return healthy() ? BackendState.UP : BackendState.DOWN;
    }
}
