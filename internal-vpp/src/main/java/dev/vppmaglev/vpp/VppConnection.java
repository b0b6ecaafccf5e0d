package dev.vppmaglev.vpp;

import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.LbCapability;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppConnectionException;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.VppNotConnectedException;
import dev.vppmaglev.vpp.api.VppTimeoutException;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.ControlPingReply;
import dev.vppmaglev.vpp.api.msg.Empty;
import dev.vppmaglev.vpp.api.msg.ShowVersionReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps one session to VPP alive (behaviour.md §5.1): connect → {@code sockclnt_create} →
 * {@code show_version} → {@code control_ping} (for the pid) → open the {@link VppSessionPart}
 * (stats: maps the segment, reads {@code /sys/boottime}) → log {@code vpp-connect} → tell
 * listeners → {@code control_ping} every {@code pingInterval}; after {@code pingMisses}
 * unanswered pings, an I/O error, EOF, or a failed part: tear both down, log
 * {@code vpp-disconnect}, tell listeners, retry every {@code reconnectInterval}.
 *
 * <p>The ping is {@link VppApiClient#livenessPing()}: it overtakes whatever is queued (a full
 * sync), so it measures VPP, not our backlog. Every wait of the connection thread for VPP is
 * bounded (twice the request timeout), so a VPP that stops answering can never keep it from
 * tearing the session down and reconnecting.
 *
 * <p>All state changes run on one platform thread ({@code vpp-connection}); listeners are called
 * there. {@link #lb()} always talks to the current session and fails with
 * {@link VppNotConnectedException} while there is none.
 */
public final class VppConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VppConnection.class);

    private final VppConnectionConfig config;
    private final ApiObserver observer;
    private final VppSessionPart part;
    private final Clock clock;
    private final List<VppConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor;
    private final LbApi lb;
    private volatile VppSession current;
    private volatile boolean closed;
    private boolean started;
    private boolean failureLogged;
    private int misses;
    private ScheduledFuture<?> pingTask;

    /**
     * @param config   socket, timeouts, intervals
     * @param observer sees every API message (metrics)
     * @param part     opened and closed with the session ({@link VppSessionPart#NONE} for none)
     * @param clock    for {@link VppInfo#connectedSince()}
     */
    public VppConnection(VppConnectionConfig config, ApiObserver observer, VppSessionPart part, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.part = Objects.requireNonNull(part, "part");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vpp-connection");
            t.setDaemon(true);
            return t;
        });
        this.lb = new LbApi(this::client);
    }

    /** Adds a listener; if a session is up already, it is told at once (on the connection thread). */
    public void addListener(VppConnectionListener listener) {
        Objects.requireNonNull(listener);
        executor.execute(() -> {
            listeners.add(listener);
            VppSession s = current;
            if (s != null) {
                notifyConnected(listener, s);
            }
        });
    }

    /** Starts connecting (the first attempt runs at once). Idempotent. */
    public synchronized void start() {
        if (!started && !closed) {
            started = true;
            executor.execute(this::attempt);
        }
    }

    /** Whether a session is up. */
    public boolean isConnected() {
        return current != null;
    }

    /** The current session, if any. */
    public Optional<VppSession> session() {
        return Optional.ofNullable(current);
    }

    /** What is known about the connected VPP; {@link VppInfo#DISCONNECTED} when down. */
    public VppInfo info() {
        VppSession s = current;
        return s == null ? VppInfo.DISCONNECTED : s.info();
    }

    /** The typed API on whatever session is current. */
    public LbApi lb() {
        return lb;
    }

    private VppApiClient client() {
        VppSession s = current;
        if (s == null) {
            throw new VppNotConnectedException(closed ? "VPP connection is closed" : "not connected to VPP");
        }
        return s.client();
    }

    /**
     * Ends the current session because something outside the API found it broken (e.g. the stats
     * segment is frozen); both sockets are rebuilt.
     */
    public void reportFailure(String reason) {
        executor.execute(() -> {
            VppSession s = current;
            if (s != null) {
                lost(s, reason);
            }
        });
    }

    /** Tears the session down (with {@code sockclnt_delete}) and stops reconnecting. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            executor.submit(() -> {
                VppSession s = current;
                if (s != null) {
                    lost(s, "maglevd shutting down");
                }
            }).get(config.api().connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.atWarn().setMessage("vpp-close-failed").addKeyValue("error", e.toString()).log();
        }
        executor.shutdownNow();
    }

    // ---- on the connection thread -------------------------------------------------------------

    private void attempt() {
        if (closed || current != null) {
            return;
        }
        VppApiClient c = null;
        boolean partOpened = false;
        try {
            c = VppApiClient.connect(config.api(), observer);
            ShowVersionReply v = await(c.call(Api.SHOW_VERSION, Empty.INSTANCE), "show_version");
            ControlPingReply p = await(c.call(Api.CONTROL_PING, Empty.INSTANCE), "control_ping");
            partOpened = true;
            part.open();
            LbCapability cap = LbCapability.of(c.messageTable());
            Optional<Instant> bootTime = part.bootTime();
            VppInfo info = new VppInfo(true, v.program(), v.version(), v.buildDate(), v.buildDirectory(), p.vpePid(),
                    clock.instant(), c.clientIndex(), cap, bootTime);
            VppApiClient client = c;
            VppSession s = new VppSession(c, info, LbApi.of(c));
            current = s;
            misses = 0;
            failureLogged = false;
            log.atInfo().setMessage("vpp-connect").addKeyValue("version", v.version())
                    .addKeyValue("build_date", v.buildDate()).addKeyValue("pid", p.vpePid())
                    .addKeyValue("client_index", "0x" + Integer.toHexString(c.clientIndex()))
                    .addKeyValue("messages", c.messageTable().size()).addKeyValue("lb_v2", cap.v2Supported())
                    .addKeyValue("boottime", bootTime.map(Instant::toString).orElse("unknown")).log();
            if (!cap.v2Supported()) {
                log.atWarn().setMessage("vpp-lb-degraded").addKeyValue("missing", String.join(",", cap.missing()))
                        .addKeyValue("reason", cap.degradedReason()).log();
            }
            client.closeFuture().thenAccept(cause -> executor.execute(() -> lost(s, cause.getMessage())));
            long ms = config.pingInterval().toMillis();
            pingTask = executor.scheduleWithFixedDelay(this::ping, ms, ms, TimeUnit.MILLISECONDS);
            for (VppConnectionListener l : listeners) {
                notifyConnected(l, s);
            }
        } catch (RuntimeException e) {
            if (partOpened) {
                closePart();
            }
            if (c != null) {
                c.close();
            }
            String error = e instanceof VppException ? e.getMessage() : e.toString();
            if (!failureLogged) {
                log.atWarn().setMessage("vpp-connect-failed").addKeyValue("socket", config.api().socket())
                        .addKeyValue("error", error)
                        .addKeyValue("retry_in_ms", config.reconnectInterval().toMillis()).log();
                failureLogged = true;
            } else {
                log.atDebug().setMessage("vpp-connect-failed").addKeyValue("error", error).log();
            }
            scheduleAttempt();
        } catch (Exception e) {
            // part.open() may throw checked exceptions
            closePart();
            if (c != null) {
                c.close();
            }
            if (!failureLogged) {
                log.atWarn().setMessage("vpp-connect-failed").addKeyValue("part", part.name())
                        .addKeyValue("error", e.toString())
                        .addKeyValue("retry_in_ms", config.reconnectInterval().toMillis()).log();
                failureLogged = true;
            }
            scheduleAttempt();
        }
    }

    private void scheduleAttempt() {
        if (!closed) {
            executor.schedule(this::attempt, config.reconnectInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * How long the connection thread waits for a reply: twice the request timeout. The client
     * fails a written request after the request timeout by itself; the bound is for one it could
     * not even write (VPP stopped reading and the socket buffer is full).
     */
    private Duration replyWait() {
        return config.api().requestTimeout().multipliedBy(2);
    }

    private <T> T await(CompletableFuture<T> f, String what) {
        Duration wait = replyWait();
        try {
            return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new VppTimeoutException(what, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VppConnectionException("interrupted", e);
        } catch (ExecutionException e) {
            VppException v = VppException.unwrap(e);
            throw v != null ? v : new VppConnectionException(e.getCause().toString(), e.getCause());
        }
    }

    private void ping() {
        VppSession s = current;
        if (s == null) {
            return;
        }
        if (!part.healthy()) {
            lost(s, part.name() + " part reports failure");
            return;
        }
        try {
            await(s.client().livenessPing(), "control_ping");
            misses = 0;
        } catch (VppConnectionException e) {
            lost(s, e.getMessage());
        } catch (VppException e) {
            misses++;
            log.atWarn().setMessage("vpp-ping-failed").addKeyValue("misses", misses)
                    .addKeyValue("threshold", config.pingMisses()).addKeyValue("error", e.getMessage()).log();
            if (misses >= config.pingMisses()) {
                lost(s, "no control_ping_reply " + misses + " times in a row");
            }
        }
    }

    private void lost(VppSession s, String reason) {
        if (current != s) {
            return;
        }
        current = null;
        if (pingTask != null) {
            pingTask.cancel(false);
            pingTask = null;
        }
        closePart();
        s.client().close();
        log.atInfo().setMessage("vpp-disconnect").addKeyValue("reason", reason)
                .addKeyValue("pid", s.info().pid()).log();
        for (VppConnectionListener l : listeners) {
            try {
                l.onDisconnected(reason);
            } catch (RuntimeException e) {
                log.atError().setMessage("vpp-listener-failed").addKeyValue("error", e.toString()).setCause(e).log();
            }
        }
        scheduleAttempt();
    }

    private void notifyConnected(VppConnectionListener l, VppSession s) {
        try {
            l.onConnected(s);
        } catch (RuntimeException e) {
            log.atError().setMessage("vpp-listener-failed").addKeyValue("error", e.toString()).setCause(e).log();
        }
    }

    private void closePart() {
        try {
            part.close();
        } catch (RuntimeException e) {
            log.atWarn().setMessage("vpp-part-close-failed").addKeyValue("part", part.name())
                    .addKeyValue("error", e.toString()).log();
        }
    }
}
