package dev.vppmaglev.health;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic {@link ScheduledExecutorService} on virtual time, which is also the clock: tasks
 * run only inside {@link #advance}, on the test's thread, in time order.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService, InstantSource {
    private static final Instant EPOCH = Instant.parse("2026-04-15T12:00:00Z");

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean shutdown;

    @Override
    public synchronized Instant instant() {
        return EPOCH.plusNanos(now);
    }

    /** Virtual time since the start. */
    synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** Runs every task due within {@code d}, in order, moving the clock to each task's time. */
    void advance(Duration d) {
        long target;
        synchronized (this) {
            long step = Intervals.saturatedNanos(d);
            target = step > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + step;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.at;
            }
            next.run();
        }
    }

    /** Runs what is due now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Timers scheduled and not cancelled. */
    synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    /** Delays of the pending timers from now, soonest first. */
    synchronized List<Duration> pendingDelays() {
        List<Duration> out = new ArrayList<>();
        queue.stream().filter(t -> !t.isCancelled()).sorted().forEach(t -> out.add(Duration.ofNanos(t.at - now)));
        return out;
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        long d = Math.max(0, unit.toNanos(delay)); // toNanos saturates
        Task t = new Task(d > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + d, sequence++, command);
        queue.add(t);
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        queue.clear();
        return List.of();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object>, Comparable<Delayed> {
        final long at;
        final long seq;
        final Runnable command;
        volatile boolean cancelled;
        volatile boolean done;

        Task(long at, long seq, Runnable command) {
            this.at = at;
            this.seq = seq;
            this.command = command;
        }

        void run() {
            if (!cancelled) {
                done = true;
                command.run();
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(at - now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed o) {
            Task t = (Task) o;
            return at != t.at ? Long.compare(at, t.at) : Long.compare(seq, t.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
