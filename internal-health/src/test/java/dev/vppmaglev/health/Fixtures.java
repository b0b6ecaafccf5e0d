package dev.vppmaglev.health;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.HealthCheckerConfig;
import dev.vppmaglev.config.HttpParams;
import dev.vppmaglev.config.IcmpParams;
import dev.vppmaglev.config.Pool;
import dev.vppmaglev.config.PoolBackend;
import dev.vppmaglev.config.ProbeParams;
import dev.vppmaglev.config.Protocol;
import dev.vppmaglev.config.StatusRange;
import dev.vppmaglev.config.TcpParams;
import dev.vppmaglev.config.VppLbConfig;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Config records built in code (the loader is another module's work). */
final class Fixtures {
    private Fixtures() {}

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * A health check with interval 2 s, fast 1 s, down 5 s, rise 2, fall 3, and a timeout of 5 s:
     * generous, so probes expected to pass do not time out on a loaded 2-core machine.
     */
    static CheckBuilder check(String name, CheckType type) {
        return new CheckBuilder(name, type);
    }

    static final class CheckBuilder {
        String name;
        CheckType type;
        int port;
        Duration interval = Duration.ofSeconds(2);
        Duration fast = Duration.ofSeconds(1);
        Duration down = Duration.ofSeconds(5);
        Duration timeout = Duration.ofSeconds(5);
        int rise = 2;
        int fall = 3;
        Inet4Address src4;
        Inet6Address src6;
        ProbeParams params;

        CheckBuilder(String name, CheckType type) {
            this.name = name;
            this.type = type;
            this.params = switch (type) {
                case ICMP -> IcmpParams.INSTANCE;
                case TCP -> TcpParams.DEFAULTS;
                case HTTP, HTTPS -> HttpParams.DEFAULTS;
            };
        }

        CheckBuilder port(int p) { port = p; return this; }
        CheckBuilder intervals(Duration i, Duration f, Duration d) { interval = i; fast = f; down = d; return this; }
        CheckBuilder interval(Duration i) { return intervals(i, i, i); }
        CheckBuilder timeout(Duration t) { timeout = t; return this; }
        CheckBuilder riseFall(int r, int f) { rise = r; fall = f; return this; }
        CheckBuilder src4(String a) { src4 = (Inet4Address) ip(a); return this; }
        CheckBuilder src6(String a) { src6 = (Inet6Address) ip(a); return this; }
        CheckBuilder params(ProbeParams p) { params = p; return this; }

        HealthCheck build() {
            return new HealthCheck(name, type, port, interval, fast, down, timeout, rise, fall, src4, src6, params);
        }
    }

    static HttpParams http(String path) {
        return new HttpParams(path, "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "", "", false);
    }

    static HttpParams http(String path, String host, String method, List<StatusRange> expect, String body,
                           String serverName, boolean insecure) {
        return new HttpParams(path, host, method, expect, body, serverName, insecure);
    }

    static Backend backend(String name, String address, String check) {
        return new Backend(name, ip(address), check, true);
    }

    static Backend backend(String name, String address, String check, boolean enabled) {
        return new Backend(name, ip(address), check, enabled);
    }

    static Pool pool(String name, PoolBackend... members) {
        return new Pool(name, List.of(members));
    }

    static PoolBackend member(String backend, int weight) {
        return new PoolBackend(backend, weight);
    }

    static PoolBackend member(String backend) {
        return new PoolBackend(backend, PoolBackend.DEFAULT_WEIGHT);
    }

    static Frontend frontend(String name, boolean flushOnDown, Pool... pools) {
        return new Frontend(name, "", ip("192.0.2.1"), Protocol.TCP, 80, List.of(pools), false, flushOnDown);
    }

    static Frontend frontend(String name, Pool... pools) {
        return frontend(name, true, pools);
    }

    static Config config(List<HealthCheck> checks, List<Backend> backends, List<Frontend> frontends) {
        return config(HealthCheckerConfig.DEFAULT_TRANSITION_HISTORY, checks, backends, frontends);
    }

    static Config config(int history, List<HealthCheck> checks, List<Backend> backends, List<Frontend> frontends) {
        Map<String, HealthCheck> hc = new LinkedHashMap<>();
        checks.forEach(c -> hc.put(c.name(), c));
        Map<String, Backend> bs = new LinkedHashMap<>();
        backends.forEach(b -> bs.put(b.name(), b));
        Map<String, Frontend> fs = new LinkedHashMap<>();
        frontends.forEach(f -> fs.put(f.name(), f));
        return new Config(null, new HealthCheckerConfig(history, ""), VppLbConfig.DEFAULTS, hc, bs, fs);
    }

    /** A RandomGenerator whose nextDouble() is always {@code value} (jitter and first delay become exact). */
    static RandomGenerator fixedRandom(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return (long) (value * Long.MAX_VALUE);
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
