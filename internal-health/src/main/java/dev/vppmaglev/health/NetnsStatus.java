package dev.vppmaglev.health;

import java.util.Objects;

/**
 * Where the probes run: the network namespace asked for ({@code healthchecker.netns}) and, when
 * probes cannot run there, why.
 *
 * @param namespace the namespace name under {@code /run/netns}; empty = the daemon's own namespace
 * @param error     {@code null} when probes run in {@code namespace}; else the reason every probe
 *                  fails with {@code L4CON}, e.g.
 *                  {@code enter netns "dataplane": operation not permitted (setns needs CAP_SYS_ADMIN)}
 */
public record NetnsStatus(String namespace, String error) {
    /** Probes run in the daemon's own namespace. */
    public static final NetnsStatus OWN = new NetnsStatus("", null);

    public NetnsStatus {
        Objects.requireNonNull(namespace, "namespace");
    }

    /** Whether probes run where they were asked to. */
    public boolean ok() {
        return error == null;
    }
}
