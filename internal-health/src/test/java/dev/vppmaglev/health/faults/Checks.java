package dev.vppmaglev.health.faults;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.HealthCheckerConfig;
import dev.vppmaglev.config.HttpParams;
import dev.vppmaglev.config.IcmpParams;
import dev.vppmaglev.config.ProbeParams;
import dev.vppmaglev.config.TcpParams;
import dev.vppmaglev.config.VppLbConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Config records for the fault tests, built in code (intervals below the loader's 100 ms floor are allowed here). */
final class Checks {
    private Checks() {}

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A check with one interval for every state, the given timeout and rise/fall. */
    static HealthCheck check(String name, CheckType type, int port, ProbeParams params, Duration interval,
                             Duration timeout, int rise, int fall) {
        return new HealthCheck(name, type, port, interval, interval, interval, timeout, rise, fall, null, null,
                params);
    }

    /** A probe-only check (for calling a prober directly): intervals do not matter. */
    static HealthCheck check(String name, CheckType type, int port, ProbeParams params, Duration timeout) {
        return check(name, type, port, params, Duration.ofSeconds(1), timeout, 2, 3);
    }

    static HttpParams http(String path) {
        return new HttpParams(path, "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "", "", false);
    }

    static HttpParams httpExpectBody(String path, String body) {
        return new HttpParams(path, "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, body, "", false);
    }

    static HttpParams https() {
        return new HttpParams("/", "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "", "", true);
    }

    static TcpParams tcpExpect(String send, String expect) {
        return new TcpParams(send, expect, false, "", false);
    }

    static TcpParams tcpTls() {
        return new TcpParams("", "", true, "", true);
    }

    static IcmpParams icmp() {
        return IcmpParams.INSTANCE;
    }

    static Backend backend(String name, String address, String check) {
        return new Backend(name, ip(address), check, true);
    }

    /** A config with these checks and backends and no frontends. */
    static Config config(Collection<HealthCheck> checks, Collection<Backend> backends) {
        Map<String, HealthCheck> hc = new LinkedHashMap<>();
        checks.forEach(c -> hc.put(c.name(), c));
        Map<String, Backend> bs = new LinkedHashMap<>();
        backends.forEach(b -> bs.put(b.name(), b));
        return new Config(null, new HealthCheckerConfig(1000, ""), VppLbConfig.DEFAULTS, hc, bs, Map.of());
    }
}
