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
    /** {@code file:line:col: rule: message}, the form every surface prints. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + rule + ": " + message;
    }
}
