package dev.vppmaglev.health;

import dev.vppmaglev.config.HealthCheck;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one probe of a backend.
 *
 * <p>Contract: the returned future always completes normally, within the check's
 * {@link HealthCheck#timeout()} (plus scheduling slack); every failure, including a timeout or a
 * socket that could not be created, is a {@link ProbeResult} with a {@link ResultCodes} code. The
 * call itself must not block: it starts the probe and returns.
 */
@FunctionalInterface
public interface Prober {
    /**
     * Probes {@code target} as {@code check} says ({@code type}, {@code port}, {@code timeout},
     * source addresses, {@code params}).
     */
    CompletableFuture<ProbeResult> probe(HealthCheck check, InetAddress target);
}
