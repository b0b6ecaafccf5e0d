package dev.vppmaglev.vpp.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one binary-API connection.
 *
 * @param socket         VPP's {@code api.sock} (default {@code /run/vpp/api.sock})
 * @param clientName     registered name (≤ 63 bytes), shown by {@code show api clients}
 * @param connectTimeout connect + {@code sockclnt_create} handshake
 * @param requestTimeout per request: from writing it to its reply (for a dump: to the closing
 *                       {@code control_ping_reply}); checked every tenth of this interval (or of
 *                       {@code queueTimeout}, whichever is shorter)
 * @param window         requests in flight at once (≥ 1); more wait in a queue, in order. 16
 *                       reaches ~95 % of VPP's best rate (spec README, "Performance facts")
 * @param maxFrameBytes  largest accepted frame body in bytes; a larger {@code data_len} is a
 *                       protocol error that ends the connection
 * @param queueTimeout   per request waiting for a window slot: from the call to being written. A
 *                       request still queued after this fails with {@link VppTimeoutException}
 *                       ({@code sent() == false}: VPP never saw it). A separate deadline rather
 *                       than a multiple of {@code requestTimeout}: a healthy VPP drains a full
 *                       sync (~33k requests) in about 3 s at ~12k/s, a slow one in tens of
 *                       seconds, and that must not fail while each reply is prompt. A VPP that
 *                       stops answering ends the session much sooner (after
 *                       {@link VppApiClient#DEAD_AFTER_TIMEOUTS} written requests time out in a
 *                       row), failing everything queued. Default 30 s
 */
public record VppApiClientConfig(Path socket, String clientName, Duration connectTimeout, Duration requestTimeout,
                                 int window, int maxFrameBytes, Duration queueTimeout) {
    public static final String DEFAULT_CLIENT_NAME = "vpp-maglev";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_WINDOW = 16;
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(30);

    public VppApiClientConfig {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(clientName, "clientName");
        if (clientName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
            throw new IllegalArgumentException("client name longer than 63 bytes: " + clientName);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(queueTimeout, "queueTimeout");
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, is " + window);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 1024, is " + maxFrameBytes);
        }
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be > 0, is " + d);
        }
    }

    /** Defaults: name {@code vpp-maglev}, 3 s connect, 5 s requests, window 16, 16 MiB frames, 30 s in the queue. */
    public static VppApiClientConfig defaults(Path socket) {
        return new VppApiClientConfig(socket, DEFAULT_CLIENT_NAME, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_WINDOW, DEFAULT_MAX_FRAME_BYTES, DEFAULT_QUEUE_TIMEOUT);
    }

    public VppApiClientConfig withWindow(int window) {
        return new VppApiClientConfig(socket, clientName, connectTimeout, requestTimeout, window, maxFrameBytes,
                queueTimeout);
    }

    public VppApiClientConfig withRequestTimeout(Duration requestTimeout) {
        return new VppApiClientConfig(socket, clientName, connectTimeout, requestTimeout, window, maxFrameBytes,
                queueTimeout);
    }

    public VppApiClientConfig withConnectTimeout(Duration connectTimeout) {
        return new VppApiClientConfig(socket, clientName, connectTimeout, requestTimeout, window, maxFrameBytes,
                queueTimeout);
    }

    public VppApiClientConfig withMaxFrameBytes(int maxFrameBytes) {
        return new VppApiClientConfig(socket, clientName, connectTimeout, requestTimeout, window, maxFrameBytes,
                queueTimeout);
    }

    public VppApiClientConfig withQueueTimeout(Duration queueTimeout) {
        return new VppApiClientConfig(socket, clientName, connectTimeout, requestTimeout, window, maxFrameBytes,
                queueTimeout);
    }
}
