package dev.vppmaglev.daemon.events;

import dev.vppmaglev.daemon.logging.LogLevel;
import dev.vppmaglev.proto.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Fan-out of daemon events (log records, backend and frontend transitions) to WatchEvents
 * subscribers.
 *
 * <p>Publishing never blocks and never waits for a subscriber: each subscription has a bounded
 * queue ({@code capacity} events). A subscriber that lets its queue fill up is cut off (its
 * {@code onOverflow} callback runs once, the subscription closes) so that one client that stops
 * reading cannot hold memory or slow the others down.
 *
 * <p>Ordering: events are queued in publish order. {@link #subscribe} queues the snapshot and
 * registers the subscription under the lock {@link #publish} takes; a caller that must not miss
 * an event between taking its snapshot and subscribing takes both while the event source cannot
 * publish (the checker: {@code Checker.withFrontendStates}). The hub never calls out to code that
 * takes other locks while holding its own, so the lock order is always source -> hub.
 */
public final class EventHub {

    /**
     * Which events a subscriber wants (gRPC {@code WatchRequest}).
     *
     * @param log      log records at or above {@code logLevel}
     * @param logLevel minimum level of log records
     * @param backend  backend transitions
     * @param frontend frontend transitions
     */
    public record Filter(boolean log, LogLevel logLevel, boolean backend, boolean frontend) {
        public Filter {
            Objects.requireNonNull(logLevel, "logLevel");
        }

        boolean accepts(Event e) {
            return switch (e.getEventCase()) {
                case LOG -> log && levelOf(e).compareTo(logLevel) >= 0;
                case BACKEND -> backend;
                case FRONTEND -> frontend;
                case EVENT_NOT_SET -> false;
            };
        }

        private static LogLevel levelOf(Event e) {
            try {
                return LogLevel.parse(e.getLog().getLevel());
            } catch (IllegalArgumentException ex) {
                return LogLevel.INFO;
            }
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Object demandLock = new Object();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Consumer<LogLevel> logLevelDemand;

    /**
     * @param logLevelDemand told the lowest log level any subscriber wants, or {@code null} when no
     *                       subscriber wants logs, whenever that changes (the logging setup lowers
     *                       its thresholds so a debug subscriber sees debug records)
     */
    public EventHub(Consumer<LogLevel> logLevelDemand) {
        this.logLevelDemand = Objects.requireNonNull(logLevelDemand);
    }

    /**
     * Registers a subscriber.
     *
     * @param filter      what it wants
     * @param capacity    how many undelivered events it may have queued before it is cut off
     * @param snapshot    events it gets first (e.g. every frontend's state with from == to)
     * @param onAvailable called (on the publishing thread; must be quick) when events are queued
     * @param onOverflow  called once, with a reason, when the queue overflowed and the
     *                    subscription was closed
     */
    public Subscription subscribe(Filter filter, int capacity, List<Event> snapshot,
                                  Runnable onAvailable, Consumer<String> onOverflow) {
        Subscription s = new Subscription(filter, capacity, onAvailable, onOverflow);
        lock.lock();
        try {
            for (Event e : snapshot) {
                if (filter.accepts(e)) {
                    s.offer(e);
                }
            }
            subscriptions.add(s);
        } finally {
            lock.unlock();
        }
        if (s.pending() > 0) {
            s.notifyAvailable();
        }
        demandChanged();
        return s;
    }

    /** Queues {@code event} for every subscriber whose filter accepts it. Never blocks. */
    public void publish(Event event) {
        List<Subscription> ready = null;
        lock.lock();
        try {
            for (Subscription s : subscriptions) {
                if (s.filter.accepts(event) && s.offer(event)) {
                    if (ready == null) {
                        ready = new ArrayList<>();
                    }
                    ready.add(s);
                }
            }
        } finally {
            lock.unlock();
        }
        if (ready != null) {
            for (Subscription s : ready) {
                s.notifyAvailable();
            }
        }
    }

    /** Number of live subscriptions. */
    public int subscriberCount() {
        return subscriptions.size();
    }

    private void remove(Subscription s) {
        if (subscriptions.remove(s)) {
            demandChanged();
        }
    }

    /** Computes and applies the demand in one step, so concurrent changes apply in order. */
    private void demandChanged() {
        synchronized (demandLock) {
            LogLevel min = null;
            for (Subscription s : subscriptions) {
                if (s.filter.log() && (min == null || s.filter.logLevel().compareTo(min) < 0)) {
                    min = s.filter.logLevel();
                }
            }
            logLevelDemand.accept(min);
        }
    }

    /** One subscriber's queue. Thread-safe; {@link #poll} is meant for one consumer at a time. */
    public final class Subscription implements AutoCloseable {
        private final Filter filter;
        private final int capacity;
        private final Runnable onAvailable;
        private final Consumer<String> onOverflow;
        private final ArrayDeque<Event> queue = new ArrayDeque<>();
        private boolean closed;
        private boolean overflowed;

        private Subscription(Filter filter, int capacity, Runnable onAvailable, Consumer<String> onOverflow) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
            }
            this.filter = filter;
            this.capacity = capacity;
            this.onAvailable = onAvailable;
            this.onOverflow = onOverflow;
        }

        public Filter filter() {
            return filter;
        }

        /** The next queued event, or {@code null} when none is queued. */
        public synchronized Event poll() {
            return queue.poll();
        }

        /** Events queued and not yet taken. */
        public synchronized int pending() {
            return queue.size();
        }

        public synchronized boolean isClosed() {
            return closed;
        }

        /** Stops delivery and drops what is queued. Idempotent. */
        @Override
        public void close() {
            synchronized (this) {
                closed = true;
                queue.clear();
            }
            remove(this);
        }

        /** @return whether the event was queued (false when closed or just overflowed) */
        private boolean offer(Event e) {
            boolean overflowNow;
            synchronized (this) {
                if (closed) {
                    return false;
                }
                if (queue.size() < capacity) {
                    queue.add(e);
                    return true;
                }
                overflowNow = !overflowed;
                overflowed = true;
                closed = true;
                queue.clear();
            }
            if (overflowNow) {
                // Removal and the callback run outside this monitor; the hub lock is reentrant.
                remove(this);
                onOverflow.accept("event stream dropped: the client read too slowly and "
                        + capacity + " events were pending");
            }
            return false;
        }

        private void notifyAvailable() {
            onAvailable.run();
        }
    }
}
