package dev.vppmaglev.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Renders log records the way the reference's Go {@code log/slog} handlers do, one line each:
 * JSON ({@code {"time":"…","level":"INFO","msg":"backend-transition","backend":"nginx0",…}}) or
 * text ({@code time=… level=INFO msg=backend-transition backend=nginx0 …}).
 *
 * <p>Our own code logs an event name as the message and details as SLF4J key-values; records from
 * libraries (Netty, gRPC) carry their formatted message and a {@code logger} attribute. A throwable
 * becomes an {@code error} attribute ({@code Class: message}), never a multi-line stack trace; an
 * ERROR record also gets {@code stack}: its top frames on one line, so bugs can be traced.
 */
public final class SlogEncoder extends EncoderBase<ILoggingEvent> {

    /** Output format. */
    public enum Format { JSON, TEXT }

    private final Format format;

    public SlogEncoder(Format format) {
        this.format = format;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(160);
        String time = e.getInstant().toString();
        String level = LogLevel.of(e.getLevel()).name();
        if (format == Format.JSON) {
            sb.append("{\"time\":");
            json(sb, time);
            sb.append(",\"level\":");
            json(sb, level);
            sb.append(",\"msg\":");
            json(sb, e.getFormattedMessage());
            for (Attr a : attrs(e)) {
                sb.append(',');
                json(sb, a.key);
                sb.append(':');
                if (a.value instanceof Number || a.value instanceof Boolean) {
                    sb.append(a.value);
                } else {
                    json(sb, String.valueOf(a.value));
                }
            }
            sb.append("}\n");
        } else {
            sb.append("time=").append(time).append(" level=").append(level).append(" msg=");
            text(sb, e.getFormattedMessage());
            for (Attr a : attrs(e)) {
                sb.append(' ').append(a.key).append('=');
                text(sb, String.valueOf(a.value));
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Keys the encoder writes itself on every record. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("time", "level", "msg", "logger");
    /** Keys the encoder writes itself when the record carries a throwable. */
    private static final java.util.Set<String> RESERVED_WITH_THROWABLE = java.util.Set.of("error", "stack");

    /** A key and value of one record, in output order. */
    record Attr(String key, Object value) {}

    /** The record's attributes: key-values, then logger (libraries only), then error. */
    static List<Attr> attrs(ILoggingEvent e) {
        List<KeyValuePair> kvs = e.getKeyValuePairs();
        java.util.ArrayList<Attr> out = new java.util.ArrayList<>(kvs == null ? 2 : kvs.size() + 2);
        IThrowableProxy t = e.getThrowableProxy();
        if (kvs != null) {
            for (KeyValuePair kv : kvs) {
                // A key that would shadow a field the encoder writes is kept, renamed: JSON readers
                // keep only one of two equal keys and the event name must not be the one lost.
                // "error" is the caller's own (vpp-connect-failed error=...) unless a throwable
                // is attached, whose "error" the encoder writes.
                boolean shadows = RESERVED.contains(kv.key) || (t != null && RESERVED_WITH_THROWABLE.contains(kv.key));
                out.add(new Attr(shadows ? "attr_" + kv.key : kv.key, kv.value));
            }
        }
        if (!e.getLoggerName().startsWith("dev.vppmaglev")) {
            out.add(new Attr("logger", e.getLoggerName()));
        }
        if (t != null) {
            out.add(new Attr("error", t.getMessage() == null ? t.getClassName()
                    : t.getClassName() + ": " + t.getMessage()));
            if (e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR)) {
                out.add(new Attr("stack", stack(t)));
            }
        }
        return out;
    }

    /**
     * Where an ERROR came from, on one line: the top 10 frames of the throwable and of each of up
     * to 3 causes.
     */
    static String stack(IThrowableProxy t) {
        StringBuilder sb = new StringBuilder(256);
        int depth = 0;
        for (IThrowableProxy c = t; c != null && depth < 4; c = c.getCause(), depth++) {
            if (c != t) {
                sb.append(" | caused by ").append(c.getClassName()).append(": ").append(c.getMessage());
            }
            var frames = c.getStackTraceElementProxyArray();
            for (int i = 0; i < frames.length && i < 10; i++) {
                sb.append(i == 0 && c == t ? "" : " < ").append(frames[i].getStackTraceElement());
            }
        }
        return sb.toString();
    }

    private static void json(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void text(StringBuilder sb, String s) {
        boolean quote = s.isEmpty();
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c <= ' ' || c == '"' || c == '=' || c == '\\';
        }
        if (quote) {
            json(sb, s);
        } else {
            sb.append(s);
        }
    }
}
