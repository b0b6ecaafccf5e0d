package dev.vppmaglev.config;

/**
 * An inclusive range of HTTP status codes, from {@code expect-status: [200, 300-399]}.
 *
 * @param from lowest accepted code (100..599)
 * @param to   highest accepted code (from..599)
 */
public record StatusRange(int from, int to) {
    public boolean contains(int status) {
        return status >= from && status <= to;
    }

    /** {@code 200} or {@code 200-399}, as written in YAML. */
    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
