package dev.vppmaglev.config;

import java.net.InetAddress;
import java.util.Objects;

/**
 * {@code maglev.backends.<name>}: one application server (AS) and how it is checked.
 *
 * @param name        the key under {@code backends}
 * @param address     the AS address (IPv4 or IPv6); becomes a VPP application server
 * @param healthcheck name of an entry under {@code healthchecks}
 * @param enabled     YAML {@code enabled} (default true); the runtime flag set by
 *                    enable/disable survives reloads while the check is unchanged
 */
public record Backend(String name, InetAddress address, String healthcheck, boolean enabled) {
    public Backend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(healthcheck, "healthcheck");
    }
}
