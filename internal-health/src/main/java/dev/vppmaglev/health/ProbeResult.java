package dev.vppmaglev.health;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one probe.
 *
 * @param ok       whether the probe passed
 * @param code     a {@link ResultCodes} constant, e.g. {@code L7OK}, {@code L4CON}
 * @param detail   a short human string, e.g. {@code connection refused},
 *                 {@code status 503, expected 200-399}, {@code body did not match "ok"}
 * @param duration from the start of the probe to its result (0 for results not from a probe)
 */
public record ProbeResult(boolean ok, String code, String detail, Duration duration) {
    public ProbeResult {
        Objects.requireNonNull(code, "code");
        detail = detail == null ? "" : detail;
        Objects.requireNonNull(duration, "duration");
    }

    /** A passed probe. */
    public static ProbeResult pass(String code, String detail, Duration duration) {
        return new ProbeResult(true, code, detail, duration);
    }

    /** A failed probe. */
    public static ProbeResult fail(String code, String detail, Duration duration) {
        return new ProbeResult(false, code, detail, duration);
    }

    /** {@code L7OK (status 200) in 1.2 ms}: for logs and messages. */
    @Override
    public String toString() {
        return code + (detail.isEmpty() ? "" : " (" + detail + ")") + " in "
                + String.format(java.util.Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }
}
