package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.ApiReply;
import dev.vppmaglev.vpp.api.msg.ControlPingReply;
import dev.vppmaglev.vpp.api.msg.Empty;
import dev.vppmaglev.vpp.api.msg.MessageTableEntry;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.Retval;
import dev.vppmaglev.vpp.api.msg.SockclntCreate;
import dev.vppmaglev.vpp.api.msg.SockclntCreateReply;
import dev.vppmaglev.vpp.api.msg.SockclntDelete;
import dev.vppmaglev.vpp.api.msg.SockclntDeleteReply;
import dev.vppmaglev.vpp.api.wire.FrameReader;
import dev.vppmaglev.vpp.api.wire.MessageTable;
import dev.vppmaglev.vpp.api.wire.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection to VPP's binary API over {@code api.sock} (SOCK_STREAM), shared by every user:
 * the reconciler, the counters loop and the gRPC handlers (as ligato's govppmux). Speaks the
 * framing and handshake of vpp-wire.md §1 and the messages of {@link Messages}.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * VppApiClient c = VppApiClient.connect(VppApiClientConfig.defaults(path), observer);
 * c.call(Api.LB_CONF_GET, Empty.INSTANCE).thenAccept(r -> ...);      // one reply
 * c.dump(Api.LB_VIP_DUMP, LbVipDump.ALL).thenAccept(list -> ...);    // details until control_ping_reply
 * c.close();                                                        // sockclnt_delete, ≤ 100 ms
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Ids come from the handshake's message table by exact {@code name_crc}; a message that is
 *       not there fails with {@link VppUnsupportedMessageException} without being sent.</li>
 *   <li>Every request carries our {@code client_index} and a unique non-zero context; a dump is
 *       followed by a {@code control_ping} with the same context and completes at its reply.</li>
 *   <li>At most {@code window} requests are in flight; later ones queue and are sent in call
 *       order as replies arrive, so bulk programming pipelines (a dump counts as one).
 *       The liveness ping ({@link #livenessPing()}), {@code sockclnt_delete} and keepalive
 *       replies take no slot and go out ahead of the queue.</li>
 *   <li>A written request without reply after {@code requestTimeout} fails with
 *       {@link VppTimeoutException} ({@code vpp-api-timeout}); its context is remembered, and
 *       replies that arrive later for it are dropped ({@code vpp-api-late-reply}), as is any
 *       reply with a context we never used ({@code vpp-api-unexpected-reply}).</li>
 *   <li>When {@link #DEAD_AFTER_TIMEOUTS} written requests time out in a row without a single
 *       frame from VPP since they were written, the session ends
 *       ({@code vpp-api-session-dead}, {@link VppConnectionException}): VPP answers in order, so
 *       nothing behind them would be answered either. A VPP that is slow but still sends
 *       something (late replies, a long dump's details) keeps its session.</li>
 *   <li>A request still waiting for a window slot {@code queueTimeout} after the call fails with
 *       {@link VppTimeoutException} whose {@link VppTimeoutException#sent()} is false: VPP never
 *       saw it ({@code vpp-api-queue-timeout}).</li>
 *   <li>A reply with {@code retval != 0} fails with {@link VppApiException}.</li>
 *   <li>An unsolicited {@code memclnt_keepalive} is answered with {@code memclnt_keepalive_reply}.</li>
 *   <li>EOF, an I/O error or a frame above {@code maxFrameBytes} ends the connection: everything
 *       outstanding fails with {@link VppConnectionException} / {@link VppProtocolException} and
 *       {@link #closeFuture()} completes. The client never reconnects by itself; that is
 *       {@code dev.vppmaglev.vpp.VppConnection}'s job.</li>
 *   <li>So does a stream that lost its frame boundaries (garbage, a torn write): a frame VPP
 *       could not have sent — a message id that is not in VPP's own message table, a body
 *       shorter than a message id — or a frame that stays incomplete for longer than
 *       {@code requestTimeout} ({@code vpp-api-protocol-error}, {@link VppProtocolException}).
 *       Whatever follows such a frame cannot be trusted; a new session can.</li>
 *   <li>Every message is logged at DEBUG ({@code vpp-api-send}, {@code vpp-api-recv},
 *       {@code vpp-api-send-multi}, {@code vpp-api-recv-multi}) and reported to the
 *       {@link ApiObserver}.</li>
 *   <li>Timeouts, queue timeouts, late and unexpected replies come in bursts (a stuck VPP under a
 *       full sync, the 33k late details of one slow dump), so each kind is rate-limited: an
 *       event after a quiet {@link #LOG_BURST} is logged at once, the ones after it as one
 *       summary line per {@link #LOG_BURST} (and when the session ends) — {@code count}, the
 *       first {@code api_msg} and {@code context}, {@code by_msg} ({@code name=count,...}); see
 *       {@link BurstLog}.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Two virtual threads per connection (reader, writer) and one timer thread. Futures complete on
 * the reader thread: callbacks must not block (use the {@code *Async} variants for slow work);
 * issuing further requests from a callback is fine, it only queues them. None of the three dies
 * quietly: anything a thread does not expect ends the session ({@code vpp-api-reader-failed},
 * {@code vpp-api-writer-failed}, {@code vpp-api-timer-failed}, ERROR) so that every request
 * learns it and {@code VppConnection} reconnects. An {@link ApiObserver} that throws is logged
 * once ({@code vpp-api-observer-failed}) and otherwise ignored.
 */
public final class VppApiClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VppApiClient.class);

    /** Hard-coded id of {@code sockclnt_create} (memclnt ids are static, vpp-wire.md §1.10). */
    public static final int SOCKCLNT_CREATE_ID = 15;
    /** Hard-coded id of {@code sockclnt_create_reply}. */
    public static final int SOCKCLNT_CREATE_REPLY_ID = 16;
    private static final Duration DELETE_WAIT = Duration.ofMillis(100);
    /** Most queued messages written with one gathering write. */
    private static final int MAX_BATCH = 64;
    /**
     * Written requests that time out in a row, each while VPP has sent nothing at all since it was
     * written, after which the session is considered dead and ended. VPP answers one client
     * strictly in order (vpp-wire.md §1.7), so once the oldest requests go unanswered, the later
     * ones will too: waiting for more timeouts or missed pings only delays the reconnect.
     */
    public static final int DEAD_AFTER_TIMEOUTS = 3;
    /** At most one line per kind of event (timeouts, late replies...) per this interval, after the first. */
    static final Duration LOG_BURST = Duration.ofSeconds(1);
    /** Contexts given up on that are remembered, to tell their late replies from unknown ones. */
    private static final int MAX_ABANDONED = 4096;

    private final VppApiClientConfig config;
    private final ApiObserver observer;
    private final SocketChannel channel;
    private final FrameReader frames;
    private final MessageTable table;
    private final int clientIndex;
    private final MessageType<?>[] byId;
    private final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();
    /** Requests waiting for a window slot, in call order (FIFO, so oldest first). */
    private final ConcurrentLinkedQueue<Outgoing> outbound = new ConcurrentLinkedQueue<>();
    /** Messages that take no window slot and go out before {@link #outbound}. */
    private final ConcurrentLinkedQueue<Outgoing> priority = new ConcurrentLinkedQueue<>();
    private final Semaphore window;
    private final AtomicInteger contexts = new AtomicInteger(1);
    private final ScheduledExecutorService timer;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final CompletableFuture<VppException> closed = new CompletableFuture<>();
    private final long timeoutNanos;
    private final long queueTimeoutNanos;
    private final Thread reader;
    private final Thread writer;
    /** The request whose reply the reader is handling (reader thread only). */
    private Pending inHand;
    /** When the reader last got a frame from VPP, System.nanoTime(). */
    private volatile long lastReceiveNanos = System.nanoTime();
    /**
     * Contexts of written requests given up on (timed out), whose replies may still come; the
     * value says whether it is a dump (whose details precede the closing control_ping_reply). The
     * oldest are forgotten beyond {@link #MAX_ABANDONED}.
     */
    private final Map<Integer, Boolean> abandoned = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > MAX_ABANDONED;
        }
    });
    private final BurstLog timeoutLog;
    private final BurstLog queueTimeoutLog;
    private final BurstLog lateReplyLog = new BurstLog(log, Level.INFO, "vpp-api-late-reply", LOG_BURST);
    private final BurstLog unexpectedReplyLog = new BurstLog(log, Level.INFO, "vpp-api-unexpected-reply", LOG_BURST);
    /** Timeouts in a row with VPP silent since the request was written (timer thread only). */
    private int strikes;
    /** {@link #lastReceiveNanos} when {@link #strikes} was last reset (timer thread only). */
    private long strikesSince;

    private VppApiClient(VppApiClientConfig config, ApiObserver observer, SocketChannel channel, FrameReader frames,
                         SockclntCreateReply hello, ScheduledExecutorService timer) {
        this.config = config;
        this.observer = observer; // already guarded by connect()
        this.channel = channel;
        this.frames = frames;
        this.timer = timer;
        this.clientIndex = hello.index();
        Map<String, Integer> ids = new HashMap<>(hello.messageTable().size() * 2);
        for (MessageTableEntry e : hello.messageTable()) {
            ids.put(cleanName(e.name()), e.index());
        }
        this.table = new MessageTable(ids);
        this.byId = new MessageType<?>[table.maxId() + 1];
        for (MessageType<?> t : Messages.ALL) {
            table.id(t).ifPresent(id -> byId[id] = t);
        }
        this.window = new Semaphore(config.window());
        this.timeoutNanos = config.requestTimeout().toNanos();
        this.queueTimeoutNanos = config.queueTimeout().toNanos();
        this.timeoutLog = new BurstLog(log, Level.WARN, "vpp-api-timeout", LOG_BURST, "timeout_ms",
                config.requestTimeout().toMillis());
        this.queueTimeoutLog = new BurstLog(log, Level.WARN, "vpp-api-queue-timeout", LOG_BURST, "queue_timeout_ms",
                config.queueTimeout().toMillis());
        long tick = Math.max(5, Math.min(config.requestTimeout().toMillis(), config.queueTimeout().toMillis()) / 10);
        timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        this.reader = Thread.ofVirtual().name("vpp-api-reader").unstarted(this::readLoop);
        this.writer = Thread.ofVirtual().name("vpp-api-writer").unstarted(this::writeLoop);
        reader.start();
        writer.start();
    }

    /** govpp strips everything after the first NUL and a stray "\x13" suffix (vpp-wire.md §1.4). */
    private static String cleanName(String name) {
        return name.endsWith("\u0013") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * Connects to {@code config.socket()} and performs the {@code sockclnt_create} handshake.
     *
     * @param observer sees every message (use {@link ApiObserver#NONE} for none); one that throws
     *                 a RuntimeException is logged once and otherwise ignored
     * @return a ready client
     * @throws VppConnectionException when the socket cannot be reached or closes, or VPP does
     *         not answer the handshake within {@code connectTimeout}
     * @throws VppProtocolException   when the answer is not a valid {@code sockclnt_create_reply}
     */
    public static VppApiClient connect(VppApiClientConfig config, ApiObserver observer) {
        ApiObserver guarded = new GuardedObserver(observer);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vpp-api-timer");
            t.setDaemon(true);
            return t;
        });
        SocketChannel ch = null;
        AtomicBoolean timedOut = new AtomicBoolean();
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            SocketChannel watched = ch;
            ScheduledFuture<?> watchdog = timer.schedule(() -> {
                timedOut.set(true);
                closeQuietly(watched);
            }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ch.connect(UnixDomainSocketAddress.of(config.socket()));
            int context = 1;
            ByteBuffer hello = Messages.SOCKCLNT_CREATE.encodeFrame(SOCKCLNT_CREATE_ID, 0, context,
                    new SockclntCreate(config.clientName()));
            writeFully(ch, hello);
            guarded.onMessage(Messages.SOCKCLNT_CREATE.name(), Direction.SEND, true);
            FrameReader frames = new FrameReader(ch, config.maxFrameBytes());
            ByteBuffer body = frames.next();
            watchdog.cancel(false);
            int id = body.getShort(0) & 0xffff;
            if (id != SOCKCLNT_CREATE_REPLY_ID) {
                guarded.onMessage("unknown", Direction.RECV, false);
                throw new VppProtocolException("expected sockclnt_create_reply (id 16), got id " + id);
            }
            SockclntCreateReply reply = Messages.SOCKCLNT_CREATE_REPLY.decodeBody(body);
            int replyContext = Messages.SOCKCLNT_CREATE_REPLY.layout().context(body);
            boolean ok = reply.response() == 0 && replyContext == context;
            guarded.onMessage(Messages.SOCKCLNT_CREATE_REPLY.name(), Direction.RECV, ok);
            if (!ok) {
                throw new VppProtocolException("sockclnt_create_reply: response " + reply.response() + ", context "
                        + replyContext + " (sent " + context + ")");
            }
            log.atDebug().setMessage("vpp-api-handshake").addKeyValue("client_index", Integer.toHexString(reply.index()))
                    .addKeyValue("messages", reply.messageTable().size()).log();
            return new VppApiClient(config, guarded, ch, frames, reply, timer);
        } catch (IOException e) {
            closeQuietly(ch);
            timer.shutdownNow();
            if (timedOut.get()) {
                throw new VppConnectionException("VPP at " + config.socket() + " did not answer sockclnt_create within "
                        + config.connectTimeout().toMillis() + " ms", e);
            }
            String why = e instanceof EOFException ? "VPP closed the connection during the handshake" : e.toString();
            throw new VppConnectionException("cannot connect to VPP API socket " + config.socket() + ": " + why, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            timer.shutdownNow();
            throw e;
        }
    }

    /** Our client handle ({@code 0x80000000 | registration index}), sent as {@code client_index}. */
    public int clientIndex() {
        return clientIndex;
    }

    /** VPP's message table from the handshake. */
    public MessageTable messageTable() {
        return table;
    }

    /** Whether VPP has {@code type} with exactly our {@code name_crc}. */
    public boolean supports(MessageType<?> type) {
        return table.contains(type);
    }

    /** The settings this client runs with. */
    public VppApiClientConfig config() {
        return config;
    }

    /** Whether the connection is still usable. */
    public boolean isOpen() {
        return open.get();
    }

    /**
     * Completes once when the connection ends, with the reason: the I/O error, EOF, protocol
     * error, or a {@link VppConnectionException} saying we closed it.
     */
    public CompletableFuture<VppException> closeFuture() {
        return closed;
    }

    /**
     * Requests holding a window slot: written (or being written) and not answered yet. The
     * liveness ping, {@code sockclnt_delete} and keepalive replies take no slot and are not counted.
     */
    public int inFlight() {
        return config.window() - window.availablePermits();
    }

    /**
     * Sends {@code request} and completes with its reply.
     *
     * @return a future completing with the reply, or exceptionally with
     *         {@link VppApiException} (retval ≠ 0), {@link VppTimeoutException},
     *         {@link VppConnectionException}, {@link VppProtocolException} or
     *         {@link VppUnsupportedMessageException}
     */
    public <Q, R> CompletableFuture<R> call(Api.Call<Q, R> call, Q request) {
        CompletableFuture<R> f = new CompletableFuture<>();
        VppException unsupported = unsupported(call.request(), call.reply());
        if (unsupported != null) {
            f.completeExceptionally(unsupported);
            return f;
        }
        int ctx = nextContext();
        ByteBuffer frame = call.request().encodeFrame(table.id(call.request()).getAsInt(), clientIndex, ctx, request);
        enqueue(new Outgoing(ctx, new CallPending<>(call.request().name(), call.reply(), f), false, frame));
        return f;
    }

    /**
     * Sends {@code request} and a {@code control_ping} with the same context, collects every
     * {@code details} message until the ping's reply, and completes with them in arrival order.
     *
     * @return a future completing with the details (possibly empty), or exceptionally as
     *         {@link #call}
     */
    public <Q, D> CompletableFuture<List<D>> dump(Api.Dump<Q, D> dump, Q request) {
        CompletableFuture<List<D>> f = new CompletableFuture<>();
        VppException unsupported = unsupported(dump.request(), dump.details());
        if (unsupported == null) {
            unsupported = unsupported(Messages.CONTROL_PING, Messages.CONTROL_PING_REPLY);
        }
        if (unsupported != null) {
            f.completeExceptionally(unsupported);
            return f;
        }
        int ctx = nextContext();
        ByteBuffer req = dump.request().encodeFrame(table.id(dump.request()).getAsInt(), clientIndex, ctx, request);
        ByteBuffer ping = Messages.CONTROL_PING.encodeFrame(table.id(Messages.CONTROL_PING).getAsInt(), clientIndex,
                ctx, Empty.INSTANCE);
        enqueue(new Outgoing(ctx, new DumpPending<>(dump.request().name(), dump.details(), f), true, req, ping));
        return f;
    }

    /**
     * The liveness probe: a {@code control_ping} that goes out ahead of every queued request and
     * takes no window slot, so a full queue (a full sync queues ~33k requests) cannot delay it.
     * VPP answers one client in order, so its reply still comes after those of the requests
     * already written — at most {@code window} of them. Like any written request it fails with
     * {@link VppTimeoutException} when unanswered after {@code requestTimeout}.
     *
     * @return a future completing with the reply ({@code vpe_pid}), or exceptionally as {@link #call}
     */
    public CompletableFuture<ControlPingReply> livenessPing() {
        CompletableFuture<ControlPingReply> f = new CompletableFuture<>();
        VppException unsupported = unsupported(Api.CONTROL_PING.request(), Api.CONTROL_PING.reply());
        if (unsupported != null) {
            f.completeExceptionally(unsupported);
            return f;
        }
        int ctx = nextContext();
        ByteBuffer frame = Messages.CONTROL_PING.encodeFrame(table.id(Messages.CONTROL_PING).getAsInt(), clientIndex,
                ctx, Empty.INSTANCE);
        enqueuePriority(new Outgoing(ctx, new CallPending<>(Messages.CONTROL_PING.name(), Api.CONTROL_PING.reply(), f),
                false, frame));
        return f;
    }

    private VppException unsupported(MessageType<?> request, MessageType<?> reply) {
        if (!open.get()) {
            return closedCause();
        }
        if (!table.contains(request)) {
            return new VppUnsupportedMessageException(request.nameCrc());
        }
        if (!table.contains(reply)) {
            return new VppUnsupportedMessageException(reply.nameCrc());
        }
        return null;
    }

    private VppException closedCause() {
        VppException cause = closed.getNow(null);
        return cause != null ? cause : new VppConnectionException("VPP API connection is closed");
    }

    private int nextContext() {
        while (true) {
            int c = contexts.getAndIncrement() & 0x7fffffff;
            if (c != 0) {
                return c;
            }
        }
    }

    /** Queues a request that needs a window slot; the writer is woken when a slot is free. */
    private void enqueue(Outgoing o) {
        outbound.add(o);
        if (!open.get()) {
            failQueued(closedCause());
        } else if (window.availablePermits() > 0) {
            LockSupport.unpark(writer); // else the next finish() wakes it (it releases, then looks at the queue)
        }
    }

    /** Queues a message that takes no window slot and goes out before anything in the queue. */
    private void enqueuePriority(Outgoing o) {
        priority.add(o);
        if (!open.get()) {
            failQueued(closedCause());
        } else {
            LockSupport.unpark(writer);
        }
    }

    /** Gives a window slot back and wakes the writer if a request waits for one. */
    private void releaseSlot() {
        window.release();
        if (!outbound.isEmpty()) {
            LockSupport.unpark(writer);
        }
    }

    /**
     * Ends the session politely: {@code sockclnt_delete}, then waits at most 100 ms for its reply
     * or VPP's EOF, then closes the socket (vpp-wire.md §1.8). Outstanding requests fail with
     * {@link VppConnectionException}. Idempotent.
     */
    @Override
    public void close() {
        if (!open.get()) {
            return;
        }
        if (table.contains(Messages.SOCKCLNT_DELETE) && table.contains(Messages.SOCKCLNT_DELETE_REPLY)) {
            CompletableFuture<SockclntDeleteReply> f = new CompletableFuture<>();
            int ctx = nextContext();
            ByteBuffer frame = Messages.SOCKCLNT_DELETE.encodeFrame(table.id(Messages.SOCKCLNT_DELETE).getAsInt(),
                    clientIndex, ctx, new SockclntDelete(clientIndex));
            enqueuePriority(new Outgoing(ctx, new CallPending<>(Messages.SOCKCLNT_DELETE.name(),
                    Messages.SOCKCLNT_DELETE_REPLY, f), false, frame));
            try {
                CompletableFuture.anyOf(f, closed).get(DELETE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // no reply in time or connection already gone: close anyway
            }
        }
        shutdown(new VppConnectionException("VPP API connection closed by the client"));
    }

    private void shutdown(VppException cause) {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        flushLogs(System.nanoTime(), true);
        closeQuietly(channel); // a writer blocked in write() gets AsynchronousCloseException
        timer.shutdownNow();
        LockSupport.unpark(writer);
        for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                e.getValue().fail(cause);
            }
        }
        failQueued(cause);
        closed.complete(cause);
    }

    private void failQueued(VppException cause) {
        for (ConcurrentLinkedQueue<Outgoing> q : List.of(priority, outbound)) {
            Outgoing o;
            while ((o = q.poll()) != null) {
                if (o.pending != null) {
                    o.pending.fail(cause);
                }
            }
        }
    }

    // ---- writer -----------------------------------------------------------------------------

    /**
     * Takes what can go out now, writes it with one gathering write, repeats; parks when there is
     * nothing to send or no window slot. It never holds a request while it waits: a request is
     * taken off the queue only together with its slot, so until then it stays where the timer can
     * expire it ({@code queueTimeout}) and a shutdown can fail it.
     */
    private void writeLoop() {
        List<Outgoing> batch = new ArrayList<>(MAX_BATCH);
        List<Outgoing> written = new ArrayList<>(MAX_BATCH);
        List<ByteBuffer> buffers = new ArrayList<>(MAX_BATCH * 2);
        try {
            while (open.get()) {
                takeBatch(batch);
                if (batch.isEmpty()) {
                    LockSupport.park(this); // enqueue, releaseSlot and shutdown unpark
                    continue;
                }
                for (Outgoing o : batch) {
                    if (register(o)) {
                        written.add(o);
                        Collections.addAll(buffers, o.frames);
                        logSend(o); // before the write: the reply may be logged by the reader right after it
                    }
                }
                ByteBuffer[] all = buffers.toArray(ByteBuffer[]::new);
                long left = 0;
                for (ByteBuffer b : all) {
                    left += b.remaining();
                }
                while (left > 0) {
                    left -= channel.write(all);
                }
                for (Outgoing o : written) {
                    sent(o);
                }
                batch.clear();
                written.clear();
                buffers.clear();
            }
        } catch (IOException e) {
            if (open.get()) {
                log.atWarn().setMessage("vpp-api-write-failed").addKeyValue("error", e.toString()).log();
            }
            shutdown(new VppConnectionException("write to VPP API socket failed: " + e, e));
        } catch (Throwable t) {
            // anything else is our bug (or an Error); a writer that died quietly would leave the
            // client open with every later request queued forever
            shutdown(internalFailure("vpp-api-writer", t));
        } finally {
            // Requests this thread had taken off the queue but not written are nobody else's: fail
            // them, or their callers would wait forever.
            VppException cause = closedCause();
            for (Outgoing o : batch) {
                if (o.pending != null && !written.contains(o)) {
                    o.pending.fail(cause);
                }
            }
        }
    }

    /**
     * Fills {@code batch} (up to {@link #MAX_BATCH}): every priority message, then queued requests
     * while window slots are free. A request is taken with its slot and claimed from the timer
     * (one that expired in the queue meanwhile is dropped and its slot given back).
     */
    private void takeBatch(List<Outgoing> batch) {
        Outgoing o;
        while (batch.size() < MAX_BATCH && (o = priority.poll()) != null) {
            batch.add(o);
        }
        while (batch.size() < MAX_BATCH && window.tryAcquire()) {
            o = outbound.poll(); // poll, never peek() then poll(): a shutdown drains this queue too
            if (o == null) {
                window.release();
                break;
            }
            if (!o.pending.claim()) {
                window.release(); // the timer failed it while it waited
                continue;
            }
            o.pending.holdsSlot = true;
            batch.add(o);
        }
    }

    /** Makes {@code o}'s reply expected; false when it is no longer to be sent (its slot is given back). */
    private boolean register(Outgoing o) {
        Pending p = o.pending;
        if (p == null) {
            return true;
        }
        if (p.isDone() || !open.get()) {
            if (p.holdsSlot) {
                p.holdsSlot = false;
                window.release();
            }
            if (!open.get()) {
                p.fail(closedCause());
            }
            return false;
        }
        p.sentNanos = System.nanoTime();
        pending.put(o.context, p);
        if (!open.get() && pending.remove(o.context, p)) {
            p.fail(closedCause()); // shutdown ran between the check and the put
            return false;
        }
        return true;
    }

    private void sent(Outgoing o) {
        Pending p = o.pending;
        if (p != null) {
            observer.onMessage(p.name, Direction.SEND, true);
            if (o.multi) {
                observer.onMessage(Messages.CONTROL_PING.name(), Direction.SEND, true);
            }
        }
    }

    private static void logSend(Outgoing o) {
        if (!log.isDebugEnabled()) {
            return;
        }
        Pending p = o.pending;
        String name = p != null ? p.name : Messages.MEMCLNT_KEEPALIVE_REPLY.name();
        log.atDebug().setMessage(o.multi ? "vpp-api-send-multi" : "vpp-api-send").addKeyValue("api_msg", name)
                .addKeyValue("context", o.context).log();
    }

    private static void writeFully(SocketChannel ch, ByteBuffer f) throws IOException {
        while (f.hasRemaining()) {
            ch.write(f);
        }
    }

    // ---- reader -----------------------------------------------------------------------------

    private void readLoop() {
        VppException cause;
        try {
            while (true) {
                ByteBuffer body = frames.next();
                lastReceiveNanos = System.nanoTime();
                dispatch(body);
            }
        } catch (EOFException e) {
            cause = new VppConnectionException("VPP closed the API socket (" + e.getMessage() + ")", e);
        } catch (AsynchronousCloseException e) {
            cause = new VppConnectionException("VPP API connection closed", e);
        } catch (IOException e) {
            cause = new VppConnectionException("read from VPP API socket failed: " + e, e);
        } catch (VppProtocolException e) {
            log.atWarn().setMessage("vpp-api-protocol-error").addKeyValue("error", e.getMessage()).log();
            cause = e;
        } catch (RuntimeException e) {
            // most likely bytes our decoder could not take: treat the stream as untrustworthy
            logInternalFailure("vpp-api-reader", e);
            cause = new VppProtocolException("internal failure on vpp-api-reader: " + e, e);
        } catch (Throwable t) {
            cause = internalFailure("vpp-api-reader", t);
        }
        Pending p = inHand;
        if (p != null) {
            p.fail(cause); // no longer in pending: shutdown would not find it
        }
        shutdown(cause);
    }

    private void dispatch(ByteBuffer body) {
        if (body.remaining() < 2) {
            observer.onMessage("unknown", Direction.RECV, false);
            throw new VppProtocolException("a frame of " + body.remaining()
                    + " bytes, too short for a message id: the stream is out of step");
        }
        int id = body.getShort(0) & 0xffff;
        MessageType<?> type = id < byId.length ? byId[id] : null;
        if (type == null) {
            String nameCrc = table.nameCrc(id);
            observer.onMessage("unknown", Direction.RECV, false);
            if (nameCrc == null) {
                // VPP only sends messages it registered, and they are all in the handshake's table
                throw new VppProtocolException("a frame with message id " + id + ", which is not in VPP's message "
                        + "table (" + body.remaining() + " bytes): the stream is out of step");
            }
            log.atDebug().setMessage("vpp-api-recv-unknown").addKeyValue("id", id).addKeyValue("name_crc", nameCrc)
                    .log();
            return;
        }
        int ctx;
        try {
            ctx = type.layout().context(body);
        } catch (VppProtocolException e) {
            observer.onMessage(type.name(), Direction.RECV, false);
            log.atWarn().setMessage("vpp-api-truncated").addKeyValue("api_msg", type.name()).log();
            return;
        }
        if (type == Messages.MEMCLNT_KEEPALIVE) {
            observer.onMessage(type.name(), Direction.RECV, true);
            OptionalInt replyId = table.id(Messages.MEMCLNT_KEEPALIVE_REPLY);
            if (replyId.isEmpty()) { // never guess an id: VPP's table lacks the reply, so it expects none
                log.atDebug().setMessage("vpp-api-keepalive-unanswered").addKeyValue("reason",
                        "no " + Messages.MEMCLNT_KEEPALIVE_REPLY.nameCrc() + " in VPP's message table").log();
                return;
            }
            ByteBuffer reply = Messages.MEMCLNT_KEEPALIVE_REPLY.encodeFrame(replyId.getAsInt(), clientIndex, ctx,
                    Retval.OK);
            enqueuePriority(new Outgoing(ctx, null, false, reply));
            observer.onMessage(Messages.MEMCLNT_KEEPALIVE_REPLY.name(), Direction.SEND, true);
            return;
        }
        Pending p = pending.get(ctx);
        if (p == null) {
            observer.onMessage(type.name(), Direction.RECV, false);
            Boolean dump = abandoned.get(ctx);
            if (dump == null) {
                unexpectedReplyLog.add(type.name(), ctx, lastReceiveNanos);
            } else {
                lateReplyLog.add(type.name(), ctx, lastReceiveNanos);
                if (!dump || type == Messages.CONTROL_PING_REPLY) {
                    abandoned.remove(ctx); // its last message
                }
            }
            return;
        }
        inHand = p;
        p.accept(this, ctx, type, body);
        inHand = null;
    }

    private void finish(int ctx, Pending p) {
        if (pending.remove(ctx, p) && p.holdsSlot) {
            releaseSlot();
        }
    }

    /** The timer's task: a task that throws is never run again, so nothing may escape it. */
    private void tick() {
        try {
            expireTimedOut();
            if (open.get()) {
                long now = System.nanoTime();
                expireQueued(now);
                flushLogs(now, false);
            }
        } catch (Throwable t) {
            shutdown(internalFailure("vpp-api-timer", t));
        }
    }

    /** Logs the bursts that are {@link #LOG_BURST} old, or all of them when {@code force}. */
    private void flushLogs(long now, boolean force) {
        timeoutLog.flush(now, force);
        queueTimeoutLog.flush(now, force);
        lateReplyLog.flush(now, force);
        unexpectedReplyLog.flush(now, force);
    }

    /**
     * Logs {@code <thread>-failed} (ERROR, with the stack trace: this is a bug, not bad input) and
     * says why the session ends.
     */
    private static VppConnectionException internalFailure(String thread, Throwable t) {
        logInternalFailure(thread, t);
        return new VppConnectionException("internal failure on " + thread + ": " + t, t);
    }

    private static void logInternalFailure(String thread, Throwable t) {
        log.atError().setMessage(thread + "-failed").addKeyValue("error", t.toString()).setCause(t).log();
    }

    private void expireTimedOut() {
        long now = System.nanoTime();
        long inside = frames.waitingInsideFrameSince();
        if (inside != 0 && now - inside > timeoutNanos && open.get()) {
            // a torn write or a stream out of step: every later byte would be misread
            VppProtocolException e = new VppProtocolException("a frame from VPP stayed incomplete for more than "
                    + config.requestTimeout().toMillis() + " ms: the stream is out of step or VPP stopped writing");
            log.atWarn().setMessage("vpp-api-protocol-error").addKeyValue("error", e.getMessage()).log();
            shutdown(e);
            return;
        }
        long received = lastReceiveNanos;
        if (received != strikesSince) { // VPP sent something: whatever timed out before, it is alive
            strikes = 0;
            strikesSince = received;
        }
        for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (now - p.sentNanos > timeoutNanos && pending.remove(e.getKey(), p)) {
                if (p.holdsSlot) {
                    releaseSlot();
                }
                abandoned.put(e.getKey(), p instanceof DumpPending);
                p.fail(new VppTimeoutException(p.name, config.requestTimeout())); // first: whatever follows may throw
                observer.onMessage(p.name, Direction.RECV, false);
                timeoutLog.add(p.name, e.getKey(), now);
                if (received - p.sentNanos < 0) {
                    strikes++; // not a byte from VPP since this request went out
                }
            }
        }
        if (strikes >= DEAD_AFTER_TIMEOUTS && open.get()) {
            timeoutLog.flush(now, true); // the timeouts first, then what they led to
            long silentMs = TimeUnit.NANOSECONDS.toMillis(now - received);
            log.atWarn().setMessage("vpp-api-session-dead").addKeyValue("timeouts", strikes)
                    .addKeyValue("silent_ms", silentMs).addKeyValue("timeout_ms", config.requestTimeout().toMillis())
                    .log();
            shutdown(new VppConnectionException("no reply from VPP to " + strikes + " requests in a row and nothing "
                    + "received for " + silentMs + " ms: the session is considered dead"));
        }
    }

    /**
     * Fails requests that have waited for a window slot longer than {@code queueTimeout}
     * ({@link VppTimeoutException#notSent}). The queue is in call order, so the scan stops at the
     * first request still within its deadline.
     */
    private void expireQueued(long now) {
        for (Iterator<Outgoing> it = outbound.iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            Pending p = o.pending;
            if (now - p.queuedNanos <= queueTimeoutNanos) {
                return;
            }
            if (p.claim()) { // else the writer has just taken it
                it.remove();
                if (!p.isDone()) {
                    p.fail(VppTimeoutException.notSent(p.name, config.queueTimeout()));
                    observer.onMessage(p.name, Direction.SEND, false);
                    queueTimeoutLog.add(p.name, o.context, now);
                }
            }
        }
    }

    static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    // ---- bookkeeping --------------------------------------------------------------------------

    /**
     * The caller's observer behind a guard: an observer that throws (a metrics registry refusing a
     * label, say) loses that count, not the session. The first failure is logged
     * ({@code vpp-api-observer-failed}, ERROR), later ones are not. An {@link Error} is not caught:
     * it ends the session through the thread it hit.
     */
    private static final class GuardedObserver implements ApiObserver {
        private final ApiObserver observer;
        private final AtomicBoolean failed = new AtomicBoolean();

        GuardedObserver(ApiObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
        }

        @Override
        public void onMessage(String msg, Direction dir, boolean success) {
            try {
                observer.onMessage(msg, dir, success);
            } catch (RuntimeException e) {
                if (failed.compareAndSet(false, true)) {
                    log.atError().setMessage("vpp-api-observer-failed").addKeyValue("api_msg", msg)
                            .addKeyValue("error", e.toString())
                            .addKeyValue("note", "logged once per connection; the client goes on").log();
                }
            }
        }
    }

    /**
     * A message to write: one frame, or a dump's request and its {@code control_ping} ({@code multi}).
     * {@code pending} is null for a message that expects no reply (a keepalive reply).
     */
    private record Outgoing(int context, Pending pending, boolean multi, ByteBuffer... frames) {}

    /** A request whose answer is awaited: the caller's future and the bookkeeping around it. */
    private abstract static sealed class Pending permits CallPending, DumpPending {
        private static final VarHandle CLAIMED;

        static {
            try {
                CLAIMED = MethodHandles.lookup().findVarHandle(Pending.class, "claimed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final String name;
        final CompletableFuture<?> future;
        /** When it was queued (created), System.nanoTime(). */
        final long queuedNanos = System.nanoTime();
        volatile long sentNanos;
        volatile boolean holdsSlot;
        /** Taken off the queue by the writer (to send) or by the timer (to expire): exactly one wins. */
        @SuppressWarnings("unused") // via CLAIMED
        private volatile boolean claimed;

        Pending(String name, CompletableFuture<?> future) {
            this.name = name;
            this.future = future;
        }

        final boolean claim() {
            return CLAIMED.compareAndSet(this, false, true);
        }

        final boolean isDone() {
            return future.isDone();
        }

        final void fail(VppException e) {
            future.completeExceptionally(e);
        }

        abstract void accept(VppApiClient c, int ctx, MessageType<?> type, ByteBuffer body);
    }

    private static final class CallPending<R> extends Pending {
        final MessageType<R> replyType;
        final CompletableFuture<R> result;

        CallPending(String name, MessageType<R> replyType, CompletableFuture<R> result) {
            super(name, result);
            this.replyType = replyType;
            this.result = result;
        }

        @Override
        void accept(VppApiClient c, int ctx, MessageType<?> type, ByteBuffer body) {
            c.finish(ctx, this);
            if (type != replyType) {
                c.observer.onMessage(type.name(), Direction.RECV, false);
                future.completeExceptionally(new VppProtocolException("expected " + replyType.name() + " for "
                        + name + " (context " + ctx + "), got " + type.name()));
                return;
            }
            R reply;
            try {
                reply = replyType.decodeBody(body);
            } catch (VppProtocolException e) {
                c.observer.onMessage(type.name(), Direction.RECV, false);
                future.completeExceptionally(e);
                return;
            }
            int retval = reply instanceof ApiReply r ? r.retval() : 0;
            c.observer.onMessage(type.name(), Direction.RECV, retval == 0);
            if (log.isDebugEnabled()) {
                log.atDebug().setMessage("vpp-api-recv").addKeyValue("api_msg", type.name()).addKeyValue("context", ctx)
                        .addKeyValue("retval", retval).log();
            }
            if (retval != 0) {
                future.completeExceptionally(new VppApiException(name, retval, reply));
            } else {
                result.complete(reply);
            }
        }
    }

    private static final class DumpPending<D> extends Pending {
        final MessageType<D> detailsType;
        final CompletableFuture<List<D>> result;
        final ArrayList<D> items = new ArrayList<>();

        DumpPending(String name, MessageType<D> detailsType, CompletableFuture<List<D>> result) {
            super(name, result);
            this.detailsType = detailsType;
            this.result = result;
        }

        @Override
        void accept(VppApiClient c, int ctx, MessageType<?> type, ByteBuffer body) {
            if (type == detailsType) {
                D d;
                try {
                    d = detailsType.decodeBody(body);
                } catch (VppProtocolException e) {
                    c.finish(ctx, this);
                    c.observer.onMessage(type.name(), Direction.RECV, false);
                    future.completeExceptionally(e);
                    return;
                }
                items.add(d);
                c.observer.onMessage(type.name(), Direction.RECV, true);
                if (log.isDebugEnabled()) {
                    log.atDebug().setMessage("vpp-api-recv-multi").addKeyValue("api_msg", type.name())
                            .addKeyValue("context", ctx).log();
                }
                return;
            }
            c.finish(ctx, this);
            if (type == Messages.CONTROL_PING_REPLY) {
                c.observer.onMessage(type.name(), Direction.RECV, true);
                if (log.isDebugEnabled()) {
                    log.atDebug().setMessage("vpp-api-recv").addKeyValue("api_msg", type.name()).addKeyValue("context", ctx)
                            .addKeyValue("details", items.size()).log();
                }
                result.complete(Collections.unmodifiableList(items));
                return;
            }
            c.observer.onMessage(type.name(), Direction.RECV, false);
            future.completeExceptionally(new VppProtocolException("expected " + detailsType.name()
                    + " or control_ping_reply for " + name + " (context " + ctx + "), got " + type.name()));
        }
    }
}
