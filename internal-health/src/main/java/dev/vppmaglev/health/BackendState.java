package dev.vppmaglev.health;

import java.util.Locale;

/**
 * A backend's health state (behaviour.md §3.3).
 *
 * <p>The declaration order is the reference's Go {@code iota} order, so {@link #ordinal()} is the
 * value exported by the {@code maglev_backend_state} gauge: unknown = 0, up = 1, down = 2,
 * paused = 3, disabled = 4, removed = 5.
 */
public enum BackendState {
    /** Initial state; also entered after resume and enable. Not probed yet. */
    UNKNOWN,
    /** Healthy: the rise/fall counter is at least {@code rise}; eligible for traffic. */
    UP,
    /** Failed enough probes: the counter is below {@code rise}. */
    DOWN,
    /** The operator stopped health checking; no probes are sent; weight drains to 0 without flush. */
    PAUSED,
    /** The operator (or YAML {@code enabled: false}) disabled the backend; weight 0 with flush. */
    DISABLED,
    /** Gone from the config after a reload; reported once, then the backend is dropped. */
    REMOVED;

    /** The lower-case name used in logs, events and the CLI: {@code unknown}, {@code up}, ... */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a probe loop runs in this state (unknown, up, down); results in other states are ignored. */
    public boolean probing() {
        return this == UNKNOWN || this == UP || this == DOWN;
    }
}
