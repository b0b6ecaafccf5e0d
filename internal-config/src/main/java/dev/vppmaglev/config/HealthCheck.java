package dev.vppmaglev.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code maglev.healthchecks.<name>}: how to probe a backend and how to judge it.
 *
 * <p>Interval choice (behaviour.md §3.5): {@code interval} while fully up (counter at its
 * maximum), {@code downInterval} while fully down (counter 0), {@code fastInterval} otherwise
 * (degraded or unknown). Each is jittered by ±10 % at run time.
 *
 * @param name          the key under {@code healthchecks}
 * @param type          probe type
 * @param port          destination port 1..65535 for tcp/http/https; 0 for icmp
 * @param interval      probe period while fully up (default 2 s, >= 100 ms)
 * @param fastInterval  probe period while degraded or unknown (default = interval)
 * @param downInterval  probe period while fully down (default = interval)
 * @param timeout       per-probe timeout (default 1 s, > 0, at most {@link #MAX_TIMEOUT})
 * @param rise          consecutive passes from fully down to up (default 2, >= 1)
 * @param fall          consecutive failures from fully up to down (default 3, >= 1)
 * @param probeIpv4Src  source address for IPv4 probes; {@code null} = the OS picks
 * @param probeIpv6Src  source address for IPv6 probes; {@code null} = the OS picks
 * @param params        type-specific parameters: {@link HttpParams} for http/https,
 *                      {@link TcpParams} for tcp, {@link IcmpParams} for icmp
 */
public record HealthCheck(
        String name,
        CheckType type,
        int port,
        Duration interval,
        Duration fastInterval,
        Duration downInterval,
        Duration timeout,
        int rise,
        int fall,
        Inet4Address probeIpv4Src,
        Inet6Address probeIpv6Src,
        ProbeParams params) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /**
     * The longest {@code timeout} the loader accepts: 1 h. A probe that may take longer is not a
     * health check, and the bound keeps the prober's timer arithmetic far from overflow.
     */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;

    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(fastInterval, "fastInterval");
        Objects.requireNonNull(downInterval, "downInterval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(params, "params");
    }

    /** Top of the rise/fall counter: {@code rise + fall - 1} (behaviour.md §3.4). */
    public int healthMax() {
        return rise + fall - 1;
    }

    /**
     * Whether {@code other} probes the same way: every field but the name. A reload keeps a
     * backend's worker (and its runtime state) running when its check is the same in this sense.
     */
    public boolean sameProbe(HealthCheck other) {
        return other != null && this.equals(new HealthCheck(name, other.type, other.port,
                other.interval, other.fastInterval, other.downInterval, other.timeout, other.rise,
                other.fall, other.probeIpv4Src, other.probeIpv6Src, other.params));
    }
}
