package dev.vppmaglev.vpp;

import dev.vppmaglev.vpp.api.LbCapability;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What is known about the connected VPP (for {@code show vpp info}, {@code GetVPPInfo} and the
 * {@code maglev_vpp_*} gauges).
 *
 * @param connected      whether a session is up (all other fields are empty when not)
 * @param program        {@code show_version_reply.program}, e.g. {@code vpe}
 * @param version        e.g. {@code 26.10-rc0~374-gb575ec2c56d}
 * @param buildDate      e.g. {@code 2026-11-21T07:29:40}
 * @param buildDirectory often empty
 * @param pid            VPP's process id ({@code control_ping_reply.vpe_pid})
 * @param connectedSince when this session came up
 * @param clientIndex    our client handle
 * @param lb             lb plugin API generation and what is missing
 */
public record VppInfo(boolean connected, String program, String version, String buildDate, String buildDirectory,
                      int pid, Instant connectedSince, int clientIndex, LbCapability lb) {
    /** Not connected. */
    public static final VppInfo DISCONNECTED = new VppInfo(false, "", "", "", "", 0, Instant.EPOCH, 0,
            new LbCapability(false, List.of()));

    public VppInfo {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(buildDate, "buildDate");
        Objects.requireNonNull(buildDirectory, "buildDirectory");
        Objects.requireNonNull(connectedSince, "connectedSince");
        Objects.requireNonNull(lb, "lb");
    }

    /** Whether every lb v2 message is present. */
    public boolean lbV2Supported() {
        return lb.v2Supported();
    }

    /** Empty when {@link #lbV2Supported()}, else why and what degraded mode means. */
    public String degradedReason() {
        return connected ? lb.degradedReason() : "not connected";
    }
}
