package dev.vppmaglev.health;

import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.Pool;
import dev.vppmaglev.config.PoolBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Pool failover, the per-backend weight/flush mapping and the frontend state: pure functions of a
 * frontend's config and its backends' states (behaviour.md §4). This is the one place these rules
 * live; the checker, the VPP reconciler, gRPC and metrics all call it.
 *
 * <p>{@code states} maps a backend name to its current state; a name it does not know (returns
 * {@code null} for) counts as {@link BackendState#UNKNOWN}.
 */
public final class Weights {
    private Weights() {}

    /**
     * The active pool (behaviour.md §4.1): the index of the first pool with at least one member in
     * state {@link BackendState#UP}; 0 when no pool has one (harmless: every member then maps to
     * weight 0).
     */
    public static int activePoolIndex(Frontend frontend, Function<String, BackendState> states) {
        List<Pool> pools = frontend.pools();
        for (int i = 0; i < pools.size(); i++) {
            for (PoolBackend pb : pools.get(i).backends()) {
                if (state(states, pb.backend()) == BackendState.UP) {
                    return i;
                }
            }
        }
        return 0;
    }

    /**
     * The VPP weight and flush flag for one pool member (behaviour.md §4.2, table):
     * <ul>
     *   <li>up, in the active pool: the configured weight, no flush;</li>
     *   <li>up, in a standby pool: 0, no flush;</li>
     *   <li>down: 0, flush = the frontend's {@code flush-on-down};</li>
     *   <li>disabled: 0, always flush;</li>
     *   <li>unknown, paused: 0, never flush;</li>
     *   <li>removed: 0 with flush (the reconciler deletes the AS).</li>
     * </ul>
     *
     * @param poolIndex        the member's pool index
     * @param activePool       {@link #activePoolIndex}
     * @param configuredWeight 0..100
     * @throws IllegalArgumentException if {@code configuredWeight} is outside 0..100
     */
    public static AsWeight backendEffectiveWeight(int poolIndex, int activePool, BackendState state,
                                                  int configuredWeight, boolean flushOnDown) {
        if (configuredWeight < 0 || configuredWeight > 100) {
            throw new IllegalArgumentException("configured weight " + configuredWeight + " out of range 0..100");
        }
        return switch (state) {
            case UP -> poolIndex == activePool ? new AsWeight(configuredWeight, false) : AsWeight.DRAIN;
            case DOWN -> flushOnDown ? AsWeight.FLUSH : AsWeight.DRAIN;
            case DISABLED, REMOVED -> AsWeight.FLUSH;
            case UNKNOWN, PAUSED -> AsWeight.DRAIN;
        };
    }

    /**
     * Every pool member of {@code frontend} with its effective weight, in pool order then member
     * order; the active pool is computed once. A backend listed in two pools appears twice.
     */
    public static List<MemberWeight> effectiveWeights(Frontend frontend, Function<String, BackendState> states) {
        int active = activePoolIndex(frontend, states);
        List<MemberWeight> out = new ArrayList<>();
        List<Pool> pools = frontend.pools();
        for (int i = 0; i < pools.size(); i++) {
            Pool pool = pools.get(i);
            for (PoolBackend pb : pool.backends()) {
                BackendState s = state(states, pb.backend());
                out.add(new MemberWeight(i, pool.name(), pb.backend(), pb.weight(), s,
                        backendEffectiveWeight(i, active, s, pb.weight(), frontend.flushOnDown())));
            }
        }
        return out;
    }

    /**
     * The frontend's aggregate state (behaviour.md §4.3): {@link FrontendState#UP} iff some member
     * has an effective weight above 0 (so "every weight 0" is not up, even with up backends);
     * {@link FrontendState#UNKNOWN} iff every referenced backend is still unknown (or none is
     * referenced); otherwise {@link FrontendState#DOWN}.
     */
    public static FrontendState frontendState(Frontend frontend, Function<String, BackendState> states) {
        // Same result as checking effectiveWeights(...) for a weight > 0, without building the list:
        // it runs on every backend transition, for every frontend using the backend.
        int active = activePoolIndex(frontend, states);
        boolean allUnknown = true;
        List<Pool> pools = frontend.pools();
        for (int i = 0; i < pools.size(); i++) {
            for (PoolBackend pb : pools.get(i).backends()) {
                BackendState s = state(states, pb.backend());
                if (backendEffectiveWeight(i, active, s, pb.weight(), frontend.flushOnDown()).weight() > 0) {
                    return FrontendState.UP;
                }
                allUnknown &= s == BackendState.UNKNOWN;
            }
        }
        return allUnknown ? FrontendState.UNKNOWN : FrontendState.DOWN;
    }

    private static BackendState state(Function<String, BackendState> states, String backend) {
        BackendState s = states.apply(backend);
        return s == null ? BackendState.UNKNOWN : s;
    }
}
