package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.VppErrors;
import dev.vppmaglev.vpp.api.VppProtocolException;
import dev.vppmaglev.vpp.api.msg.CliInband;
import dev.vppmaglev.vpp.api.msg.CliInbandReply;
import dev.vppmaglev.vpp.api.msg.ControlPingReply;
import dev.vppmaglev.vpp.api.msg.GetFirstMsgId;
import dev.vppmaglev.vpp.api.msg.GetFirstMsgIdReply;
import dev.vppmaglev.vpp.api.msg.IpRoute;
import dev.vppmaglev.vpp.api.msg.IpRouteLookup;
import dev.vppmaglev.vpp.api.msg.IpRouteLookupReply;
import dev.vppmaglev.vpp.api.msg.LbConf;
import dev.vppmaglev.vpp.api.msg.LbConfGetReply;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.MessageTableEntry;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.OldLbHandlers;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.api.msg.Retval;
import dev.vppmaglev.vpp.api.msg.ShowVersionReply;
import dev.vppmaglev.vpp.api.msg.SockclntCreate;
import dev.vppmaglev.vpp.api.msg.SockclntCreateReply;
import dev.vppmaglev.vpp.api.msg.SockclntDelete;
import dev.vppmaglev.vpp.api.msg.SockclntDeleteReply;
import dev.vppmaglev.vpp.api.wire.FrameReader;
import dev.vppmaglev.vpp.api.wire.Layout;
import dev.vppmaglev.vpp.api.wire.MessageTable;
import dev.vppmaglev.vpp.api.wire.MessageType;
import dev.vppmaglev.vpp.api.wire.WireWriter;
import dev.vppmaglev.vpp.fake.stats.FakeStatsSegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A process-local VPP for tests and demos: a Unix-socket server speaking VPP's binary API
 * (vpp-wire.md §1–3: 16-byte framing with a junk {@code q}, {@code sockclnt_create} handshake with
 * a message table from the {@code .api.json} files, VPP's silences) and the lb plugin's semantics
 * (§3.5, §3.6, §5), held to the golden captures by {@code GoldenReplayTest}; or, with
 * {@link Builder#lbV2(boolean) lbV2(false)}, a VPP older than 26.10 with its old lb handlers
 * ({@link FakeLbApi}).
 *
 * <h2>Fidelity</h2>
 * <ul>
 *   <li>No reply for an unknown id, a truncated body, a wrong {@code client_index} (mutating
 *       handlers still act, as VPP's do before {@code REPLY_MACRO}), or a client's
 *       {@code memclnt_keepalive}; messages of one connection are handled strictly in order;
 *       dumps send only details (the client's {@code control_ping} ends them).</li>
 *   <li>VIP and AS pool indexes with index reuse, FIB load-balance indexes from 8, Maglev bucket
 *       counts with weights, removed-but-not-collected entries, garbage collection after 10 s /
 *       60 s, the IPv4 AS-dump filter that matches nothing, {@code lb_flush_vip} always 0,
 *       byte-swapped NAT ports, {@code new_flows_table_length 0} crashing VPP (here: a restart).</li>
 *   <li>Not modelled: the data plane. Counters, sticky flows and the sticky table only change
 *       through {@link #bumpVip}, {@link #recordTraffic}, {@link #simulateTraffic},
 *       {@link #setAsFlows} and {@link #setStickyUsage}.</li>
 * </ul>
 *
 * <h2>Stats segment</h2>
 * With {@link Builder#statsSocket(Path)} the fake also is VPP's stats side (vpp-wire.md §4): a
 * {@link FakeStatsSegment} in a real memfd, handed out on {@code stats.sock} with
 * {@code SCM_RIGHTS}. It holds {@code /sys/boottime} (the fake's boot time), the lb plugin's four
 * counters (created with the first VIP, validated and zeroed for every new VIP at its pool index,
 * as {@code lb_vip_add} does) and {@code /net/route/to} / {@code /net/route/via} (validated and
 * zeroed for every FIB load-balance index the fake hands out: VIP routes and AS next hops; the
 * index is what {@code ip_route_lookup} reports as {@code stats_index}). Traffic recorded with
 * {@link #bumpVip} or {@link #recordTraffic} is counted per VPP thread
 * ({@link Builder#statsThreads(int)}) like the data plane does, and shows in
 * {@code show lb vips verbose} as the sum. {@code /sys/heartbeat} moves every 10 s. A
 * {@link #restart()} closes the old segment and its socket (clients keep a frozen mapping, as with
 * a real VPP) and serves a fresh one with a new boot time on the same path.
 *
 * <h2>Fault hooks</h2>
 * {@link #dropConnections()}, {@link #dropAfterMessages(int)}, {@link #setReplyDelay(Duration)},
 * {@link #restart()} / {@link #restart(boolean)} (empty state, new pid, new boot time, optionally
 * without the lb v2 messages); {@link Fault}s injected now ({@link #inject(Fault)}) or when the
 * n-th message arrives ({@link #faultAfterMessages(int, Fault)}): a drop, a restart, a reply with
 * a context nobody asked for, raw garbage, a frame header with any length, a frame cut short and
 * the connection closed; {@link #truncateStatsSegment(long)} cuts the stats segment's memory file
 * under its readers. Call counters and a call log for assertions.
 */
public final class FakeVpp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FakeVpp.class);
    /** The q value VPP puts in its frames (golden: a VPP pointer); clients must ignore it. */
    static final long JUNK_Q = 0xc054043001000000L;
    /** Requests that change VPP's lb state. */
    public static final Set<String> MUTATING = Set.of("lb_conf", "lb_add_del_vip", "lb_add_del_vip_v2",
            "lb_add_del_as", "lb_add_del_as_v2", "lb_as_set_weight", "lb_flush_vip");

    /** One request as the fake received it. */
    public record Call(String msg, Object request) {}

    private final Path socket;
    private final long seed;
    private final String program;
    private final String version;
    private final String buildDate;
    private final LongSupplier uptimeOverride;
    private final Object lock = new Object();
    private final ConcurrentHashMap<Integer, Conn> conns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final AtomicInteger faultsInjected = new AtomicInteger();
    private final ScheduledExecutorService gc;
    private volatile Duration replyDelay = Duration.ZERO;
    private volatile boolean lbV2;
    private volatile int pid;
    private volatile long bootNanos;
    private final Path statsSocket;
    private final FakeStatsSegment.Options statsOptions;
    private final Instant firstBoot;
    private volatile Instant bootTime;
    private volatile FakeStatsSegment stats;
    private FakeDataPlaneCounters counters;
    private boolean started;
    private volatile FakeMessageTable table;
    private FakeLbPlugin lb;
    private FakeLbApi lbApi;
    private FakeCli cli;
    private final Pool<Conn> registrations = new Pool<>();
    private ServerSocketChannel server;
    private Thread acceptor;
    private volatile boolean closed;

    private FakeVpp(Builder b) {
        this.socket = Objects.requireNonNull(b.socket, "apiSocket");
        this.seed = b.seed;
        this.lbV2 = b.lbV2;
        this.pid = b.pid;
        this.program = b.program;
        this.version = b.version;
        this.buildDate = b.buildDate;
        this.uptimeOverride = b.uptime;
        this.statsSocket = b.statsSocket;
        this.statsOptions = FakeStatsSegment.Options.DEFAULT.withThreads(b.statsThreads);
        this.firstBoot = b.bootTime;
        this.gc = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-vpp-gc");
            t.setDaemon(true);
            return t;
        });
        registrations.get(new Conn(null)); // index 0 is VPP's own; clients start at 1 (golden 0x80000001)
        reset();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a fake VPP. */
    public static final class Builder {
        private Path socket;
        private boolean lbV2 = true;
        private int pid = 1000 + (int) (ProcessHandle.current().pid() % 30000);
        private long seed = System.nanoTime();
        private String program = "vpe";
        private String version = "26.10-rc0~374-gb575ec2c56d";
        private String buildDate = "2026-11-21T07:29:40";
        private LongSupplier uptime;
        private Path statsSocket;
        private int statsThreads = 1;
        private Instant bootTime;

        /** Where to listen (an existing file there is replaced). */
        public Builder apiSocket(Path socket) {
            this.socket = socket;
            return this;
        }

        /**
         * false: a VPP older than 26.10 (lb API 1.1.0, every release up to 26.06): without
         * lb_conf_get, lb_add_del_as_v2, lb_as_set_weight, lb_as_v2_dump, and with the old lb
         * handlers those VPPs have ({@link FakeLbApi}: VIP prefix lengths used raw, encap
         * compared without byte swapping, ip46 lengths / protocol 0 / internal VIP types in the
         * details, removed VIPs in {@code lb_vip_dump}), the text of that version in
         * {@code show lb vips verbose} (ASes without weights) and no periodic garbage collection.
         */
        public Builder lbV2(boolean lbV2) {
            this.lbV2 = lbV2;
            return this;
        }

        /** VPP's pid ({@code control_ping_reply.vpe_pid}). */
        public Builder pid(int pid) {
            this.pid = pid;
            return this;
        }

        /** Seed of the module-id order and the announce order of the message table. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** {@code show_version_reply} strings. */
        public Builder version(String program, String version, String buildDate) {
            this.program = program;
            this.version = version;
            this.buildDate = buildDate;
            return this;
        }

        /** VPP uptime in seconds (default: since start/restart); drives GC and {@code in_use_since}. */
        public Builder uptime(LongSupplier seconds) {
            this.uptime = seconds;
            return this;
        }

        /**
         * Also serve a stats segment on {@code socket} (VPP's {@code stats.sock}); see the class
         * comment. Without it there is no segment.
         */
        public Builder statsSocket(Path socket) {
            this.statsSocket = socket;
            return this;
        }

        /** VPP threads (main + workers) in the stats segment's counters, 1..256 (default 1). */
        public Builder statsThreads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be 1..256, got " + threads);
            }
            this.statsThreads = threads;
            return this;
        }

        /**
         * The first boot time ({@code /sys/boottime}, whole seconds; default: now). Every restart
         * boots at "now", at least one second after the previous boot.
         */
        public Builder bootTime(Instant bootTime) {
            this.bootTime = bootTime;
            return this;
        }

        /**
         * @throws UncheckedIOException when the stats segment's memfd cannot be created
         */
        public FakeVpp build() {
            return new FakeVpp(this);
        }
    }

    /**
     * Binds the API socket (and the stats socket, if any) and starts accepting clients.
     *
     * @throws IOException when a socket cannot be bound; the message names the socket
     */
    public FakeVpp start() throws IOException {
        try {
            Files.deleteIfExists(socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new IOException("API socket " + socket + ": " + e.getMessage(), e);
        }
        synchronized (lock) {
            started = true;
            if (stats != null) {
                try {
                    stats.serve(statsSocket);
                } catch (IOException e) {
                    throw new IOException("stats socket " + statsSocket + ": " + e.getMessage(), e);
                }
            }
        }
        acceptor = Thread.ofVirtual().name("fake-vpp-accept").start(this::acceptLoop);
        gc.scheduleWithFixedDelay(() -> {
            synchronized (lock) {
                if (lbV2) { // lb-gc-process came with the 26.10 handler fixes; before, only config changes collect
                    lb.collectGarbage();
                }
            }
        }, FakeLbPlugin.GARBAGE_RUN_S, FakeLbPlugin.GARBAGE_RUN_S, TimeUnit.SECONDS);
        gc.scheduleWithFixedDelay(() -> {
            synchronized (lock) { // a restart swaps the segment under this lock
                if (stats != null && stats.isOpen()) {
                    stats.beat(); // VPP's stats collector, every update interval (10 s)
                }
            }
        }, 10, 10, TimeUnit.SECONDS);
        log.atInfo().setMessage("fake-vpp-listening").addKeyValue("socket", socket)
                .addKeyValue("stats_socket", statsSocket == null ? "none" : statsSocket.toString())
                .addKeyValue("pid", pid).addKeyValue("boottime", bootTime)
                .addKeyValue("messages", table.table().size()).addKeyValue("lb_v2", lbV2).log();
        return this;
    }

    private void reset() {
        synchronized (lock) {
            table = new FakeMessageTable(lbV2, seed);
            bootNanos = System.nanoTime();
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant previous = bootTime;
            bootTime = previous == null ? (firstBoot != null ? firstBoot : now)
                    : (now.isAfter(previous) ? now : previous.plusSeconds(1));
            FakeStatsSegment old = stats;
            stats = null;
            if (old != null) {
                old.close(); // the old VPP's socket goes away; clients keep their (frozen) mapping
            }
            if (statsSocket != null) {
                try {
                    FakeStatsSegment s = FakeStatsSegment.create(statsOptions);
                    stats = s;
                    s.setBootTime(bootTime.getEpochSecond());
                    if (started) {
                        s.serve(statsSocket);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("fake stats segment on " + statsSocket + ": " + e.getMessage(), e);
                }
            }
            counters = new FakeDataPlaneCounters(stats);
            FakeFib fib = new FakeFib(counters::routeAllocated);
            lb = new FakeLbPlugin(fib, this::uptime, counters, !lbV2);
            lbApi = new FakeLbApi(lb, !lbV2);
            cli = new FakeCli(lb);
        }
    }

    private long uptime() {
        return uptimeOverride != null ? uptimeOverride.getAsLong()
                : TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - bootNanos);
    }

    // ---- accessors and hooks -------------------------------------------------------------------

    public Path apiSocket() {
        return socket;
    }

    /** VPP's pid as {@code control_ping_reply} reports it. */
    public int pid() {
        return pid;
    }

    /** When this VPP (re)started, as {@code /sys/boottime} says (whole seconds). */
    public Instant bootTime() {
        return bootTime;
    }

    /** The stats socket, if this fake serves one. */
    public Optional<Path> statsSocket() {
        return Optional.ofNullable(statsSocket);
    }

    /**
     * The current stats segment (a new one after every {@link #restart()}), if this fake has one;
     * for tests that poke it directly (e.g. {@link FakeStatsSegment#holdLock()}).
     */
    public Optional<FakeStatsSegment> statsSegment() {
        return Optional.ofNullable(stats);
    }

    /** The pool index ({@code [N]} of {@code show lb vips verbose}) of the live VIP {@code vip}. */
    public OptionalInt vipIndex(LbVip vip) {
        synchronized (lock) {
            int i = findVip(vip.pfx(), vip.protocol(), vip.port());
            return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
        }
    }

    /**
     * The FIB stats index ({@code /net/route/to} column, {@code ip_route_lookup}'s
     * {@code stats_index}) of the VIP route for exactly {@code prefix}.
     */
    public OptionalInt fibStatsIndex(Prefix prefix) {
        synchronized (lock) {
            FakeFib.Key key = new FakeFib.Key(!prefix.isIp4(),
                    Ip46.of(prefix.address()).mask(prefix.len() + (prefix.isIp4() ? 96 : 0)), prefix.len());
            return lb.fib().exactRoute(key).map(e -> OptionalInt.of(e.lbIndex)).orElse(OptionalInt.empty());
        }
    }

    /** The lb plugin's global settings now, as {@code lb_conf_get} would answer. */
    public LbConf lbConf() {
        synchronized (lock) {
            return new LbConf(lb.ip4Src, lb.ip6Src, lb.stickyBucketsPerCore, lb.flowTimeout);
        }
    }

    /** The message table this VPP announces. */
    public MessageTable messageTable() {
        return table.table();
    }

    /** Whether the lb v2 messages are in the table (false: also the old lb handlers). */
    public boolean lbV2() {
        return lbV2;
    }

    /** Connected clients. */
    public int connections() {
        return conns.size();
    }

    /** Closes every client connection now (VPP seen as gone: EOF). */
    public void dropConnections() {
        for (Conn c : List.copyOf(conns.values())) {
            unregister(c);
        }
        log.atInfo().setMessage("fake-vpp-drop-connections").log();
    }

    /**
     * Drops every connection when the {@code n}-th message from now arrives (it gets no reply).
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public void dropAfterMessages(int n) {
        faultAfterMessages(n, Fault.DROP);
    }

    /**
     * A fault of the API side (fault hooks for the reliability tests, docs/reliability.md). Frames
     * are written as VPP writes them (16-byte header, junk {@code q}, big-endian {@code data_len},
     * vpp-wire.md §1.2), with nothing else of VPP's framing discipline.
     */
    public sealed interface Fault {
        /** {@link Drop}. */
        Fault DROP = new Drop();
        /** {@link Restart}. */
        Fault RESTART = new Restart();

        /** Every connection closed (clients see EOF), the lb state kept: {@link #dropConnections()}. */
        record Drop() implements Fault {}

        /** A VPP restart: connections closed, empty lb state, new pid and boot time: {@link #restart()}. */
        record Restart() implements Fault {}

        /**
         * A well-formed {@code control_ping_reply} (retval 0) carrying {@code context}: a reply to a
         * request the client never sent, or sent and gave up on.
         */
        record UnknownContextReply(int context) implements Fault {}

        /** {@code bytes} written as they are, without framing: the client's stream loses its frame boundaries. */
        record Garbage(byte[] bytes) implements Fault {
            public Garbage {
                bytes = bytes.clone();
            }

            @Override
            public byte[] bytes() {
                return bytes.clone();
            }

            @Override
            public String toString() {
                return "Garbage[" + bytes.length + " bytes]";
            }
        }

        /**
         * A lone frame header announcing {@code dataLen} body bytes (an unsigned 32-bit value) and
         * no body; the connection stays open. Above the client's frame limit it is a protocol error
         * at once; below it the client waits for a body that never comes.
         */
        record BadLength(long dataLen) implements Fault {
            public BadLength {
                if (dataLen < 0 || dataLen > 0xffff_ffffL) {
                    throw new IllegalArgumentException("data_len is a u32, got " + dataLen);
                }
            }
        }

        /**
         * A frame announcing {@code declaredBytes} body bytes of which only the first
         * {@code sentBytes} are written (the start of a {@code control_ping_reply}, then zeros),
         * then the connection is closed: VPP dying in the middle of a write.
         */
        record TruncatedFrame(int declaredBytes, int sentBytes) implements Fault {
            public TruncatedFrame {
                if (declaredBytes < 1 || sentBytes < 0 || sentBytes >= declaredBytes) {
                    throw new IllegalArgumentException("need 0 <= sentBytes < declaredBytes, got " + sentBytes + " of "
                            + declaredBytes);
                }
            }
        }
    }

    /** A fault waiting for its message: {@code left} counts down to 0. */
    private record Armed(AtomicInteger left, Fault fault) {}

    /**
     * Arms {@code fault} for the {@code n}-th message from now (counted over every connection, as
     * {@link #dropAfterMessages(int)}): replies to the messages before it are written, then the
     * fault is applied; unless the fault ends the connection ({@link Fault.Drop},
     * {@link Fault.Restart}, {@link Fault.TruncatedFrame}) the message is then handled as usual.
     * Replaces a fault armed before. Stream faults go to the connection that sent the message.
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public void faultAfterMessages(int n, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        armed.set(new Armed(new AtomicInteger(n), fault));
    }

    /** Disarms the fault set by {@link #faultAfterMessages} if it has not fired; returns it then. */
    public Optional<Fault> cancelFault() {
        Armed a = armed.getAndSet(null);
        return a == null ? Optional.empty() : Optional.of(a.fault());
    }

    /** Faults applied so far (armed ones that fired plus {@link #inject} calls). */
    public int faultsInjected() {
        return faultsInjected.get();
    }

    /**
     * Applies {@code fault} now: {@link Fault.Drop} and {@link Fault.Restart} once, a stream fault
     * to every connected client.
     */
    public void inject(Fault fault) {
        Objects.requireNonNull(fault, "fault");
        faultsInjected.incrementAndGet();
        log.atInfo().setMessage("fake-vpp-fault").addKeyValue("fault", fault.toString()).log();
        switch (fault) {
            case Fault.Drop d -> dropConnections();
            case Fault.Restart r -> restart();
            default -> {
                for (Conn c : List.copyOf(conns.values())) {
                    try {
                        applyToStream(fault, c);
                    } catch (IOException e) {
                        log.atDebug().setMessage("fake-vpp-fault-write-failed").addKeyValue("error", e.toString()).log();
                        unregister(c);
                    }
                }
            }
        }
    }

    /** Applies a fault armed for the message just read on {@code c}; false when {@code c} is gone. */
    private boolean fire(Fault fault, Conn c) throws IOException {
        faultsInjected.incrementAndGet();
        log.atInfo().setMessage("fake-vpp-fault").addKeyValue("fault", fault.toString())
                .addKeyValue("client", c.name).log();
        c.flush(); // replies to the messages before this one still go out
        switch (fault) {
            case Fault.Drop d -> {
                dropConnections();
                return false;
            }
            case Fault.Restart r -> {
                restart();
                return false;
            }
            default -> {
                return applyToStream(fault, c);
            }
        }
    }

    /** Writes a stream fault to {@code c}; false when it closed the connection. */
    private boolean applyToStream(Fault fault, Conn c) throws IOException {
        switch (fault) {
            case Fault.UnknownContextReply u -> c.send(frame(Messages.CONTROL_PING_REPLY, u.context(),
                    new ControlPingReply(0, c.handle(), pid)));
            case Fault.Garbage g -> c.sendRaw(ByteBuffer.wrap(g.bytes));
            case Fault.BadLength b -> c.sendRaw(header(b.dataLen(), 0).flip());
            case Fault.TruncatedFrame t -> {
                ByteBuffer ping = frame(Messages.CONTROL_PING_REPLY, 0x7472, new ControlPingReply(0, c.handle(), pid));
                ByteBuffer out = header(t.declaredBytes(), t.sentBytes());
                ByteBuffer body = ping.position(MessageType.FRAME_HEADER_BYTES).slice();
                for (int i = 0; i < t.sentBytes(); i++) {
                    out.put(i < body.remaining() ? body.get(i) : 0);
                }
                c.sendRaw(out.flip());
                unregister(c);
                return false;
            }
            case Fault.Drop d -> throw new IllegalArgumentException("not a stream fault: " + d);
            case Fault.Restart r -> throw new IllegalArgumentException("not a stream fault: " + r);
        }
        return true;
    }

    /** A frame header announcing {@code dataLen} bytes, with room for {@code body} more (position after the header). */
    private static ByteBuffer header(long dataLen, int body) {
        ByteBuffer b = ByteBuffer.allocate(MessageType.FRAME_HEADER_BYTES + body);
        b.putLong(JUNK_Q).putInt((int) dataLen).putInt(0);
        return b;
    }

    /**
     * Cuts the stats segment's memory file to {@code bytes} under every client's mapping (a
     * reader that touches the rest gets SIGBUS, which the JVM raises as an {@link InternalError}),
     * and stops serving it: until {@link #restart()}, there is no stats socket and traffic is not
     * counted. Nothing happens without a stats segment.
     *
     * @throws IOException when {@code ftruncate} fails
     */
    public void truncateStatsSegment(long bytes) throws IOException {
        synchronized (lock) {
            if (stats != null) {
                stats.truncate(bytes);
                faultsInjected.incrementAndGet();
                log.atInfo().setMessage("fake-vpp-fault").addKeyValue("fault", "stats segment truncated to " + bytes)
                        .log();
            }
        }
    }

    /** Waits {@code delay} before handling each message (0 = none). */
    public void setReplyDelay(Duration delay) {
        replyDelay = Objects.requireNonNull(delay);
    }

    /**
     * A VPP restart: connections dropped, empty lb state, new pid, new boot time, and (with a
     * stats socket) the old segment closed and a fresh one served.
     */
    public void restart() {
        restart(lbV2);
    }

    /**
     * A restart into a VPP 26.10 ({@code true}) or into an older one without the lb v2 messages and
     * with the old handlers ({@link Builder#lbV2(boolean)}).
     */
    public void restart(boolean withLbV2) {
        synchronized (lock) { // a client reconnecting at once meets the new VPP, never the old state
            dropConnections();
            lbV2 = withLbV2;
            pid++;
            reset();
        }
        log.atInfo().setMessage("fake-vpp-restart").addKeyValue("pid", pid).addKeyValue("lb_v2", lbV2).log();
    }

    /** Messages received per name (including ones without reply). */
    public Map<String, Integer> callCounts() {
        Map<String, Integer> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Messages named {@code msg} received so far. */
    public int callCount(String msg) {
        AtomicInteger n = counts.get(msg);
        return n == null ? 0 : n.get();
    }

    /** Requests that change lb state ({@link #MUTATING}, plus {@code cli_inband "lb ..."}). */
    public int mutatingCalls() {
        int n = 0;
        for (Call c : calls) {
            if (MUTATING.contains(c.msg()) || (c.request() instanceof CliInband ci && ci.cmd().strip().startsWith("lb "))) {
                n++;
            }
        }
        return n;
    }

    /** Every decoded request in arrival order. */
    public List<Call> callLog() {
        return List.copyOf(calls);
    }

    /** Forgets counters and the call log. */
    public void clearCalls() {
        counts.clear();
        calls.clear();
    }

    /**
     * Sends an unsolicited {@code memclnt_keepalive} to every client (a real VPP sends these only
     * to shared-memory clients, vpp-wire.md §1.9; the client must answer anyway). Replies are
     * counted as {@code memclnt_keepalive_reply}.
     */
    public void sendKeepalive() {
        int id = table.table().id(Messages.MEMCLNT_KEEPALIVE).orElseThrow();
        for (Conn c : List.copyOf(conns.values())) {
            try {
                c.send(Messages.MEMCLNT_KEEPALIVE.encodeFrame(id, c.handle(), 0x6b61, dev.vppmaglev.vpp.api.msg.Empty.INSTANCE));
            } catch (IOException e) {
                log.atDebug().setMessage("fake-vpp-keepalive-failed").addKeyValue("error", e.toString()).log();
            }
        }
    }

    /** Runs the lb plugin's garbage collection now (as its 60 s process does). */
    public void collectGarbage() {
        synchronized (lock) {
            lb.collectGarbage();
        }
    }

    /**
     * Adds packets to a VIP's lb counters (index = the VIP's pool index, 0 = placeholder), as the
     * data plane would: existing-session, first-packet, untracked, no-server. They show in
     * {@code show lb vips verbose} and, with a stats segment, in its lb counters (spread over the
     * threads). The FIB counter is left alone: see {@link #bumpVip}.
     *
     * @throws IllegalArgumentException for an unknown index or a negative count
     */
    public void recordTraffic(int vipIndex, long existing, long first, long untracked, long noServer) {
        if (existing < 0 || first < 0 || untracked < 0 || noServer < 0) {
            throw new IllegalArgumentException("packet counts must be >= 0");
        }
        synchronized (lock) {
            FakeLbPlugin.Vip v = lb.vips.at(vipIndex);
            if (v == null) {
                throw new IllegalArgumentException("no VIP at index " + vipIndex);
            }
            v.counters[0] += existing;
            v.counters[1] += first;
            v.counters[2] += untracked;
            v.counters[3] += noServer;
            counters.countVip(vipIndex, new long[] {existing, first, untracked, noServer});
            if (lb.stickyUsage < 0) {
                lb.stickyUsage = 0;
            }
        }
    }

    /**
     * Traffic to the live VIP {@code vip} as VPP counts it: the lb node's four counters at the
     * VIP's pool index ({@link #recordTraffic}) and {@code ip4/ip6-lookup}'s {@code /net/route/to}
     * at the FIB stats index of the VIP's route (which every port of the prefix shares, so
     * {@code fibPackets} is usually at least the sum of the four).
     *
     * @param first      new flows ({@code first session packet})
     * @param next       packets of existing flows ({@code packet from existing sessions})
     * @param untracked  {@code untracked packet}
     * @param noServer   {@code no server configured}
     * @param fibPackets packets through the VIP's host route
     * @param fibBytes   bytes through the VIP's host route
     * @throws IllegalArgumentException when VPP has no such live VIP, or for a negative count
     */
    public void bumpVip(LbVip vip, long first, long next, long untracked, long noServer, long fibPackets,
                        long fibBytes) {
        if (fibPackets < 0 || fibBytes < 0) {
            throw new IllegalArgumentException("packet and byte counts must be >= 0");
        }
        synchronized (lock) {
            int index = findVip(vip.pfx(), vip.protocol(), vip.port());
            if (index < 0) {
                throw new IllegalArgumentException("no VIP " + vip);
            }
            recordTraffic(index, next, first, untracked, noServer);
            FakeLbPlugin.Vip v = lb.vips.at(index);
            lb.fib().exactRoute(v.fibKey()).ifPresent(e -> counters.countRoute(e.lbIndex, fibPackets, fibBytes));
        }
    }

    /**
     * One tick of made-up traffic for demos ({@code vpp-fake --traffic}): every live VIP gets 10
     * packets of 100 bytes; a VIP whose new-flow table has an AS counts 1 new flow and 9 packets of
     * existing flows, one without counts 10 {@code no server configured}.
     */
    public void simulateTraffic() {
        synchronized (lock) {
            for (int i : lb.vips.indexes()) {
                FakeLbPlugin.Vip v = lb.vips.at(i);
                if (i == 0 || !v.used) {
                    continue;
                }
                if (lb.hasServer(v)) {
                    bumpVip(v.key(), 1, 9, 0, 0, 10, 1000);
                } else {
                    bumpVip(v.key(), 0, 0, 0, 10, 10, 1000);
                }
            }
        }
    }

    /** Sets the sticky flows referencing an AS ({@code flows:} in {@code show lb vips verbose}). */
    public void setAsFlows(int vipIndex, InetAddress as, long flows) {
        synchronized (lock) {
            FakeLbPlugin.Vip v = lb.vips.at(vipIndex);
            Ip46 a = Ip46.of(as);
            for (int slot : v.asIndexes.indexes()) {
                FakeLbPlugin.As x = lb.ass.at(v.asIndexes.at(slot));
                if (x.address.equals(a)) {
                    x.flows = flows;
                    return;
                }
            }
            throw new IllegalArgumentException("no AS " + as + " on VIP " + vipIndex);
        }
    }

    /** Sets thread 0's sticky-table usage (creating the table: {@code show lb} shows {@code core 0}). */
    public void setStickyUsage(long used) {
        synchronized (lock) {
            lb.stickyUsage = used;
        }
    }

    /** The four lb counters of VIP {@code vipIndex}, summed over threads (next, first, untracked, no server). */
    public long[] vipCounters(int vipIndex) {
        synchronized (lock) {
            FakeLbPlugin.Vip v = lb.vips.at(vipIndex);
            return v == null ? new long[4] : v.counters.clone();
        }
    }

    /** Runs a debug-CLI command as {@code cli_inband} would; returns the reply text. */
    public String cli(String command) {
        synchronized (lock) {
            return cli.execute(command).text();
        }
    }

    // ---- server ---------------------------------------------------------------------------------

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                Conn c = new Conn(ch);
                Thread.ofVirtual().name("fake-vpp-conn").start(() -> serve(c));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.atWarn().setMessage("fake-vpp-accept-failed").addKeyValue("error", e.toString()).log();
                }
                return;
            }
        }
    }

    private final class Conn {
        final SocketChannel ch;
        int registration = -1;
        String name = "";

        Conn(SocketChannel ch) {
            this.ch = ch;
        }

        int handle() {
            return registration < 0 ? 0 : 0x80000000 | registration;
        }

        private final List<ByteBuffer> queued = new ArrayList<>();

        /** Queues a frame; {@link #flush()} writes the queue with one gathering write. */
        synchronized void queue(ByteBuffer frame) {
            frame.putLong(0, JUNK_Q);
            queued.add(frame);
        }

        synchronized void flush() throws IOException {
            if (queued.isEmpty()) {
                return;
            }
            ByteBuffer[] all = queued.toArray(ByteBuffer[]::new);
            queued.clear();
            long left = 0;
            for (ByteBuffer b : all) {
                left += b.remaining();
            }
            while (left > 0) {
                left -= ch.write(all);
            }
        }

        synchronized void send(ByteBuffer frame) throws IOException {
            queue(frame);
            flush();
        }

        /** Writes {@code bytes} as they are (no junk {@code q}), after whatever is queued. */
        synchronized void sendRaw(ByteBuffer bytes) throws IOException {
            flush();
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
        }

        void close() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void serve(Conn c) {
        FrameReader frames = new FrameReader(c.ch, 64 * 1024 * 1024);
        try {
            while (true) {
                ByteBuffer body = frames.next();
                Armed a = armed.get();
                if (a != null && a.left().decrementAndGet() == 0 && armed.compareAndSet(a, null)
                        && !fire(a.fault(), c)) {
                    return;
                }
                Duration d = replyDelay;
                if (!d.isZero()) {
                    Thread.sleep(d);
                }
                handle(c, body);
                if (!frames.hasBufferedFrame()) {
                    c.flush(); // replies to pipelined requests leave together
                }
            }
        } catch (EOFException | ClosedChannelException e) {
            // client went away
        } catch (IOException e) {
            log.atDebug().setMessage("fake-vpp-conn-error").addKeyValue("error", e.toString()).log();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unregister(c);
        }
    }

    /**
     * Frees {@code c}'s registration and closes it (VPP's reaper on EOF); idempotent. The
     * registration goes first, as in VPP where both happen in one step on the main thread: a client
     * that sees EOF and reconnects at once must get the freed pool index back (golden: every
     * connection of a run is 0x80000001).
     */
    private void unregister(Conn c) {
        synchronized (lock) {
            if (c.registration > 0 && registrations.at(c.registration) == c) {
                registrations.put(c.registration);
                conns.remove(c.registration);
                log.atInfo().setMessage("fake-vpp-client-gone").addKeyValue("client", c.name).log();
            }
        }
        c.close();
    }

    private void handle(Conn c, ByteBuffer body) throws IOException {
        if (body.remaining() < 2) {
            return;
        }
        int id = body.getShort(0) & 0xffff;
        FakeMessageTable t = table;
        String nameCrc = t.table().nameCrc(id);
        if (nameCrc == null) {
            count("unknown");
            log.atWarn().setMessage("fake-vpp-no-handler").addKeyValue("id", id).log();
            return;
        }
        MessageType<?> type = Messages.byNameCrc(nameCrc);
        String name = type != null ? type.name() : nameCrc;
        count(name);
        if (type == null) {
            log.atWarn().setMessage("fake-vpp-unimplemented").addKeyValue("api_msg", nameCrc).log();
            return;
        }
        Object req;
        FakeLbApi.Request lbReq = null;
        try {
            if (FakeLbApi.NAMES.contains(name)) {
                lbReq = FakeLbApi.parse(type, body);
                req = logged(type, body, lbReq);
            } else {
                req = type.decodeBody(body);
            }
        } catch (VppProtocolException e) {
            log.atWarn().setMessage("fake-vpp-truncated").addKeyValue("api_msg", name).addKeyValue("bytes", body.remaining())
                    .log();
            return;
        }
        calls.add(new Call(name, req));
        int context = type.layout().context(body);
        int clientIndex = type.layout().clientIndex(body);
        if (type == Messages.SOCKCLNT_CREATE) {
            sockclntCreate(c, context, (SockclntCreate) req);
            return;
        }
        boolean known = type.layout() == Layout.CLIENT_INDEX_CONTEXT && c.registration > 0 && clientIndex == c.handle();
        if (type == Messages.MEMCLNT_KEEPALIVE_REPLY) {
            return; // counted above
        }
        List<ByteBuffer> out = new ArrayList<>();
        try {
            synchronized (lock) {
                dispatch(type, req, lbReq, context, clientIndex, c, out);
            }
        } catch (FakeLbPlugin.Crash e) {
            log.atError().setMessage("fake-vpp-crash").addKeyValue("reason", e.getMessage()).log();
            restart();
            return;
        }
        if (!known) {
            log.atDebug().setMessage("fake-vpp-bad-client-index").addKeyValue("api_msg", name)
                    .addKeyValue("client_index", Integer.toHexString(clientIndex)).log();
            return; // REPLY_MACRO finds no registration: silence
        }
        for (ByteBuffer f : out) {
            c.queue(f);
        }
        if (type == Messages.SOCKCLNT_DELETE && !out.isEmpty()
                && ((SockclntDelete) req).index() == c.handle()) {
            c.flush();
            unregister(c);
        }
    }

    private void count(String name) {
        counts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }

    private <T> ByteBuffer frame(MessageType<T> t, int context, T msg) {
        int id = table.table().id(t).orElseThrow(() -> new IllegalStateException(t + " not in the fake's table"));
        return t.encodeFrame(id, 0, context, msg);
    }

    private void sockclntCreate(Conn c, int context, SockclntCreate req) throws IOException {
        synchronized (lock) {
            if (c.registration < 0) {
                c.registration = registrations.get(c);
                conns.put(c.registration, c);
            }
            c.name = req.name();
        }
        FakeMessageTable t = table;
        List<MessageTableEntry> entries = new ArrayList<>(t.announceOrder().size());
        for (String nameCrc : t.announceOrder()) {
            entries.add(new MessageTableEntry(t.table().id(nameCrc).getAsInt(), nameCrc));
        }
        // client_index field 0, context echoed, index = handle (vpp-wire.md §1.4)
        ByteBuffer f = Messages.SOCKCLNT_CREATE_REPLY.encodeFrame(16, 0, context,
                new SockclntCreateReply(0, c.handle(), entries));
        c.queue(f);
        log.atInfo().setMessage("fake-vpp-client").addKeyValue("client", req.name())
                .addKeyValue("client_index", "0x" + Integer.toHexString(c.handle())).log();
    }

    /**
     * What the call log shows for lb request {@code lbReq}: the plain values this VPP's handlers
     * make of it (with the old handlers: decoded as {@link OldLbHandlers} speaks to them), else
     * the client codec's reading, else (the bytes fit no record) {@code lbReq} itself.
     */
    private Object logged(MessageType<?> type, ByteBuffer body, FakeLbApi.Request lbReq) {
        MessageType<?> old = lbV2 ? null : OldLbHandlers.variantOf(type.name());
        for (MessageType<?> t : old == null ? List.of(type) : List.of(old, type)) {
            try {
                return t.decodeBody(body);
            } catch (VppProtocolException e) {
                // next reading
            }
        }
        return lbReq;
    }

    private void dispatch(MessageType<?> type, Object req, FakeLbApi.Request lbReq, int context, int clientIndex,
                          Conn c, List<ByteBuffer> out) {
        switch (type.name()) {
            case "control_ping" -> out.add(frame(Messages.CONTROL_PING_REPLY, context,
                    new ControlPingReply(0, clientIndex, pid)));
            case "memclnt_keepalive" -> {
                // VPP answers into its own shared-memory queue: nothing on the socket
            }
            case "memclnt_keepalive_reply" -> {
                // a client's answer to sendKeepalive(): counted, nothing to send
            }
            case "sockclnt_delete" -> {
                int index = ((SockclntDelete) req).index();
                boolean live = (index & 0x80000000) != 0 && registrations.live(index & 0x7fffffff)
                        && (index & 0x7fffffff) != 0;
                out.add(frame(Messages.SOCKCLNT_DELETE_REPLY, context, new SockclntDeleteReply(live ? 1 : -1)));
                if (live && index != c.handle()) {
                    Conn other = registrations.at(index & 0x7fffffff);
                    if (other != null) {
                        unregister(other);
                    }
                }
            }
            case "get_first_msg_id" -> {
                String module = FakeMessageTable.FIRST_MSG_ID_NAMES.get(((GetFirstMsgId) req).name());
                out.add(frame(Messages.GET_FIRST_MSG_ID_REPLY, context, module == null
                        ? new GetFirstMsgIdReply(VppErrors.INVALID_VALUE, 0xffff)
                        : new GetFirstMsgIdReply(0, table.base(module))));
            }
            case "show_version" -> out.add(frame(Messages.SHOW_VERSION_REPLY, context,
                    new ShowVersionReply(0, program, version, buildDate, "")));
            case "cli_inband" -> {
                FakeCli.Result r = cli.execute(((CliInband) req).cmd());
                out.add(frame(Messages.CLI_INBAND_REPLY, context, new CliInbandReply(r.retval(), r.text())));
            }
            case "lb_conf" -> {
                LbConf m = (LbConf) req;
                int buckets = m.stickyBucketsPerCore() == LbConf.KEEP ? lb.stickyBucketsPerCore : m.stickyBucketsPerCore();
                int timeout = m.flowTimeout() == LbConf.KEEP ? lb.flowTimeout : m.flowTimeout();
                int rv = lb.conf(m.ip4SrcAddress(), m.ip6SrcAddress(), buckets, timeout);
                out.add(frame(Messages.LB_CONF_REPLY, context, new Retval(rv)));
            }
            case "lb_conf_get" -> out.add(frame(Messages.LB_CONF_GET_REPLY, context, new LbConfGetReply(0, lb.ip4Src,
                    lb.ip6Src, lb.stickyBucketsPerCore, lb.flowTimeout)));
            case "lb_add_del_vip" -> out.add(frame(Messages.LB_ADD_DEL_VIP_REPLY, context,
                    new Retval(lbApi.addDelVip((FakeLbApi.AddDelVip) lbReq))));
            case "lb_add_del_vip_v2" -> out.add(frame(Messages.LB_ADD_DEL_VIP_V2_REPLY, context,
                    new Retval(lbApi.addDelVip((FakeLbApi.AddDelVip) lbReq))));
            case "lb_add_del_as" -> out.add(frame(Messages.LB_ADD_DEL_AS_REPLY, context,
                    new Retval(lbApi.addDelAs((FakeLbApi.AddDelAs) lbReq))));
            case "lb_add_del_as_v2" -> out.add(frame(Messages.LB_ADD_DEL_AS_V2_REPLY, context,
                    new Retval(lbApi.addDelAs((FakeLbApi.AddDelAs) lbReq))));
            case "lb_as_set_weight" -> out.add(frame(Messages.LB_AS_SET_WEIGHT_REPLY, context,
                    new Retval(lbApi.setWeight((FakeLbApi.SetWeight) lbReq))));
            case "lb_flush_vip" -> {
                lbApi.flushVip((FakeLbApi.VipKey) lbReq);
                out.add(frame(Messages.LB_FLUSH_VIP_REPLY, context, Retval.OK)); // always 0 in VPP
            }
            case "lb_vip_dump" -> {
                if (known(c, clientIndex)) {
                    lbApi.vipDump(frames(context, out));
                }
            }
            case "lb_as_dump", "lb_as_v2_dump" -> {
                if (known(c, clientIndex)) {
                    lbApi.asDump((FakeLbApi.VipKey) lbReq, type.name().equals("lb_as_v2_dump"), frames(context, out));
                }
            }
            case "ip_route_lookup" -> out.add(frame(Messages.IP_ROUTE_LOOKUP_REPLY, context,
                    routeLookup((IpRouteLookup) req)));
            default -> log.atWarn().setMessage("fake-vpp-unimplemented").addKeyValue("api_msg", type.name()).log();
        }
    }

    private boolean known(Conn c, int clientIndex) {
        return c.registration > 0 && clientIndex == c.handle();
    }

    /** The API handlers' common prologue: port 0 forces protocol 255; IPv4 lengths get +96. */
    private int findVip(Prefix pfx, int protocol, int port) {
        int plen = pfx.len() + (pfx.isIp4() ? 96 : 0);
        return lb.findVip(Ip46.of(pfx.address()).mask(plen), plen, port == 0 ? 255 : protocol, port);
    }

    /** Frames with {@code context} into {@code out}: typed, or written field by field. */
    private FakeLbApi.Frames frames(int context, List<ByteBuffer> out) {
        return new FakeLbApi.Frames() {
            @Override
            public <T> void add(MessageType<T> type, T msg) {
                out.add(frame(type, context, msg));
            }

            @Override
            public void addRaw(MessageType<?> type, Consumer<WireWriter> payload) {
                int id = table.table().id(type).orElseThrow(() -> new IllegalStateException(type + " not in the fake's table"));
                WireWriter w = new WireWriter(64);
                w.zeros(MessageType.FRAME_HEADER_BYTES);
                if (type.layout() != Layout.CONTEXT) {
                    throw new IllegalArgumentException(type + ": raw frames are details and replies (context only)");
                }
                w.u16(id).u32(context);
                payload.accept(w);
                w.putU32At(8, w.position() - MessageType.FRAME_HEADER_BYTES);
                out.add(w.toBuffer());
            }
        };
    }

    private IpRouteLookupReply routeLookup(IpRouteLookup req) {
        Prefix p = req.prefix();
        IpRoute miss = new IpRoute(0, 0, Prefix.zero(), List.of());
        if (req.tableId() != 0) {
            return new IpRouteLookupReply(VppErrors.NO_SUCH_FIB, miss);
        }
        FakeFib.Key key = new FakeFib.Key(!p.isIp4(), Ip46.of(p.address()).mask(p.len() + (p.isIp4() ? 96 : 0)), p.len());
        var hit = req.exact() != 0 ? lb.fib().exactRoute(key) : lb.fib().longestMatch(key);
        return hit.map(e -> new IpRouteLookupReply(0, lb.route(e)))
                .orElse(new IpRouteLookupReply(VppErrors.NO_SUCH_ENTRY, miss));
    }

    /** Stops listening, drops every client, removes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        dropConnections();
        gc.shutdownNow();
        synchronized (lock) {
            if (stats != null) {
                stats.close();
            }
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // best effort
        }
        log.atInfo().setMessage("fake-vpp-closed").addKeyValue("socket", socket).log();
    }

    /** Test/diagnostic: the id this fake gives {@code type}, if any. */
    public OptionalInt id(MessageType<?> type) {
        return table.table().id(type);
    }
}
