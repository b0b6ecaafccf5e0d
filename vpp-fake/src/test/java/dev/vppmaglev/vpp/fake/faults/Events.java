package dev.vppmaglev.vpp.fake.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Captures the structured log events of {@code dev.vppmaglev.vpp} (the client, the connection, the
 * reconciler, the counters loop; the fake's own {@code fake-vpp-*} lines are left out).
 */
final class Events implements AutoCloseable {
    /** One event: level, name (the message) and its key-values as text. */
    record Event(Level level, String name, Map<String, String> kv) {
        String get(String key) {
            return kv.get(key);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.vppmaglev.vpp");
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            if (e.getLoggerName().startsWith("dev.vppmaglev.vpp.fake")) {
                return;
            }
            Map<String, String> kv = new LinkedHashMap<>();
            List<KeyValuePair> pairs = e.getKeyValuePairs();
            if (pairs != null) {
                pairs.forEach(p -> kv.put(p.key, String.valueOf(p.value)));
            }
            events.add(new Event(e.getLevel(), e.getMessage(), kv));
        }
    };

    Events() {
        appender.start();
        logger.addAppender(appender);
    }

    List<Event> named(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    /** Events at {@code level} or above. */
    List<Event> atLeast(Level level) {
        return events.stream().filter(e -> e.level().isGreaterOrEqual(level)).toList();
    }

    void clear() {
        events.clear();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
