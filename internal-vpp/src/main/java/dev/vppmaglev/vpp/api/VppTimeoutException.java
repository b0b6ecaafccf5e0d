package dev.vppmaglev.vpp.api;

import java.time.Duration;

/**
 * A request that did not complete in time: either it was written and VPP did not answer (for a
 * dump: did not send the closing {@code control_ping_reply}) within {@code requestTimeout}, or it
 * waited in the client's queue for a window slot longer than {@code queueTimeout} and was never
 * written ({@link #sent()} is false: VPP never saw it, so it changed nothing there).
 */
public final class VppTimeoutException extends VppException {
    private final String messageName;
    private final Duration timeout;
    private final boolean sent;

    /** No reply to the written request {@code messageName} within {@code timeout}. */
    public VppTimeoutException(String messageName, Duration timeout) {
        this("no reply to " + messageName + " within " + timeout.toMillis() + " ms", messageName, timeout, true);
    }

    private VppTimeoutException(String message, String messageName, Duration timeout, boolean sent) {
        super(message);
        this.messageName = messageName;
        this.timeout = timeout;
        this.sent = sent;
    }

    /**
     * {@code messageName} waited {@code queueTimeout} in the client's queue without being written:
     * VPP answered the requests ahead of it too slowly (or not at all).
     */
    public static VppTimeoutException notSent(String messageName, Duration queueTimeout) {
        return new VppTimeoutException(messageName + " was not sent within " + queueTimeout.toMillis()
                + " ms: it waited behind the window of requests VPP had not answered yet", messageName, queueTimeout,
                false);
    }

    /** The request that went unanswered (or unsent). */
    public String messageName() {
        return messageName;
    }

    /** The timeout that expired: the request timeout, or the queue timeout when {@link #sent()} is false. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether the request was written to VPP; false when it timed out still queued. */
    public boolean sent() {
        return sent;
    }
}
