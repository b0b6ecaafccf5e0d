package dev.vppmaglev.health;

import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's {@link Prober}: {@code icmp} checks go to an {@link IcmpProber}, {@code tcp},
 * {@code http} and {@code https} to a {@link NettyProber}, both on one Netty event loop group
 * (which also runs the ICMP timeouts), in the network namespace {@link #useNetns} names
 * ({@code healthchecker.netns}).
 *
 * <h2>Network namespace</h2>
 * With a namespace set, a dedicated platform thread ({@link NetnsThread}) opens
 * {@code /run/netns/NAME} and calls {@code setns(fd, CLONE_NEWNET)}; every probe socket (Netty
 * connects, ICMP raw/ping sockets) is created on that thread and so lives in the namespace, while
 * I/O, timers and results stay on the event loops in the daemon's own namespace (as do gRPC,
 * metrics and VPP). Needs CAP_SYS_ADMIN (behaviour.md §1).
 * <ul>
 *   <li><b>Cannot enter</b> (no such namespace, EPERM without CAP_SYS_ADMIN, not a network
 *       namespace): {@link #useNetns} logs {@code netns-error} (ERROR; keys {@code namespace},
 *       {@code error}, e.g. {@code enter netns "dataplane": operation not permitted (setns needs
 *       CAP_SYS_ADMIN)}) and returns the error, {@link #netnsStatus()} reports it, and every probe
 *       of every type, icmp included, fails with {@code L4CON} and that text as detail (the
 *       reference's behaviour: backends go {@code down} with {@code L4CON} on their first probe;
 *       one code for all types, so "the probe could not even start" reads the same everywhere).
 *       No probe runs anywhere else meanwhile.</li>
 *   <li><b>Retry</b>: a probe that finds the namespace broken retries entering when the last
 *       attempt is at least {@link #NETNS_RECHECK} old (the probes in between fail at once), so
 *       probing recovers by itself once {@code ip netns add NAME} made it, without a reload.
 *       Repeated failures log {@code netns-error} when the reason changes and otherwise at most
 *       once per {@link #NETNS_ERROR_LOG_EVERY}; success logs {@code netns-entered} (INFO).</li>
 *   <li><b>Deleted or replaced</b>: at most every {@link #NETNS_RECHECK} a probe checks that
 *       {@code /run/netns/NAME} still names the namespace the thread is in; when it was deleted
 *       ({@code ip netns del}) or replaced ({@code del} + {@code add}) it enters again
 *       ({@code netns-changed}, WARN), so probes never keep running in an orphaned namespace.</li>
 *   <li><b>Switching</b> ({@link #useNetns} with another name, on reload): the new namespace is
 *       entered before it returns; from then on every probe runs there. The probers and ICMP
 *       sockets of the old namespace are closed once the probes in flight in it have finished
 *       (they finish where they started). The same name again changes nothing (or retries now,
 *       when it was broken).</li>
 * </ul>
 *
 * <p>Ownership: with {@link #NetProber(EventLoopGroup, Executor, String)} the group is the
 * caller's (e.g. the one gRPC uses) and {@link #close()} leaves it running; {@link #create(String)}
 * makes its own NIO group and {@link #close()} shuts it down. The ICMP sockets and namespace
 * threads are always owned and closed here. The group's event loops are started by the
 * constructor, so that none of them is born inside a namespace (a new thread inherits its
 * creator's namespace).
 */
public final class NetProber implements Prober, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetProber.class);

    /**
     * How soon after a failed attempt a probe may try to enter the namespace again, and how often
     * probes check that {@code /run/netns/NAME} still names the namespace they run in.
     */
    public static final Duration NETNS_RECHECK = Duration.ofSeconds(1);
    /** The same {@code netns-error} is logged at most this often while retries keep failing. */
    public static final Duration NETNS_ERROR_LOG_EVERY = Duration.ofMinutes(1);
    /** How long {@link #useNetns} waits for the namespace thread to report. */
    static final Duration ENTER_WAIT = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final EventLoopGroup ownedGroup;
    private final Executor ownSockets;
    private final String version;
    private final Netns.Sys sys;
    private final long recheckNanos;
    /** Runs namespace-attempt results off the namespace thread (event loops; the caller when shut down). */
    private final Executor callbacks;

    private final Object reloadLock = new Object();
    private final Object lock = new Object();
    private volatile Slot current;
    private volatile CompletableFuture<Slot> attempt; // written under lock
    private volatile boolean closed;
    // Guarded by lock:
    private long token;
    private final Set<Generation> live = new HashSet<>();
    private String lastErrorLogged;
    private long lastErrorLoggedAt;

    /**
     * @param group          event loops for I/O and timeouts (not owned)
     * @param socketExecutor where sockets are created while no namespace is set;
     *                       {@code Runnable::run} for the caller's thread
     * @param version        build version for the HTTP User-Agent
     */
    public NetProber(EventLoopGroup group, Executor socketExecutor, String version) {
        this(group, socketExecutor, version, false, Netns.LIBC, NETNS_RECHECK);
    }

    NetProber(EventLoopGroup group, Executor socketExecutor, String version, boolean owned, Netns.Sys sys,
              Duration recheck) {
        this.group = Objects.requireNonNull(group, "group");
        this.ownedGroup = owned ? group : null;
        this.ownSockets = Objects.requireNonNull(socketExecutor, "socketExecutor");
        this.version = Objects.requireNonNull(version, "version");
        this.sys = Objects.requireNonNull(sys, "sys");
        this.recheckNanos = recheck.toNanos();
        this.callbacks = task -> {
            try {
                group.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
        // Netty's one-time channel-id set-up reads the network interfaces: do it here, not on the
        // first namespace thread that makes a channel.
        DefaultChannelId.newInstance();
        for (EventExecutor loop : group) {
            try {
                loop.execute(() -> { }); // starts the loop's thread here, in our own namespace
            } catch (RejectedExecutionException ignored) {
                // a shut-down group: probes report it
            }
        }
        synchronized (lock) {
            current = new Active(new Generation("", null));
        }
    }

    /** A prober with its own NIO event loop group (default size) and sockets made on the caller's thread. */
    public static NetProber create(String version) {
        return create(version, Netns.LIBC, NETNS_RECHECK);
    }

    /** {@link #create(String)} with the namespace calls and the recheck period given (tests). */
    static NetProber create(String version, Netns.Sys sys, Duration recheck) {
        return new NetProber(new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()), Runnable::run, version,
                true, sys, recheck);
    }

    @Override
    public CompletableFuture<ProbeResult> probe(HealthCheck check, InetAddress target) {
        long start = System.nanoTime();
        if (closed) {
            return CompletableFuture.completedFuture(ProbeResult.fail(closedCode(check), "the prober is closed",
                    Duration.ZERO));
        }
        Slot s = current;
        if (s instanceof Active a && !a.g.recheckDue(start) && a.g.acquire()) {
            return a.g.probe(check, target);
        }
        if (s instanceof Broken b && start - b.attemptedAt < recheckNanos && attempt == null) {
            return CompletableFuture.completedFuture(failure(b, start));
        }
        return settle(start).thenCompose(slot -> dispatch(slot, check, target, start));
    }

    private CompletableFuture<ProbeResult> dispatch(Slot slot, HealthCheck check, InetAddress target, long start) {
        for (Slot s : new Slot[] {slot, current}) { // the second: a reload replaced the first meanwhile
            if (s instanceof Broken b) {
                return CompletableFuture.completedFuture(failure(b, start));
            }
            if (s instanceof Active a && a.g.acquire()) {
                return a.g.probe(check, target);
            }
        }
        return CompletableFuture.completedFuture(ProbeResult.fail(closedCode(check), "the prober is closed",
                Duration.ofNanos(System.nanoTime() - start)));
    }

    private static String closedCode(HealthCheck check) {
        return check.type() == CheckType.ICMP ? ResultCodes.ICMPUNR : ResultCodes.L4CON;
    }

    private static ProbeResult failure(Broken b, long start) {
        return ProbeResult.fail(ResultCodes.L4CON, b.error, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Makes every following probe run in network namespace {@code namespace} ({@code ""} = the
     * daemon's own), entering it before returning (waits up to {@link #ENTER_WAIT}). See the
     * class comment for what a failure means; a failure is returned and logged, not thrown.
     *
     * @return where probes run now
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public NetnsStatus useNetns(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        synchronized (reloadLock) {
            CompletableFuture<Slot> pending;
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("prober is closed");
                }
                Slot s = current;
                if (namespace.equals(s.namespace())) {
                    if (attempt != null) {
                        pending = attempt;
                    } else if (s instanceof Active) {
                        return status(s);
                    } else {
                        pending = startAttempt(namespace, true);
                    }
                } else {
                    log.atInfo().setMessage("netns-changed").addKeyValue("from", s.namespace())
                            .addKeyValue("to", namespace).log();
                    if (namespace.isEmpty()) {
                        token++;
                        attempt = null;
                        replace(new Active(new Generation("", null)));
                        return NetnsStatus.OWN;
                    }
                    pending = startAttempt(namespace, true);
                }
            }
            try {
                pending.get(ENTER_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                synchronized (lock) {
                    if (attempt == pending) {
                        token++;
                        attempt = null;
                        String error = "enter netns \"" + namespace + "\": the namespace thread did not report within "
                                + ENTER_WAIT.toSeconds() + " s";
                        replace(new Broken(namespace, error, System.nanoTime()));
                        logError(namespace, error, true);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // install() does not throw; the slot tells
            }
            return netnsStatus();
        }
    }

    /** Where probes run now: the namespace and, when probes cannot run there, why. */
    @Override
    public NetnsStatus netnsStatus() {
        return status(current);
    }

    private static NetnsStatus status(Slot s) {
        return s instanceof Broken b ? new NetnsStatus(b.namespace, b.error) : new NetnsStatus(s.namespace(), null);
    }

    /** The thread probes of the current namespace create sockets on, or {@code null} (tests). */
    Thread namespaceThread() {
        return current instanceof Active a && a.g.thread != null ? a.g.thread.thread() : null;
    }

    /**
     * Closes the ICMP sockets and namespace threads and, if owned, shuts the event loop group down
     * (waits up to 5 s). Probes afterwards fail at once.
     */
    @Override
    public void close() {
        List<Generation> generations;
        synchronized (lock) {
            closed = true;
            token++;
            attempt = null;
            generations = new ArrayList<>(live);
            live.clear();
        }
        for (Generation g : generations) {
            g.closeNow();
        }
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Namespace state (transitions under lock)

    /** What probes use now. */
    private sealed interface Slot permits Active, Broken {
        String namespace();
    }

    /** Probes run in {@code g}. */
    private record Active(Generation g) implements Slot {
        @Override
        public String namespace() {
            return g.namespace;
        }
    }

    /**
     * {@code namespace} could not be entered; every probe fails with {@code error}.
     *
     * @param attemptedAt {@link System#nanoTime()} of the failed attempt
     */
    private record Broken(String namespace, String error, long attemptedAt) implements Slot {}

    /** Rechecks or retries when due; the slot a probe should use (maybe after entering again). */
    private CompletableFuture<Slot> settle(long now) {
        synchronized (lock) {
            CompletableFuture<Slot> running = attempt;
            if (running != null || closed) {
                return running != null ? running : CompletableFuture.completedFuture(current);
            }
            Slot s = current;
            if (s instanceof Active a) {
                if (!a.g.recheckDue(now)) {
                    return CompletableFuture.completedFuture(s);
                }
                a.g.checkedAt = now;
                String change = identityChange(a.g);
                if (change == null) {
                    return CompletableFuture.completedFuture(s);
                }
                log.atWarn().setMessage("netns-changed").addKeyValue("namespace", a.g.namespace)
                        .addKeyValue("detail", change).log();
                return startAttempt(a.g.namespace, false);
            }
            Broken b = (Broken) s;
            if (now - b.attemptedAt < recheckNanos) {
                return CompletableFuture.completedFuture(s);
            }
            return startAttempt(b.namespace, false);
        }
    }

    /** Why the namespace the thread of {@code g} is in is no longer {@code /run/netns/NAME}; null if it is. */
    private static String identityChange(Generation g) {
        long now;
        try {
            now = Netns.identity(g.namespace);
        } catch (IOException | RuntimeException e) {
            return null; // cannot tell: keep probing where we are
        }
        if (now == -1) {
            return Netns.path(g.namespace) + " was deleted";
        }
        long entered = g.thread.identity();
        return entered == -1 || entered == now ? null : Netns.path(g.namespace) + " now names another namespace";
    }

    /** Starts a thread that enters {@code namespace}; its outcome becomes the current slot. Lock held. */
    private CompletableFuture<Slot> startAttempt(String namespace, boolean reload) {
        long t = ++token;
        CompletableFuture<Slot> f = NetnsThread.start(namespace, sys)
                .handleAsync((thread, error) -> install(t, namespace, thread, error, reload), callbacks);
        attempt = f;
        return f;
    }

    private Slot install(long t, String namespace, NetnsThread thread, Throwable error, boolean reload) {
        synchronized (lock) {
            if (t != token || closed) { // superseded by a reload or close
                if (thread != null) {
                    thread.close();
                }
                return current;
            }
            attempt = null;
            Slot next;
            if (thread != null) {
                next = new Active(new Generation(namespace, thread));
                lastErrorLogged = null;
                log.atInfo().setMessage("netns-entered").addKeyValue("namespace", namespace).log();
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                String text = cause instanceof Netns.EnterException e ? e.getMessage()
                        : "enter netns \"" + namespace + "\": " + cause;
                next = new Broken(namespace, text, System.nanoTime());
                logError(namespace, text, reload);
            }
            replace(next);
            return next;
        }
    }

    /** Lock held. */
    private void replace(Slot next) {
        Slot old = current;
        current = next;
        if (old instanceof Active a) {
            a.g.retire();
        }
    }

    /** Lock held. Always on start/reload; on retries when the text changed or once per period. */
    private void logError(String namespace, String error, boolean reload) {
        long now = System.nanoTime();
        if (reload || !error.equals(lastErrorLogged) || now - lastErrorLoggedAt >= NETNS_ERROR_LOG_EVERY.toNanos()) {
            lastErrorLogged = error;
            lastErrorLoggedAt = now;
            log.atError().setMessage("netns-error").addKeyValue("namespace", namespace)
                    .addKeyValue("error", error).log();
        }
    }

    /**
     * The probers of one namespace (or of our own), with the probes in flight in it. Retired when
     * the namespace is left; closed when retired and idle.
     */
    private final class Generation {
        final String namespace;
        final NetnsThread thread; // null: our own namespace
        final NettyProber stream;
        final IcmpProber icmp;
        final AtomicInteger inflight = new AtomicInteger();
        final AtomicBoolean closedOnce = new AtomicBoolean();
        volatile boolean retired;
        volatile long checkedAt = System.nanoTime();

        /** Lock held. */
        Generation(String namespace, NetnsThread thread) {
            this.namespace = namespace;
            this.thread = thread;
            Executor sockets = thread == null ? ownSockets : thread;
            this.stream = new NettyProber(group, sockets, version);
            this.icmp = new IcmpProber(group, sockets);
            live.add(this);
        }

        boolean recheckDue(long now) {
            return thread != null && now - checkedAt >= recheckNanos;
        }

        /** Counts a probe in; false when the generation was retired (use the current one). */
        boolean acquire() {
            inflight.incrementAndGet();
            if (retired) {
                release();
                return false;
            }
            return true;
        }

        void release() {
            if (inflight.decrementAndGet() == 0 && retired) {
                closeLater();
            }
        }

        void retire() {
            retired = true;
            if (inflight.get() == 0) {
                closeLater();
            }
        }

        /** Runs one acquired probe; released when it completes. */
        CompletableFuture<ProbeResult> probe(HealthCheck check, InetAddress target) {
            CompletableFuture<ProbeResult> f;
            try {
                f = check.type() == CheckType.ICMP ? icmp.probe(check, target) : stream.probe(check, target);
            } catch (RuntimeException e) { // probers do not throw; if one did, it is a result too
                release();
                return CompletableFuture.completedFuture(ProbeResult.fail(closedCode(check),
                        "cannot start probe: " + e, Duration.ZERO));
            }
            if (thread == null) {
                f.whenComplete((r, e) -> release());
                return f;
            }
            // A result completed on the namespace thread (a socket that could not be made) is handed
            // to an event loop, so the checker and its listeners never run inside the namespace.
            CompletableFuture<ProbeResult> out = new CompletableFuture<>();
            f.whenComplete((r, e) -> {
                release();
                Runnable deliver = () -> {
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(r);
                    }
                };
                if (Thread.currentThread() == thread.thread()) {
                    callbacks.execute(deliver);
                } else {
                    deliver.run();
                }
            });
            return out;
        }

        private void closeLater() {
            if (!closedOnce.compareAndSet(false, true)) {
                return;
            }
            synchronized (lock) {
                live.remove(this);
            }
            // Closing ICMP sockets joins their receiver threads: not on an event loop.
            Thread.ofPlatform().daemon().name("netns-retire").start(this::closeSockets);
        }

        void closeNow() {
            if (closedOnce.compareAndSet(false, true)) {
                closeSockets();
            }
        }

        private void closeSockets() {
            icmp.close();
            if (thread != null) {
                thread.close();
            }
        }
    }
}
