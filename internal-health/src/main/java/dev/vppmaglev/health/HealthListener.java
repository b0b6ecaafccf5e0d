package dev.vppmaglev.health;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.HealthCheck;

/**
 * Receives the {@link Checker}'s events.
 *
 * <p>Calls are synchronous, on the checker's threads, while the checker holds its lock: they are
 * delivered one at a time, in the order the changes happened, never concurrently (for any
 * backend). Listeners must be quick (hand work to a queue); they may call the checker's queries.
 * An exception thrown by a listener is logged ({@code listener-error}) and does not stop delivery.
 *
 * <p>Ordering: a backend transition is delivered first, then the frontend transitions it caused
 * (for each frontend referencing the backend whose computed state changed), in config order.
 * {@link #onProbe} for a result comes before the transition that result caused. A reload delivers
 * its backend transitions (in config order, removed backends first), then the frontend
 * transitions, then {@link #onConfigApplied}.
 */
public interface HealthListener {
    /** A backend changed state (probe, operator action, or reload). */
    default void onBackendTransition(BackendTransition transition) {}

    /** A frontend's computed state changed (after a backend transition, a reload or a set-weight). */
    default void onFrontendTransition(FrontendTransition transition) {}

    /** A probe finished and its result was applied (results arriving after pause/disable/removal are not). */
    default void onProbe(String backend, HealthCheck check, ProbeResult result) {}

    /**
     * {@link Checker#apply} installed a config (first start or reload); {@code config} is the live
     * config: the file's, with the runtime weights the reload kept ({@link Checker#setWeight}).
     */
    default void onConfigApplied(Config config) {}

    /**
     * {@link Checker#setWeight} changed a pool member's configured weight in the live config; the
     * frontend's VIP needs a sync.
     */
    default void onWeightChanged(String frontend, String pool, String backend, int weight) {}
}
