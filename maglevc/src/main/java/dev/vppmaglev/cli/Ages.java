package dev.vppmaglev.cli;

import java.time.Duration;

/** How maglevc prints ages and configured intervals. */
final class Ages {
    private Ages() {}

    /**
     * An age as its two most significant units: {@code 10m30s}, {@code 1h12m}, {@code 1d16h},
     * {@code 45s}; {@code now} under one second (and for negative ages from clock skew). A zero
     * second unit is dropped: {@code 2h}, not {@code 2h0m}.
     */
    static String age(Duration age) {
        long s = age.toSeconds();
        if (s < 1) {
            return "now";
        }
        long[] values = {s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60};
        String[] units = {"d", "h", "m", "s"};
        int first = 0;
        while (values[first] == 0) {
            first++;
        }
        StringBuilder out = new StringBuilder().append(values[first]).append(units[first]);
        if (first + 1 < values.length && values[first + 1] != 0) {
            out.append(values[first + 1]).append(units[first + 1]);
        }
        return out.toString();
    }

    /**
     * A configured interval the way the YAML config writes it (Go duration style): {@code 250ms},
     * {@code 2s}, {@code 1.5s}, {@code 1m30s}, {@code 1h}.
     *
     * @param ms the interval in milliseconds
     */
    static String interval(long ms) {
        if (ms < 1000) {
            return ms + "ms";
        }
        long h = ms / 3_600_000;
        long m = ms / 60_000 % 60;
        long s = ms / 1000 % 60;
        long frac = ms % 1000;
        StringBuilder out = new StringBuilder();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(m).append('m');
        }
        if (s > 0 || frac > 0) {
            out.append(s);
            if (frac > 0) {
                out.append('.').append(String.format("%03d", frac).replaceAll("0+$", ""));
            }
            out.append('s');
        }
        return out.toString();
    }

    /**
     * A measured duration such as a probe's: {@code 850us}, {@code 12.3ms}, {@code 1.25s}.
     *
     * @param ns nanoseconds
     */
    static String took(long ns) {
        if (ns < 1_000_000) {
            return ns / 1000 + "us";
        }
        if (ns < 1_000_000_000) {
            return trim(String.format("%.1f", ns / 1e6)) + "ms";
        }
        return trim(String.format("%.2f", ns / 1e9)) + "s";
    }

    private static String trim(String decimal) {
        return decimal.contains(".") ? decimal.replaceAll("\\.?0+$", "") : decimal;
    }
}
