package dev.vppmaglev.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of a frontend's aggregate state ({@link Weights#frontendState}).
 *
 * @param frontend frontend name
 * @param from     state before ({@link FrontendState#UNKNOWN} for a frontend new in the config)
 * @param to       state after
 * @param at       when (the checker's clock)
 */
public record FrontendTransition(String frontend, FrontendState from, FrontendState to, Instant at) {
    public FrontendTransition {
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
    }
}
