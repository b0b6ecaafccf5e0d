package dev.vppmaglev.config;

/**
 * One problem in a config file.
 *
 * @param file    path of the file as given to the loader
 * @param line    1-based line; 0 when the problem has no position (e.g. unreadable file)
 * @param column  1-based column; 0 when unknown
 * @param rule    short name of the rule broken, e.g. {@code unknown-key}, {@code weight-range},
 *                {@code unknown-backend}
 * @param message what is wrong and what is allowed, e.g.
 *                {@code weight 150 out of range 0..100}
 */
public record ConfigError(String file, int line, int column, String rule, String message) {
    /**
     * {@code file:line:col: rule: message}, the form every surface prints; a file that cannot be
     * read at all has no position and reads {@code file: cannot read: reason}.
     */
    @Override
    public String toString() {
        if (line == 0 && Rule.READ_ERROR.id().equals(rule)) {
            return file + ": cannot read: " + message;
        }
        return file + ":" + line + ":" + column + ": " + rule + ": " + message;
    }

    /** Whether the file could not be read at all (missing, unreadable, not a regular file). */
    public boolean unreadable() {
        return Rule.READ_ERROR.id().equals(rule);
    }
}
