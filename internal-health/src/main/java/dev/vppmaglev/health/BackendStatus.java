package dev.vppmaglev.health;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one backend's health, for gRPC ({@code BackendInfo}), the CLI and metrics.
 *
 * @param name             backend name
 * @param address          the address probed (and programmed into VPP)
 * @param healthcheck      name of its health check
 * @param state            current state
 * @param enabled          the runtime enabled flag (YAML {@code enabled}, changed by enable/disable)
 * @param counter          the rise/fall counter, 0..{@link #healthMax()}
 * @param rise             the check's rise
 * @param fall             the check's fall
 * @param lastResult       the last probe result, or the {@code paused}/{@code disabled} record of
 *                         an operator action; {@code null} before the first probe
 * @param lastProbeAt      when {@code lastResult} was recorded; {@code null} before
 * @param lastTransitionAt when the state last changed; {@code null} if it never did
 * @param transitions      the last {@code transition-history} transitions, oldest first
 * @param frontends        names of the frontends referencing this backend, in config order
 */
public record BackendStatus(
        String name,
        InetAddress address,
        String healthcheck,
        BackendState state,
        boolean enabled,
        int counter,
        int rise,
        int fall,
        ProbeResult lastResult,
        Instant lastProbeAt,
        Instant lastTransitionAt,
        List<BackendTransition> transitions,
        List<String> frontends) {

    public BackendStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(healthcheck, "healthcheck");
        Objects.requireNonNull(state, "state");
        transitions = List.copyOf(transitions);
        frontends = List.copyOf(frontends);
    }

    /** Top of the counter: {@code rise + fall - 1}. */
    public int healthMax() {
        return rise + fall - 1;
    }
}
