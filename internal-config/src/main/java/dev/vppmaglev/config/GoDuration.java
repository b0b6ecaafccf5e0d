package dev.vppmaglev.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Go-style duration strings ({@code time.ParseDuration} / {@code time.Duration.String} of the
 * reference implementation): {@code 250ms}, {@code 2s}, {@code 1m30s}, {@code 1.5h}.
 *
 * <p>Grammar (as Go): an optional sign, then one or more {@code <decimal number><unit>} pairs with
 * no spaces; the number may have a fraction ({@code 1.5s}, {@code .5s}). Units: {@code ns},
 * {@code us} (also {@code µs} U+00B5 and {@code μs} U+03BC), {@code ms}, {@code s}, {@code m},
 * {@code h}. The bare string {@code 0} is accepted (as in Go); any other number needs a unit.
 * The result must fit Go's range, a signed 64-bit count of nanoseconds (about ±292 years).
 */
public final class GoDuration {
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final Pattern BARE_NUMBER = Pattern.compile("[0-9]+\\.?[0-9]*|\\.[0-9]+");
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private GoDuration() {}

    /**
     * Parses a Go duration string.
     *
     * @param text e.g. {@code 2s}, {@code 250ms}, {@code 1m30s}, {@code -1.5h}, {@code 0}
     * @return the duration, exact to the nanosecond (fractions below 1 ns are truncated, as Go)
     * @throws IllegalArgumentException when {@code text} is not a duration; the message says why
     *                                  and what is allowed, e.g.
     *                                  {@code "30" has no unit; write e.g. 30s or 30ms}
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration; write e.g. 2s or 250ms");
        }
        int i = 0;
        boolean negative = false;
        if (text.charAt(0) == '-' || text.charAt(0) == '+') {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        String body = text.substring(i);
        if (body.equals("0")) {
            return Duration.ZERO;
        }
        if (body.isEmpty()) {
            throw invalid(text, "a sign alone is not a duration");
        }
        if (BARE_NUMBER.matcher(body).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" has no unit; write e.g. "
                    + text + "s or " + text + "ms");
        }
        BigDecimal total = BigDecimal.ZERO;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && (isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            String number = text.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text, "expected a number at position " + (start + 1));
            }
            int unitStart = i;
            while (i < text.length() && !isDigit(text.charAt(i)) && text.charAt(i) != '.') {
                i++;
            }
            String unit = text.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw invalid(text, "missing unit after " + number);
            }
            long unitNanos = unitNanos(unit);
            if (unitNanos < 0) {
                throw invalid(text, "unknown unit \"" + unit + "\"");
            }
            BigDecimal value = new BigDecimal(number.startsWith(".") ? "0" + number
                    : number.endsWith(".") ? number + "0" : number);
            total = total.add(value.multiply(BigDecimal.valueOf(unitNanos)));
            if (total.compareTo(MAX_NANOS) > 0) {
                throw invalid(text, "out of range (at most about 292 years)");
            }
        }
        long nanos = total.longValue(); // truncates fractions of a nanosecond, as Go does
        return Duration.ofNanos(negative ? -nanos : nanos);
    }

    /**
     * Formats a duration the way an operator writes it: {@code 2s}, {@code 250ms},
     * {@code 1m30s}, {@code 1h}, {@code 1.5s}, {@code 0s}. Units that are zero are left out
     * (Go writes {@code 1h0m0s}; this writes {@code 1h}); below one second the largest unit that
     * keeps the number at least 1 is used ({@code 1.5ms}, {@code 800µs}, {@code 12ns}). The
     * result always parses back to the same duration with {@link #parse}.
     *
     * @param d any duration (negative ones get a leading {@code -})
     * @return the Go-style text
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        BigInteger nanos = BigInteger.valueOf(d.getSeconds()).multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(d.getNano()));
        StringBuilder out = new StringBuilder();
        if (nanos.signum() < 0) {
            out.append('-');
            nanos = nanos.negate();
        }
        BigInteger[] secondsAndNanos = nanos.divideAndRemainder(NANOS_PER_SECOND);
        BigInteger seconds = secondsAndNanos[0];
        long subSecond = secondsAndNanos[1].longValueExact();
        if (seconds.signum() == 0) {
            if (subSecond >= 1_000_000) {
                out.append(decimal(subSecond, 1_000_000)).append("ms");
            } else if (subSecond >= 1_000) {
                out.append(decimal(subSecond, 1_000)).append("µs");
            } else {
                out.append(subSecond).append("ns");
            }
            return out.toString();
        }
        BigInteger[] hoursRest = seconds.divideAndRemainder(BigInteger.valueOf(3600));
        long minutes = hoursRest[1].longValueExact() / 60;
        long secs = hoursRest[1].longValueExact() % 60;
        if (hoursRest[0].signum() > 0) {
            out.append(hoursRest[0]).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        if (secs > 0 || subSecond > 0) {
            out.append(decimal(secs * 1_000_000_000L + subSecond, 1_000_000_000L)).append('s');
        }
        return out.toString();
    }

    /** {@code value / unit} as a decimal without trailing zeros: 1500, 1000 → "1.5". */
    private static String decimal(long value, long unit) {
        return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros()
                .toPlainString();
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "\u00b5s", "\u03bcs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> -1L;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration: " + why
                + "; write e.g. 2s, 250ms or 1m30s (units ns, us, ms, s, m, h)");
    }
}
