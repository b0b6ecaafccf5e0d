package dev.vppmaglev.health;

import java.util.Locale;

/**
 * A frontend's aggregate state (behaviour.md §4.3), computed by {@link Weights#frontendState}.
 * The ordinal (unknown = 0, up = 1, down = 2) is the metric value.
 */
public enum FrontendState {
    /** Every backend the frontend references is still {@link BackendState#UNKNOWN}. */
    UNKNOWN,
    /** At least one member has an effective weight above 0: the VIP can take traffic. */
    UP,
    /** Otherwise: nothing would receive traffic. */
    DOWN;

    /** The lower-case name used in logs, events and the CLI: {@code unknown}, {@code up}, {@code down}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
