package dev.vppmaglev.vpp.lb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The rate limit of {@code vpp-lb-cli-parse-error}: {@code show lb vips verbose} text that the
 * parser could not read (format drift of a newer VPP) is worked around on every read, and said at
 * WARN once per distinct problem per {@link #QUIET} — not on every 30 s full sync nor every
 * {@code GetVPPLBState}. Repeats in between are counted and logged at DEBUG; the next WARN of the
 * same problem carries the count. Thread-safe (the sync thread and gRPC readers share it).
 */
final class CliParseWarnings {
    private static final Logger log = LoggerFactory.getLogger(CliParseWarnings.class);
    /** How long a problem stays quiet after its WARN. */
    static final Duration QUIET = Duration.ofMinutes(10);
    /** At most this many distinct problems are remembered; more start over (a bound, not a goal). */
    private static final int MAX_PROBLEMS = 64;
    private static final Pattern LINE = Pattern.compile("line \\d+");
    private static final Pattern GOT = Pattern.compile(", got '.*'$", Pattern.DOTALL);

    private record Seen(long loggedAtNanos, int suppressed) {}

    private final LongSupplier nanoTime;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    CliParseWarnings() {
        this(System::nanoTime);
    }

    /** @param nanoTime a monotonic clock in ns (tests inject a manual one) */
    CliParseWarnings(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * One read whose CLI part was (partly) unreadable.
     *
     * @param command  the CLI command, e.g. {@code show lb vips verbose}
     * @param problems what went wrong, first first (parse errors naming their line, or VPP's CLI
     *                 error); not empty
     * @param vipsLost how many VIP blocks had to be skipped (-1: the whole text)
     */
    void report(String command, List<String> problems, int vipsLost) {
        String first = problems.getFirst();
        // "line 12: expected X, got '...'" and "line 40: expected X, got '...'" are one problem
        String key = command + ": " + GOT.matcher(LINE.matcher(first).replaceAll("line N")).replaceAll("");
        long now = nanoTime.getAsLong();
        boolean[] warn = {false};
        int[] suppressed = {0};
        if (seen.size() >= MAX_PROBLEMS && !seen.containsKey(key)) {
            seen.clear();
        }
        seen.compute(key, (k, s) -> {
            if (s == null || now - s.loggedAtNanos() >= QUIET.toNanos()) {
                warn[0] = true;
                suppressed[0] = s == null ? 0 : s.suppressed();
                return new Seen(now, 0);
            }
            return new Seen(s.loggedAtNanos(), s.suppressed() + 1);
        });
        (warn[0] ? log.atWarn() : log.atDebug()).setMessage("vpp-lb-cli-parse-error")
                .addKeyValue("command", command)
                .addKeyValue("error", first)
                .addKeyValue("errors", problems.size())
                .addKeyValue("vips_unparsed", vipsLost < 0 ? "all" : String.valueOf(vipsLost))
                .addKeyValue("effect", "those VIPs are synced without src_ip_sticky (never recreated for it), "
                        + "lb index (their counters read 0) and flow counts")
                .addKeyValue("suppressed_since_last", suppressed[0])
                .log();
    }
}
