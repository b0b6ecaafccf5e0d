package dev.vppmaglev.vpp.api;

import java.time.Duration;

/** No reply (or, for a dump, no terminating {@code control_ping_reply}) within the timeout. */
public final class VppTimeoutException extends VppException {
    private final String messageName;
    private final Duration timeout;

    public VppTimeoutException(String messageName, Duration timeout) {
        super("no reply to " + messageName + " within " + timeout.toMillis() + " ms");
        this.messageName = messageName;
        this.timeout = timeout;
    }

    /** The request that went unanswered. */
    public String messageName() {
        return messageName;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }
}
