package dev.vppmaglev.config;

import java.util.List;
import java.util.Objects;

/**
 * One priority tier of a frontend ({@code pools[i]}).
 *
 * @param name     pool name, non-empty, unique within the frontend
 * @param backends members in config order
 */
public record Pool(String name, List<PoolBackend> backends) {
    public Pool {
        Objects.requireNonNull(name, "name");
        backends = List.copyOf(backends);
    }

    /** The member named {@code backend}, or {@code null}. */
    public PoolBackend member(String backend) {
        for (PoolBackend pb : backends) {
            if (pb.backend().equals(backend)) {
                return pb;
            }
        }
        return null;
    }
}
