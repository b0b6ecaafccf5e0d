package dev.vppmaglev.vpp.api;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Rate-limits one kind of log event to a line per {@code window}: a stuck VPP under a full sync
 * times out thousands of requests at once, and a slow dump's late details arrive by the tens of
 * thousands. An event after a quiet {@code window} is logged at once, alone (a single event is
 * never delayed); the events after it are counted and logged as one summary line by
 * {@link #flush} once {@code window} has passed since the previous line (or at once when forced,
 * e.g. when the session ends). Every line covers the events since the previous one:
 * <pre>{@code <event> count=<n> api_msg=<first message> context=<first context>
 *         by_msg=<name>=<n>,... <constant key-values>}</pre>
 * with the names in {@code by_msg} sorted. Thread-safe; {@link #add} is mostly a counter bump
 * under a lock nobody holds for long.
 */
final class BurstLog {
    private final Logger log;
    private final Level level;
    private final String event;
    private final long windowNanos;
    private final Object[] constants;
    private final Map<String, Integer> byMsg = new TreeMap<>();
    private int count;
    private String firstMsg;
    private int firstContext;
    /** When the last line was logged; meaningful only when {@link #logged}. */
    private long lastLineNanos;
    private boolean logged;

    /**
     * @param event     the event name (the log message), e.g. {@code vpp-api-timeout}
     * @param window    at most one line per window, after the first
     * @param constants key, value, key, value... added to every line (e.g. {@code timeout_ms})
     * @throws IllegalArgumentException when {@code constants} is not made of pairs
     */
    BurstLog(Logger log, Level level, String event, Duration window, Object... constants) {
        if (constants.length % 2 != 0) {
            throw new IllegalArgumentException("constants come in key, value pairs");
        }
        this.log = log;
        this.level = level;
        this.event = event;
        this.windowNanos = window.toNanos();
        this.constants = constants.clone();
    }

    /** One event about message {@code apiMsg} with {@code context}, seen at {@code nowNanos}. */
    void add(String apiMsg, int context, long nowNanos) {
        synchronized (this) {
            if (count > 0 || (logged && nowNanos - lastLineNanos < windowNanos)) {
                if (count == 0) {
                    firstMsg = apiMsg;
                    firstContext = context;
                }
                count++;
                byMsg.merge(apiMsg, 1, Integer::sum);
                return;
            }
            logged = true;
            lastLineNanos = nowNanos;
        }
        line(1, apiMsg, context, apiMsg + "=1"); // after a quiet window: at once
    }

    /**
     * Logs the events counted since the last line if {@code window} has passed since it at
     * {@code nowNanos}, or if {@code force}; nothing when there are none.
     */
    void flush(long nowNanos, boolean force) {
        int n;
        String first;
        int context;
        String summary;
        synchronized (this) {
            if (count == 0 || (!force && nowNanos - lastLineNanos < windowNanos)) {
                return;
            }
            n = count;
            first = firstMsg;
            context = firstContext;
            StringJoiner j = new StringJoiner(",");
            byMsg.forEach((msg, k) -> j.add(msg + "=" + k));
            summary = j.toString();
            count = 0;
            byMsg.clear();
            lastLineNanos = nowNanos;
        }
        line(n, first, context, summary);
    }

    private void line(int n, String apiMsg, int context, String byMsgSummary) {
        LoggingEventBuilder b = log.atLevel(level).setMessage(event).addKeyValue("count", n)
                .addKeyValue("api_msg", apiMsg).addKeyValue("context", context).addKeyValue("by_msg", byMsgSummary);
        for (int i = 0; i < constants.length; i += 2) {
            b = b.addKeyValue(String.valueOf(constants[i]), constants[i + 1]);
        }
        b.log();
    }
}
