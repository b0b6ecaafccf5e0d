package dev.vppmaglev.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of a backend's state, as kept in its history and sent to listeners.
 *
 * @param backend backend name
 * @param from    state before
 * @param to      state after
 * @param code    the probe result code that caused it (e.g. {@code L4CON}), or the reason for a
 *                transition without a probe ({@code paused}, {@code resumed}, {@code disabled},
 *                {@code enabled}, {@code removed}; see {@link ResultCodes})
 * @param detail  short human explanation (may be empty)
 * @param at      when (the checker's clock)
 */
public record BackendTransition(String backend, BackendState from, BackendState to, String code,
                                String detail, Instant at) {
    public BackendTransition {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(code, "code");
        detail = detail == null ? "" : detail;
        Objects.requireNonNull(at, "at");
    }
}
