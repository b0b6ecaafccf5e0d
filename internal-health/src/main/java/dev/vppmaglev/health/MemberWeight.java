package dev.vppmaglev.health;

import java.util.Objects;

/**
 * One pool member of a frontend with its configured and effective weight, as computed by
 * {@link Weights#effectiveWeights}.
 *
 * @param poolIndex        0-based index of the pool in the frontend's priority order
 * @param pool             pool name
 * @param backend          backend name
 * @param configuredWeight the pool's weight for this backend, 0..100 (YAML or set at run time)
 * @param state            the backend's state when computed
 * @param effective        what VPP should be set to (behaviour.md §4.2)
 */
public record MemberWeight(int poolIndex, String pool, String backend, int configuredWeight,
                           BackendState state, AsWeight effective) {
    public MemberWeight {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(effective, "effective");
    }
}
