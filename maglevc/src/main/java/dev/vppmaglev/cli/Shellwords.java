package dev.vppmaglev.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits a shell line into words at whitespace (maglevc's words never contain blanks). */
final class Shellwords {
    private Shellwords() {}

    /** The words of {@code line}; empty for a blank line. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        for (String w : line.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
