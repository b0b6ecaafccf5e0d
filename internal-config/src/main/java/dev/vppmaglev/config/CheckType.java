package dev.vppmaglev.config;

import java.util.Locale;

/** {@code type:} of a health check. */
public enum CheckType {
    /** ICMP echo request/reply; needs CAP_NET_RAW (raw socket) or a permitted ping socket. */
    ICMP,
    /** TCP connect to {@code port}, optionally a send/expect exchange and TLS. */
    TCP,
    /** HTTP request to {@code port}. */
    HTTP,
    /** HTTP over TLS to {@code port}. */
    HTTPS;

    /** The YAML spelling: {@code icmp}, {@code tcp}, {@code http}, {@code https}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this type needs a {@code port}. */
    public boolean needsPort() {
        return this != ICMP;
    }
}
