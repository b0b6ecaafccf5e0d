package dev.vppmaglev.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code maglev.vpp.lb}: how maglevd programs VPP's lb plugin (behaviour.md §2.3).
 *
 * <p>{@code ipv4SrcAddress}, {@code ipv6SrcAddress}, {@code stickyBucketsPerCore} and
 * {@code flowTimeout} are the fields of VPP's {@code lb_conf} message (VPP
 * src/plugins/lb/lb.api).
 *
 * @param ipv4SrcAddress       GRE4 encapsulation source; {@code null} when not configured
 * @param ipv6SrcAddress       GRE6 encapsulation source; {@code null} when not configured
 * @param syncInterval         period of the full reconciliation (default 30 s)
 * @param stickyBucketsPerCore established-flow table buckets per worker, a power of two
 *                             (default 65536)
 * @param flowTimeout          idle timeout of established flows, 1 s to 120 s (default 40 s)
 * @param startupMinDelay      hands-off window after start (default 5 s; zero disables)
 * @param startupMaxDelay      end of the per-VIP release phase (default 30 s; zero disables)
 */
public record VppLbConfig(
        Inet4Address ipv4SrcAddress,
        Inet6Address ipv6SrcAddress,
        Duration syncInterval,
        int stickyBucketsPerCore,
        Duration flowTimeout,
        Duration startupMinDelay,
        Duration startupMaxDelay) {

    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_STICKY_BUCKETS_PER_CORE = 65536;
    public static final Duration DEFAULT_FLOW_TIMEOUT = Duration.ofSeconds(40);
    public static final Duration MIN_FLOW_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_FLOW_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_STARTUP_MIN_DELAY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STARTUP_MAX_DELAY = Duration.ofSeconds(30);

    /** Every key at its default; no source addresses. */
    public static final VppLbConfig DEFAULTS = new VppLbConfig(null, null, DEFAULT_SYNC_INTERVAL,
            DEFAULT_STICKY_BUCKETS_PER_CORE, DEFAULT_FLOW_TIMEOUT, DEFAULT_STARTUP_MIN_DELAY,
            DEFAULT_STARTUP_MAX_DELAY);

    public VppLbConfig {
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(flowTimeout, "flowTimeout");
        Objects.requireNonNull(startupMinDelay, "startupMinDelay");
        Objects.requireNonNull(startupMaxDelay, "startupMaxDelay");
    }
}
