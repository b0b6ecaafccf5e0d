package dev.vppmaglev.vpp.lb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Puts every sync on one serial executor (the sync thread), in request order, and coalesces
 * background requests:
 * <ul>
 *   <li>a per-VIP request for a frontend that already has one queued (not started) is dropped;</li>
 *   <li>a full sync request absorbs every queued per-VIP request (they would only repeat part of
 *       its work) and is dropped if a full sync is already queued;</li>
 *   <li>a request made while a sync runs is queued behind it (that sync may have read the state
 *       before the change).</li>
 * </ul>
 * Operator requests ({@link #submitAll}, {@link #submitVip}) always run and return a result;
 * they absorb queued background requests of the same or smaller scope.
 */
final class SyncQueue {
    private static final Logger log = LoggerFactory.getLogger(SyncQueue.class);

    /** Runs the background syncs (on the executor's thread). */
    interface Runner {
        void runAll(String trigger);

        void runVip(String frontend, String trigger);
    }

    private final Executor executor;
    private final Runner runner;
    private final Object lock = new Object();
    // guarded by lock
    private boolean allQueued;
    private final Set<String> vipQueued = new HashSet<>();

    /** @param executor must be serial (one thread) */
    SyncQueue(Executor executor, Runner runner) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /**
     * Asks for a full sync.
     *
     * @return false when coalesced into one already queued (or the executor is shut down)
     */
    boolean requestAll(String trigger) {
        synchronized (lock) {
            vipQueued.clear();
            if (allQueued) {
                return false;
            }
            allQueued = true;
        }
        return run(() -> {
            synchronized (lock) {
                if (!allQueued) {
                    return; // absorbed by an operator's full sync
                }
                allQueued = false;
                vipQueued.clear();
            }
            runner.runAll(trigger);
        });
    }

    /**
     * Asks for a sync of {@code frontend}'s VIP.
     *
     * @return false when coalesced (a full sync or a sync of this frontend is queued already)
     */
    boolean requestVip(String frontend, String trigger) {
        Objects.requireNonNull(frontend, "frontend");
        synchronized (lock) {
            if (allQueued || !vipQueued.add(frontend)) {
                return false;
            }
        }
        return run(() -> {
            synchronized (lock) {
                if (!vipQueued.remove(frontend)) {
                    return; // absorbed by a full sync
                }
            }
            runner.runVip(frontend, trigger);
        });
    }

    /**
     * Runs an operator's full sync on the sync thread; background requests queued before it runs
     * (ahead of it or not) are absorbed.
     */
    <T> CompletableFuture<T> submitAll(Callable<T> task) {
        return submit(() -> {
            synchronized (lock) {
                allQueued = false;
                vipQueued.clear();
            }
        }, task);
    }

    /** Runs an operator's sync of {@code frontend} on the sync thread; a queued request for it is absorbed. */
    <T> CompletableFuture<T> submitVip(String frontend, Callable<T> task) {
        return submit(() -> {
            synchronized (lock) {
                vipQueued.remove(frontend);
            }
        }, task);
    }

    /** Runs {@code task} on the sync thread, after everything queued (not coalesced). */
    boolean execute(Runnable task) {
        return run(task);
    }

    /** Requests waiting to run: full syncs (0 or 1) plus per-VIP syncs (tests, diagnostics). */
    int queued() {
        synchronized (lock) {
            return (allQueued ? 1 : 0) + vipQueued.size();
        }
    }

    private <T> CompletableFuture<T> submit(Runnable absorb, Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        absorb.run(); // what is queued ahead of it now has nothing left to do
        boolean accepted = run(() -> {
            absorb.run();
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        if (!accepted) {
            f.completeExceptionally(new IllegalStateException("the lb reconciler is closed"));
        }
        return f;
    }

    private boolean run(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.atError().setMessage("vpp-lbsync-error").addKeyValue("op", "task")
                            .addKeyValue("error", e.toString()).setCause(e).log();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
