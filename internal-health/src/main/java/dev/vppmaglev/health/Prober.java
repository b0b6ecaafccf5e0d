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

    /**
     * Makes the following probes run in network namespace {@code namespace}
     * ({@code healthchecker.netns}; {@code ""} = the daemon's own). {@link NetProber} enters it;
     * this default, for probers that cannot, accepts only {@code ""} and reports any other name as
     * an error. Never throws for a namespace that cannot be entered: the status says why.
     *
     * @return where probes run now
     */
    default NetnsStatus useNetns(String namespace) {
        return namespace.isEmpty() ? NetnsStatus.OWN
                : new NetnsStatus(namespace, "enter netns \"" + namespace + "\": this prober cannot probe from a "
                        + "network namespace");
    }

    /** Where probes run now (this default: always the daemon's own namespace). */
    default NetnsStatus netnsStatus() {
        return NetnsStatus.OWN;
    }
}
