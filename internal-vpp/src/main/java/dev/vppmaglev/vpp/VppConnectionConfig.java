package dev.vppmaglev.vpp;

import dev.vppmaglev.vpp.api.VppApiClientConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link VppConnection} keeps the API session alive (behaviour.md §5.1).
 *
 * @param api               the socket, client name, timeouts, window, frame limit
 * @param pingInterval      period of the liveness {@code control_ping} (default 10 s)
 * @param pingMisses        consecutive unanswered pings that end the session (default 3); an I/O
 *                          error ends it at once, and so does the client itself when
 *                          {@link dev.vppmaglev.vpp.api.VppApiClient#DEAD_AFTER_TIMEOUTS} requests
 *                          in a row go unanswered with nothing at all from VPP
 * @param reconnectInterval wait between connection attempts (default 5 s)
 */
public record VppConnectionConfig(VppApiClientConfig api, Duration pingInterval, int pingMisses,
                                  Duration reconnectInterval) {
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_PING_MISSES = 3;
    public static final Duration DEFAULT_RECONNECT_INTERVAL = Duration.ofSeconds(5);

    public VppConnectionConfig {
        Objects.requireNonNull(api, "api");
        positive(pingInterval, "pingInterval");
        positive(reconnectInterval, "reconnectInterval");
        if (pingMisses < 1) {
            throw new IllegalArgumentException("pingMisses must be >= 1, is " + pingMisses);
        }
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be > 0, is " + d);
        }
    }

    /** Defaults for the API socket at {@code apiSocket}: ping 10 s, 3 misses, reconnect 5 s. */
    public static VppConnectionConfig defaults(Path apiSocket) {
        return new VppConnectionConfig(VppApiClientConfig.defaults(apiSocket), DEFAULT_PING_INTERVAL,
                DEFAULT_PING_MISSES, DEFAULT_RECONNECT_INTERVAL);
    }

    public VppConnectionConfig withApi(VppApiClientConfig api) {
        return new VppConnectionConfig(api, pingInterval, pingMisses, reconnectInterval);
    }

    public VppConnectionConfig withPingInterval(Duration pingInterval) {
        return new VppConnectionConfig(api, pingInterval, pingMisses, reconnectInterval);
    }

    public VppConnectionConfig withPingMisses(int pingMisses) {
        return new VppConnectionConfig(api, pingInterval, pingMisses, reconnectInterval);
    }

    public VppConnectionConfig withReconnectInterval(Duration reconnectInterval) {
        return new VppConnectionConfig(api, pingInterval, pingMisses, reconnectInterval);
    }
}
