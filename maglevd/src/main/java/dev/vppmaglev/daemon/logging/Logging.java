package dev.vppmaglev.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.LogEvent;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The daemon's logging: one line per record on stdout (JSON or text, {@link SlogEncoder}) at the
 * daemon's level, and every record at or above what some WatchEvents subscriber asked for streamed
 * to the event hub — a subscriber at {@code debug} sees debug records even when the daemon logs
 * at {@code info}, as the reference's slog broadcaster does.
 *
 * <p>Thresholds: our own loggers ({@code dev.vppmaglev.*}) pass the lower of the daemon level and
 * the subscribers' demand; library loggers (Netty, gRPC) never go below INFO.
 */
public final class Logging {
    private static final String OWN = "dev.vppmaglev";
    /**
     * The logger of the audit records ({@code grpc-mutation}): always INFO, written to stdout
     * whatever the daemon's level, so {@code set log level error} cannot hide a change (nor itself).
     */
    public static final String AUDIT = "dev.vppmaglev.audit";

    private final LoggerContext ctx;
    private volatile LogLevel consoleLevel;
    private volatile LogLevel demand;
    private volatile Consumer<Event> sink;

    private Logging(LoggerContext ctx, LogLevel level) {
        this.ctx = ctx;
        this.consoleLevel = level;
    }

    /** Records waiting for stdout before new ones are dropped (the async writer). */
    static final int QUEUE = 16_384;

    /** {@link #configure(LogLevel, SlogEncoder.Format, OutputStream, boolean)}, writing synchronously. */
    public static Logging configure(LogLevel level, SlogEncoder.Format format, OutputStream out) {
        return configure(level, format, out, false);
    }

    /**
     * Replaces logback's configuration: stdout in {@code format} at {@code level}; routes
     * java.util.logging (gRPC) through SLF4J.
     *
     * @param async write stdout from a background thread (the daemon): a stalled stdout (a full
     *              pipe, a stuck journald) then never stalls probing; records beyond a queue of
     *              {@value #QUEUE} are dropped rather than waited for. {@link #close()} drains it.
     */
    public static Logging configure(LogLevel level, SlogEncoder.Format format, OutputStream out, boolean async) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Logging logging = new Logging(ctx, level);

        SlogEncoder encoder = new SlogEncoder(format);
        encoder.setContext(ctx);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
        console.setName("stdout");
        console.setContext(ctx);
        console.setEncoder(encoder);
        console.setOutputStream(out);
        console.setImmediateFlush(true);
        Filter<ILoggingEvent> threshold = new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent e) {
                return LogLevel.of(e.getLevel()).compareTo(logging.consoleLevel) >= 0 || AUDIT.equals(e.getLoggerName())
                        ? FilterReply.NEUTRAL : FilterReply.DENY;
            }
        };
        console.start();
        ch.qos.logback.core.Appender<ILoggingEvent> stdout = console;
        if (async) {
            ch.qos.logback.classic.AsyncAppender queue = new ch.qos.logback.classic.AsyncAppender();
            queue.setName("stdout-async");
            queue.setContext(ctx);
            queue.setQueueSize(QUEUE);
            queue.setDiscardingThreshold(0); // keep every level until the queue is full
            queue.setNeverBlock(true);
            queue.setMaxFlushTime(2000);
            queue.addAppender(console);
            stdout = queue;
        }
        stdout.addFilter(threshold); // before the queue: records only subscribers want never queue
        stdout.start();

        // Unsynchronized: the hub is thread-safe, and a monitor here would serialise every log call.
        UnsynchronizedAppenderBase<ILoggingEvent> events = new UnsynchronizedAppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                Consumer<Event> s = logging.sink;
                LogLevel d = logging.demand;
                if (s != null && d != null && LogLevel.of(e.getLevel()).compareTo(d) >= 0) {
                    s.accept(toEvent(e));
                }
            }
        };
        events.setName("events");
        events.setContext(ctx);
        events.start();

        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(stdout);
        root.addAppender(events);
        // gRPC logs through java.util.logging.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        // Netty's domain-socket channels warn per connection about SO_KEEPALIVE, which gRPC sets.
        ctx.getLogger("io.netty.bootstrap").setLevel(Level.ERROR);
        ctx.getLogger(AUDIT).setLevel(Level.INFO); // its own level: applyThresholds never lowers it
        logging.applyThresholds();
        return logging;
    }

    /** Flushes and stops logging (the async writer drains for up to 2 s). Call last at exit. */
    public void close() {
        ctx.stop();
    }

    /** Streams records at or above the subscribers' demand to {@code sink} (the event hub). */
    public void streamTo(Consumer<Event> sink) {
        this.sink = Objects.requireNonNull(sink);
    }

    /** The daemon's level (stdout). */
    public LogLevel level() {
        return consoleLevel;
    }

    /** Changes the daemon's level at run time ({@code SetLogLevel}); returns the previous one. */
    public LogLevel setLevel(LogLevel level) {
        LogLevel prev = consoleLevel;
        consoleLevel = Objects.requireNonNull(level);
        applyThresholds();
        return prev;
    }

    /**
     * The lowest level any WatchEvents subscriber wants, or {@code null} when none wants logs
     * (from {@code EventHub}).
     */
    public void subscriberDemand(LogLevel min) {
        demand = min;
        applyThresholds();
    }

    private synchronized void applyThresholds() {
        LogLevel own = consoleLevel;
        LogLevel d = demand;
        if (d != null && d.compareTo(own) < 0) {
            own = d;
        }
        ctx.getLogger(OWN).setLevel(own.toLogback());
        LogLevel libs = consoleLevel.compareTo(LogLevel.INFO) < 0 ? LogLevel.INFO : consoleLevel;
        if (d != null && d.compareTo(libs) < 0 && d.compareTo(LogLevel.INFO) >= 0) {
            libs = d;
        }
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(libs.toLogback());
    }

    /** A log record as a WatchEvents event. */
    static Event toEvent(ILoggingEvent e) {
        LogEvent.Builder b = LogEvent.newBuilder()
                .setLevel(LogLevel.of(e.getLevel()).keyword())
                .setMsg(e.getFormattedMessage());
        for (SlogEncoder.Attr a : SlogEncoder.attrs(e)) {
            b.putAttrs(a.key(), String.valueOf(a.value()));
        }
        long ns = e.getInstant().getEpochSecond() * 1_000_000_000L + e.getInstant().getNano();
        return Event.newBuilder().setTimeNs(ns).setLog(b).build();
    }
}
