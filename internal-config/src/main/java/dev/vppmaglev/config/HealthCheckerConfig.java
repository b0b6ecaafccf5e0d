package dev.vppmaglev.config;

/**
 * {@code maglev.healthchecker}: settings shared by every probe.
 *
 * @param transitionHistory how many state transitions each backend keeps (>= 1, default 5)
 * @param netns             name of the network namespace (under {@code /run/netns}) in which every
 *                          probe runs; empty = the daemon's own namespace
 */
public record HealthCheckerConfig(int transitionHistory, String netns) {
    public static final int DEFAULT_TRANSITION_HISTORY = 5;

    public static final HealthCheckerConfig DEFAULTS =
            new HealthCheckerConfig(DEFAULT_TRANSITION_HISTORY, "");

    public HealthCheckerConfig {
        netns = netns == null ? "" : netns;
    }
}
