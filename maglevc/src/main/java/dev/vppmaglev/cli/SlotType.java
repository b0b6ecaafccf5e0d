package dev.vppmaglev.cli;

import java.util.List;
import java.util.Locale;

/**
 * What a slot of the command tree accepts: a name from the daemon's live data, one of a fixed set
 * of values, or a whole number in a range.
 */
sealed interface SlotType {

    /**
     * Checks one word typed into this slot and returns the value to bind.
     *
     * @param word the word as typed
     * @param label the slot's label for error messages, e.g. {@code 0-100}
     * @return the value to bind (for {@link Choice}, the full value a prefix resolved to)
     * @throws CommandLineException when the word does not fit the slot
     */
    String accept(String word, String label);

    /** A name of the daemon's live data: any non-empty word is accepted; the daemon says NOT_FOUND. */
    record Name(NameKind kind) implements SlotType {
        @Override
        public String accept(String word, String label) {
            return word;
        }
    }

    /**
     * One of a fixed set of values, matched like keywords (exact first, then a unique prefix).
     *
     * @param values the values in the order help and completion list them
     */
    record Choice(List<String> values) implements SlotType {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public String accept(String word, String label) {
            String lower = word.toLowerCase(Locale.ROOT);
            if (values.contains(lower)) {
                return lower;
            }
            List<String> matches = values.stream().filter(v -> v.startsWith(lower)).toList();
            if (matches.size() == 1) {
                return matches.getFirst();
            }
            if (matches.isEmpty()) {
                throw new CommandLineException("unknown " + label + " \"" + word + "\"; expected one of: "
                        + String.join(", ", values));
            }
            throw new CommandLineException("ambiguous " + label + " \"" + word + "\"; could be: "
                    + String.join(", ", matches));
        }
    }

    /**
     * A whole number from {@code min} to {@code max} inclusive.
     *
     * @param min smallest accepted value
     * @param max largest accepted value
     */
    record Number(long min, long max) implements SlotType {
        @Override
        public String accept(String word, String label) {
            long value;
            try {
                value = Long.parseLong(word);
            } catch (NumberFormatException e) {
                throw new CommandLineException("expected a number for <" + label + ">, got \"" + word + "\"");
            }
            if (value < min || value > max) {
                String range = max == Long.MAX_VALUE ? min + " or more" : min + ".." + max;
                throw new CommandLineException(
                        "<" + label + "> must be " + range + ", got " + value);
            }
            return Long.toString(value);
        }
    }

    /** Which list of the daemon's live data a {@link Name} slot completes from. */
    enum NameKind {
        FRONTEND,
        BACKEND,
        HEALTHCHECK,
        /** A pool of the frontend bound earlier on the same line (argument {@code frontend}). */
        POOL
    }
}
