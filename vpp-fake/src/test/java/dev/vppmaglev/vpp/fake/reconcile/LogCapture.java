package dev.vppmaglev.vpp.fake.reconcile;

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

/** Captures the structured log events of {@code dev.vppmaglev.vpp} (optionally from DEBUG). */
final class LogCapture implements AutoCloseable {
    /** One event: level, message (the event name) and its key-values as text. */
    record Event(Level level, String msg, Map<String, String> kv) {
        String get(String key) {
            return kv.get(key);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.vppmaglev.vpp");
    private final Logger lb = (Logger) LoggerFactory.getLogger("dev.vppmaglev.vpp.lb");
    private final Level lbLevel = lb.getLevel();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            Map<String, String> kv = new LinkedHashMap<>();
            List<KeyValuePair> pairs = e.getKeyValuePairs();
            if (pairs != null) {
                pairs.forEach(p -> kv.put(p.key, String.valueOf(p.value)));
            }
            events.add(new Event(e.getLevel(), e.getMessage(), kv));
        }
    };

    LogCapture(boolean lbDebug) {
        appender.start();
        logger.addAppender(appender);
        if (lbDebug) {
            lb.setLevel(Level.DEBUG);
        }
    }

    List<Event> named(String msg) {
        return events.stream().filter(e -> e.msg().equals(msg)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        lb.setLevel(lbLevel);
    }
}
