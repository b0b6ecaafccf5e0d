package dev.vppmaglev.health;

/**
 * Probe result codes (HAProxy's vocabulary, spec README "Probe result codes") and the reasons
 * recorded for transitions that were not caused by a probe.
 */
public final class ResultCodes {
    private ResultCodes() {}

    /** tcp: connected. */
    public static final String L4OK = "L4OK";
    /** tcp/http/https: no connection within the timeout. */
    public static final String L4TOUT = "L4TOUT";
    /**
     * tcp/http/https: connection refused, unreachable, reset, or no socket could be made/bound.
     * Every type, icmp included: {@code healthchecker.netns} cannot be entered (the detail is
     * {@code enter netns "NAME": ...}; see {@link NetProber}).
     */
    public static final String L4CON = "L4CON";
    /** TLS handshake done (tcp with {@code tls}, nothing to check after it). */
    public static final String L6OK = "L6OK";
    /** TLS handshake did not finish within the timeout. */
    public static final String L6TOUT = "L6TOUT";
    /** TLS handshake failed (certificate verify failed, protocol error, reset). */
    public static final String L6RSP = "L6RSP";
    /** http/https: expected status (and body); tcp: the reply matched {@code expect}. */
    public static final String L7OK = "L7OK";
    /** Conditional pass. Part of HAProxy's vocabulary; not produced by these probes. */
    public static final String L7OKC = "L7OKC";
    /** http/https: no (complete) response within the timeout; tcp: no matching reply in time. */
    public static final String L7TOUT = "L7TOUT";
    /** http/https: malformed response or connection closed/reset before one; tcp: reply did not match. */
    public static final String L7RSP = "L7RSP";
    /** http/https: status not in {@code expect-status}. */
    public static final String L7STS = "L7STS";
    /** http/https: {@code expect-body} not found in the first 64 KiB of the body. */
    public static final String L7BODY = "L7BODY";
    /** icmp: echo reply received. */
    public static final String ICMPOK = "ICMPOK";
    /** icmp: no reply within the timeout. */
    public static final String ICMPTOUT = "ICMPTOUT";
    /**
     * icmp: destination unreachable (an ICMP error came back, or the kernel refused to route), or
     * the daemon may not send ICMP at all (no CAP_NET_RAW and ping sockets not allowed); the detail
     * says which.
     */
    public static final String ICMPUNR = "ICMPUNR";

    /** Recorded by pause: the operator stopped probing. */
    public static final String PAUSED = "paused";
    /** Recorded by disable (run time or YAML {@code enabled: false}). */
    public static final String DISABLED = "disabled";

    /** Transition reason: the operator resumed a paused backend. */
    public static final String RESUMED = "resumed";
    /** Transition reason: the operator enabled a disabled backend. */
    public static final String ENABLED = "enabled";
    /** Transition reason: a reload removed the backend. */
    public static final String REMOVED = "removed";
}
