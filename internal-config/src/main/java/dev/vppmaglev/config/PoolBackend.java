package dev.vppmaglev.config;

import java.util.Objects;

/**
 * One entry of a pool's {@code backends:} map.
 *
 * @param backend name of an entry under {@code backends}
 * @param weight  configured weight 0..100 (default 100)
 */
public record PoolBackend(String backend, int weight) {
    public static final int DEFAULT_WEIGHT = 100;
    public static final int MAX_WEIGHT = 100;

    public PoolBackend {
        Objects.requireNonNull(backend, "backend");
    }
}
