package dev.vppmaglev.health;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread inside a network namespace, running the tasks given to it: the probers'
 * {@code socketExecutor} when {@code healthchecker.netns} is set. Sockets are bound to the
 * namespace of the thread that creates them (java-stack.md §8), so creating them here is what
 * puts the probes in the namespace; everything else (I/O, timers, results) runs elsewhere.
 *
 * <p>The thread first enters the namespace ({@link Netns#enter}); only then does
 * {@link #start} hand it out. A thread that failed to enter ends at once and never runs a task,
 * so a probe never runs in the wrong namespace. Never a virtual thread: its carrier thread would
 * be the one in the namespace, shared with other virtual threads.
 */
final class NetnsThread implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetnsThread.class);
    private static final Runnable STOP = () -> { };

    private final String namespace;
    private final long identity;
    private final Thread thread;
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private boolean closed; // guarded by tasks

    private NetnsThread(String namespace, long identity, Thread thread) {
        this.namespace = namespace;
        this.identity = identity;
        this.thread = thread;
    }

    /**
     * Starts a thread that enters {@code /run/netns/NAME}. The future completes on that thread,
     * with the running executor once it is inside, or exceptionally with a
     * {@link Netns.EnterException} saying why it could not enter (the thread has then ended).
     * Callers should not run their own work on the completing thread (use the async variants).
     */
    static CompletableFuture<NetnsThread> start(String namespace, Netns.Sys sys) {
        CompletableFuture<NetnsThread> entered = new CompletableFuture<>();
        try {
            Thread.ofPlatform().daemon().name("netns-" + namespace).start(() -> {
                NetnsThread self;
                try {
                    Netns.enter(namespace, sys);
                    self = new NetnsThread(namespace, currentIdentity(), Thread.currentThread());
                } catch (Netns.EnterException e) {
                    entered.completeExceptionally(e);
                    return;
                } catch (RuntimeException | Error e) {
                    entered.completeExceptionally(new Netns.EnterException(
                            "enter netns \"" + namespace + "\": " + e, 0));
                    return;
                }
                entered.complete(self);
                self.loop();
            });
        } catch (RuntimeException | OutOfMemoryError e) { // no thread could be made
            entered.completeExceptionally(new Netns.EnterException(
                    "enter netns \"" + namespace + "\": cannot start a thread: " + e.getMessage(), 0));
        }
        return entered;
    }

    private static long currentIdentity() {
        try {
            return Netns.currentIdentity();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The namespace this thread is in. */
    String namespace() {
        return namespace;
    }

    /** The namespace's identity ({@link Netns#identity}) when the thread entered it; -1 if unknown. */
    long identity() {
        return identity;
    }

    /** The thread (for tests). */
    Thread thread() {
        return thread;
    }

    /**
     * Queues {@code task} to run inside the namespace.
     *
     * @throws RejectedExecutionException after {@link #close()}
     */
    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            if (closed) {
                throw new RejectedExecutionException("the thread in netns \"" + namespace + "\" has stopped");
            }
            tasks.add(task);
        }
    }

    /** Lets the queued tasks run, then ends the thread. Idempotent; does not wait. */
    @Override
    public void close() {
        synchronized (tasks) {
            if (!closed) {
                closed = true;
                tasks.add(STOP);
            }
        }
    }

    private void loop() {
        while (true) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                continue; // only close() ends this thread
            }
            if (task == STOP) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.atWarn().setMessage("netns-task-failed").addKeyValue("namespace", namespace)
                        .addKeyValue("error", String.valueOf(e)).log();
            }
        }
    }
}
