package dev.vppmaglev.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated {@code maglev.yaml}: everything under the top-level {@code maglev:} key.
 *
 * <p>The three maps keep the order of the file (operators see frontends and backends in the order
 * they wrote them) and are unmodifiable. Every reference between them has been checked by
 * {@link ConfigLoader}: each backend's health check exists, each pool backend exists, address
 * families agree.
 *
 * @param source        the file this was loaded from (absolute), or {@code null} when built in code
 * @param healthchecker {@code maglev.healthchecker}
 * @param vppLb         {@code maglev.vpp.lb} (defaults when the section is absent)
 * @param healthchecks  {@code maglev.healthchecks}, by name
 * @param backends      {@code maglev.backends}, by name
 * @param frontends     {@code maglev.frontends}, by name
 */
public record Config(
        Path source,
        HealthCheckerConfig healthchecker,
        VppLbConfig vppLb,
        Map<String, HealthCheck> healthchecks,
        Map<String, Backend> backends,
        Map<String, Frontend> frontends) {

    public Config {
        Objects.requireNonNull(healthchecker, "healthchecker");
        Objects.requireNonNull(vppLb, "vppLb");
        healthchecks = frozen(healthchecks);
        backends = frozen(backends);
        frontends = frozen(frontends);
    }

    /** Frontends that reference {@code backend} in any pool, in config order. */
    public List<Frontend> frontendsUsing(String backend) {
        List<Frontend> out = new ArrayList<>();
        for (Frontend f : frontends.values()) {
            if (f.references(backend)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Backends that use health check {@code healthcheck}, in config order. */
    public List<Backend> backendsUsing(String healthcheck) {
        List<Backend> out = new ArrayList<>();
        for (Backend b : backends.values()) {
            if (b.healthcheck().equals(healthcheck)) {
                out.add(b);
            }
        }
        return out;
    }

    private static <V> Map<String, V> frozen(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(m)));
    }
}
