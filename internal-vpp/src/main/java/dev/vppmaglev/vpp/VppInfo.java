package dev.vppmaglev.vpp;

import dev.vppmaglev.vpp.api.LbCapability;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param bootTime       when VPP started: {@code /sys/boottime} of the stats segment (whole
 *                       seconds, VPP src/vlib/stats/collector.c); empty when not connected or
 *                       when the stats segment is disabled ({@code --vpp-stats-addr ""})
 */
public record VppInfo(boolean connected, String program, String version, String buildDate, String buildDirectory,
                      int pid, Instant connectedSince, int clientIndex, LbCapability lb, Optional<Instant> bootTime) {
    /** Not connected. */
    public static final VppInfo DISCONNECTED = new VppInfo(false, "", "", "", "", 0, Instant.EPOCH, 0,
            new LbCapability(false, List.of()), Optional.empty());

    public VppInfo {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(buildDate, "buildDate");
        Objects.requireNonNull(buildDirectory, "buildDirectory");
        Objects.requireNonNull(connectedSince, "connectedSince");
        Objects.requireNonNull(lb, "lb");
        Objects.requireNonNull(bootTime, "bootTime");
    }

    /** Without a boot time (no stats segment). */
    public VppInfo(boolean connected, String program, String version, String buildDate, String buildDirectory,
                   int pid, Instant connectedSince, int clientIndex, LbCapability lb) {
        this(connected, program, version, buildDate, buildDirectory, pid, connectedSince, clientIndex, lb,
                Optional.empty());
    }

    /**
     * How long VPP has been running at {@code now} ({@code maglev_vpp_uptime_seconds}); empty
     * when the boot time is unknown. Never negative (clocks of VPP and maglevd may disagree by a
     * second: {@code /sys/boottime} is truncated to whole seconds).
     */
    public Optional<Duration> uptime(Instant now) {
        Objects.requireNonNull(now, "now");
        return bootTime.map(b -> now.isBefore(b) ? Duration.ZERO : Duration.between(b, now));
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
