package dev.vppmaglev.daemon.logging;

import java.util.Locale;

/** The four levels operators use ({@code --log-level}, {@code WatchRequest.log_level}), as Go's slog. */
public enum LogLevel {
    DEBUG,
    INFO,
    WARN,
    ERROR;

    /** {@code debug}, {@code info}, {@code warn}, {@code error}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code debug|info|warn|error} (case-insensitive; {@code warning} accepted).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LogLevel parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (k) {
            case "debug" -> DEBUG;
            case "info" -> INFO;
            case "warn", "warning" -> WARN;
            case "error" -> ERROR;
            default -> throw new IllegalArgumentException(
                    "unknown log level \"" + s + "\": use debug, info, warn or error");
        };
    }

    /** Maps a logback level (TRACE counts as DEBUG). */
    public static LogLevel of(ch.qos.logback.classic.Level level) {
        int l = level.toInt();
        if (l >= ch.qos.logback.classic.Level.ERROR_INT) {
            return ERROR;
        }
        if (l >= ch.qos.logback.classic.Level.WARN_INT) {
            return WARN;
        }
        if (l >= ch.qos.logback.classic.Level.INFO_INT) {
            return INFO;
        }
        return DEBUG;
    }

    /** The logback level with the same threshold. */
    public ch.qos.logback.classic.Level toLogback() {
        return switch (this) {
            case DEBUG -> ch.qos.logback.classic.Level.DEBUG;
            case INFO -> ch.qos.logback.classic.Level.INFO;
            case WARN -> ch.qos.logback.classic.Level.WARN;
            case ERROR -> ch.qos.logback.classic.Level.ERROR;
        };
    }
}
