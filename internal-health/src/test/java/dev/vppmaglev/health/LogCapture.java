package dev.vppmaglev.health;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Collects what one class logs (Logback's ListAppender), as "event {key=value, ...}" records. */
final class LogCapture implements AutoCloseable {
    /** One logged event: its level, message (the event name) and key-values. */
    record Event(String level, String name, Map<String, String> keys) {}

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    /** Every event logged so far with message {@code name}. */
    List<Event> events(String name) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getMessage().equals(name)).map(LogCapture::event).toList();
        }
    }

    private static Event event(ILoggingEvent e) {
        Map<String, String> keys = new LinkedHashMap<>();
        List<KeyValuePair> kvs = e.getKeyValuePairs();
        if (kvs != null) {
            kvs.forEach(kv -> keys.put(kv.key, String.valueOf(kv.value)));
        }
        return new Event(e.getLevel().toString(), e.getMessage(), keys);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
