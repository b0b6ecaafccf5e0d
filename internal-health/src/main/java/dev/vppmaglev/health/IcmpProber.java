package dev.vppmaglev.health;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code icmp} probe: ICMP / ICMPv6 echo request and reply through FFM sockets (java-stack.md
 * §6). Never {@code InetAddress.isReachable}, which silently falls back to TCP port 7.
 *
 * <h2>Sockets</h2>
 * One socket per address family, opened on the first probe of that family, shared by every
 * backend, with one receiver thread each (a platform daemon thread blocked in {@code recvfrom})
 * that hands each reply to the waiting probe by ICMP sequence number. Opening tries a raw socket
 * ({@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)} / {@code AF_INET6, IPPROTO_ICMPV6}; needs
 * CAP_NET_RAW, like the reference's systemd unit), then an unprivileged ping socket
 * ({@code SOCK_DGRAM}; needs the daemon's group in {@code net.ipv4.ping_group_range}). When
 * neither may be opened every icmp probe fails with {@code ICMPUNR} and the detail
 * {@value #NO_PERMISSION} (logged once as {@code icmp-permission-denied}); opening is retried on
 * the next probe. Raw sockets get a kernel filter so only echo replies and destination-unreachable
 * messages wake the receiver. Only {@code socket(2)} runs on the {@code socketExecutor} (the
 * thread inside {@code healthchecker.netns} when that is set, see {@link NetProber}); the rest of
 * opening runs on the timer. {@code probe-ipv4-src} / {@code probe-ipv6-src} are not applied to
 * icmp (the socket is shared).
 *
 * <h2>Matching and validation</h2>
 * Each request carries a sequence number unique among the requests in flight, the socket's
 * identifier (raw sockets; the kernel owns it on ping sockets) and a 16-byte payload (8 random
 * bytes, then {@code vppmglv1}). A reply counts only when its source is the target, the
 * identifier and sequence match, and the payload comes back unchanged; ICMPv4 checksums are
 * verified here (the kernel verifies ICMPv6 checksums on these sockets, RFC 3542 §3.1). An echo
 * reply → {@code ICMPOK}; a destination-unreachable message quoting our request (raw sockets)
 * or a {@code sendto} the kernel refuses to route → {@code ICMPUNR}; nothing within
 * {@code timeout} → {@code ICMPTOUT}. On ping sockets the kernel does not deliver ICMP errors
 * without {@code IP_RECVERR}, so an unreachable target shows as {@code ICMPTOUT} there.
 *
 * <p>Timeouts run on the caller's {@link ScheduledExecutorService} (not owned).
 */
public final class IcmpProber implements Prober, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IcmpProber.class);

    /** Detail of the result when the daemon may not send ICMP at all. */
    public static final String NO_PERMISSION = "no permission for raw ICMP (needs CAP_NET_RAW) and ping "
            + "sockets not allowed (net.ipv4.ping_group_range)";

    static final byte[] TAG = "vppmglv1".getBytes(StandardCharsets.US_ASCII);
    static final int PAYLOAD_BYTES = 16;
    private static final int RECEIVE_BUFFER = 65536;
    /** Socket receive buffer asked for (SO_RCVBUFFORCE, else SO_RCVBUF up to net.core.rmem_max). */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    /** Address family of a socket. */
    enum Family {
        V4(Native.AF_INET, Native.IPPROTO_ICMP, "ICMP"),
        V6(Native.AF_INET6, Native.IPPROTO_ICMPV6, "ICMPv6");

        final int domain;
        final int protocol;
        final String label;

        Family(int domain, int protocol, String label) {
            this.domain = domain;
            this.protocol = protocol;
            this.label = label;
        }
    }

    /** Raw socket (CAP_NET_RAW) or unprivileged ping socket. */
    enum Kind { RAW, PING }

    /** {@code socket(2)} as a function: the fd, or {@code -errno}. */
    @FunctionalInterface
    interface SocketCall {
        int socket(int domain, int type, int protocol);
    }

    /** What trying to open a family's socket gave. */
    sealed interface Opening permits Ready, Refused {}

    /** An open socket. */
    record Ready(int fd, Kind kind) implements Opening {}

    /**
     * No socket could be opened.
     *
     * @param permission whether both attempts failed for lack of permission
     * @param detail     the result detail for probes
     */
    record Refused(boolean permission, String detail) implements Opening {}

    /**
     * The fallback rule: a raw socket if permitted, else a ping socket, else a refusal saying why.
     */
    static Opening open(Family family, SocketCall sys) {
        int raw = sys.socket(family.domain, Native.SOCK_RAW | Native.SOCK_CLOEXEC, family.protocol);
        if (raw >= 0) {
            return new Ready(raw, Kind.RAW);
        }
        int ping = sys.socket(family.domain, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, family.protocol);
        if (ping >= 0) {
            return new Ready(ping, Kind.PING);
        }
        if (isPermission(-raw) && isPermission(-ping)) {
            return new Refused(true, NO_PERMISSION);
        }
        return new Refused(false, "cannot open an " + family.label + " socket: raw: " + Native.strerror(-raw)
                + "; ping: " + Native.strerror(-ping));
    }

    private static boolean isPermission(int errno) {
        return errno == Native.EPERM || errno == Native.EACCES;
    }

    private final ScheduledExecutorService timer;
    private final Executor socketExecutor;
    private final SocketCall sys;
    private final AtomicReferenceArray<CompletableFuture<EchoSocket>> sockets =
            new AtomicReferenceArray<>(Family.values().length);
    private final ConcurrentHashMap<String, Boolean> refusalsLogged = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Sockets are created on the calling thread. */
    public IcmpProber(ScheduledExecutorService timer) {
        this(timer, Runnable::run);
    }

    /**
     * @param timer          runs the per-probe timeouts (not owned)
     * @param socketExecutor where {@code socket(2)} is called ({@code Runnable::run} = the caller)
     */
    public IcmpProber(ScheduledExecutorService timer, Executor socketExecutor) {
        this(timer, socketExecutor, Native::socket);
    }

    IcmpProber(ScheduledExecutorService timer, Executor socketExecutor, SocketCall sys) {
        this.timer = Objects.requireNonNull(timer, "timer");
        this.socketExecutor = Objects.requireNonNull(socketExecutor, "socketExecutor");
        this.sys = Objects.requireNonNull(sys, "sys");
    }

    @Override
    public CompletableFuture<ProbeResult> probe(HealthCheck check, InetAddress target) {
        long start = System.nanoTime();
        if (check.type() != CheckType.ICMP) {
            return CompletableFuture.completedFuture(ProbeResult.fail(ResultCodes.L4CON,
                    check.type().keyword() + " checks are not run by the ICMP prober", Duration.ZERO));
        }
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        Family family = target instanceof Inet6Address ? Family.V6 : Family.V4;
        socket(family).whenComplete((socket, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                result.complete(fail(ResultCodes.ICMPUNR, cause instanceof RefusedException r ? r.getMessage()
                        : "cannot open an " + family.label + " socket: " + cause, start));
            } else {
                try {
                    socket.send(check, target, result, start);
                } catch (RuntimeException e) {
                    result.complete(fail(ResultCodes.ICMPUNR, "cannot send echo request: " + e, start));
                }
            }
        });
        return result;
    }

    /** The kind of socket in use for {@code family}, or {@code null} if none is open (for tests and logs). */
    Kind kind(Family family) {
        CompletableFuture<EchoSocket> f = sockets.get(family.ordinal());
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
            return null;
        }
        return f.join().kind;
    }

    /** The receiver thread of {@code family}'s socket, or {@code null} if none is open (for tests). */
    Thread receiver(Family family) {
        CompletableFuture<EchoSocket> f = sockets.get(family.ordinal());
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
            return null;
        }
        return f.join().receiver;
    }

    /** Stops the receiver threads and closes the sockets; probes in flight end as {@code ICMPTOUT}. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < sockets.length(); i++) {
            CompletableFuture<EchoSocket> f = sockets.getAndSet(i, null);
            if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
                f.join().close();
            } else if (f != null) {
                f.thenAccept(EchoSocket::close);
            }
        }
    }

    private CompletableFuture<EchoSocket> socket(Family family) {
        int i = family.ordinal();
        while (true) {
            CompletableFuture<EchoSocket> current = sockets.get(i);
            if (current != null && !(current.isDone() && (current.isCompletedExceptionally() || current.join().dead))) {
                return current;
            }
            if (closed) {
                return CompletableFuture.failedFuture(new RefusedException("ICMP prober is closed"));
            }
            CompletableFuture<EchoSocket> next = new CompletableFuture<>();
            if (sockets.compareAndSet(i, current, next)) {
                if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
                    current.join().close();
                }
                try {
                    socketExecutor.execute(() -> opened(family, next));
                } catch (RejectedExecutionException e) {
                    next.completeExceptionally(new RefusedException("cannot create an " + family.label
                            + " socket: " + (e.getMessage() == null ? "socket executor rejected the task"
                            : e.getMessage())));
                }
                return next;
            }
        }
    }

    /**
     * On {@code socketExecutor}: only {@code socket(2)}; the rest (options, the receiver thread,
     * logs) moves to the timer, so nothing else runs on a network-namespace thread and the
     * receiver thread is not born inside the namespace.
     */
    private void opened(Family family, CompletableFuture<EchoSocket> next) {
        Opening o;
        try {
            o = open(family, sys);
        } catch (RuntimeException | Error e) {
            next.completeExceptionally(e);
            return;
        }
        try {
            timer.execute(() -> {
                try {
                    next.complete(openSocket(family, o));
                } catch (RuntimeException | Error e) {
                    if (o instanceof Ready ready && !(e instanceof RefusedException)) {
                        Native.close(ready.fd());
                    }
                    next.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            if (o instanceof Ready ready) {
                Native.close(ready.fd());
            }
            next.completeExceptionally(new RefusedException("cannot open an " + family.label
                    + " socket: the timer is shut down"));
        }
    }

    private EchoSocket openSocket(Family family, Opening o) {
        if (o instanceof Refused r) {
            if (refusalsLogged.putIfAbsent(r.detail(), Boolean.TRUE) == null) {
                log.atWarn().setMessage(r.permission() ? "icmp-permission-denied" : "icmp-socket-error")
                        .addKeyValue("family", family.label).addKeyValue("detail", r.detail()).log();
            }
            throw new RefusedException(r.detail());
        }
        Ready ready = (Ready) o;
        EchoSocket s = new EchoSocket(family, ready.fd(), ready.kind());
        log.atInfo().setMessage("icmp-socket-open").addKeyValue("family", family.label)
                .addKeyValue("kind", ready.kind() == Kind.RAW ? "raw" : "ping").log();
        return s;
    }

    private static ProbeResult fail(String code, String detail, long start) {
        return ProbeResult.fail(code, detail, Duration.ofNanos(System.nanoTime() - start));
    }

    /** An ICMP socket could not be opened; the message is the probe's detail. */
    private static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message, null, false, false);
        }
    }

    /** One probe waiting for its reply. */
    private static final class Pending {
        final byte[] target;
        final byte[] payload;
        final CompletableFuture<ProbeResult> result;
        final long start;
        volatile ScheduledFuture<?> timeout;

        Pending(byte[] target, byte[] payload, CompletableFuture<ProbeResult> result, long start) {
            this.target = target;
            this.payload = payload;
            this.result = result;
            this.start = start;
        }
    }

    /** One family's socket, its receiver thread and its probes in flight (by sequence number). */
    private final class EchoSocket {
        final Family family;
        final int fd;
        final Kind kind;
        final int ident = ThreadLocalRandom.current().nextInt(1, 0x10000);
        final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();
        final AtomicInteger nextSeq = new AtomicInteger(ThreadLocalRandom.current().nextInt(0x10000));
        final Thread receiver;
        volatile boolean closing;
        volatile boolean dead;

        EchoSocket(Family family, int fd, Kind kind) {
            this.family = family;
            this.fd = fd;
            this.kind = kind;
            if (kind == Kind.RAW) {
                installFilter();
            }
            enlargeReceiveBuffer();
            this.receiver = Thread.ofPlatform().daemon()
                    .name("icmp-rx-" + family.name().toLowerCase(java.util.Locale.ROOT) + "-fd" + fd)
                    .start(this::receive);
        }

        /**
         * A burst of replies (thousands of backends; on raw sockets also the replies to other
         * programs' pings) must not overflow the default ~200 KiB receive buffer.
         */
        private void enlargeReceiveBuffer() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment size = arena.allocate(JAVA_INT);
                size.set(JAVA_INT, 0, RECEIVE_BUFFER_BYTES);
                if (Native.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, size) < 0) {
                    Native.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, size); // capped by rmem_max
                }
            }
        }

        /** Only echo replies and destination-unreachable messages reach the receiver. */
        private void installFilter() {
            try (Arena arena = Arena.ofConfined()) {
                int r;
                if (family == Family.V4) {
                    MemorySegment mask = arena.allocate(JAVA_INT);
                    mask.set(JAVA_INT, 0, ~((1 << 0) | (1 << 3))); // set bit = drop: keep echo reply (0), unreachable (3)
                    r = Native.setsockopt(fd, Native.SOL_RAW, Native.ICMP_FILTER, mask);
                } else {
                    MemorySegment filter = arena.allocate(32);
                    filter.fill((byte) 0xff); // block all ...
                    for (int type : new int[] {1, 129}) { // ... but destination unreachable and echo reply
                        long off = (type >> 5) * 4L;
                        filter.set(JAVA_INT, off, filter.get(JAVA_INT, off) & ~(1 << (type & 31)));
                    }
                    r = Native.setsockopt(fd, Native.IPPROTO_ICMPV6, Native.ICMP6_FILTER, filter);
                }
                if (r < 0) {
                    log.atWarn().setMessage("icmp-filter-failed").addKeyValue("family", family.label)
                            .addKeyValue("error", Native.strerror(-r)).log();
                }
            }
        }

        void send(HealthCheck check, InetAddress target, CompletableFuture<ProbeResult> result, long start) {
            byte[] payload = new byte[PAYLOAD_BYTES];
            ThreadLocalRandom.current().nextBytes(payload);
            System.arraycopy(TAG, 0, payload, PAYLOAD_BYTES - TAG.length, TAG.length);
            Pending p = new Pending(target.getAddress(), payload, result, start);
            int seq = register(p);
            if (seq < 0) {
                result.complete(fail(ResultCodes.ICMPUNR, "too many ICMP probes in flight", start));
                return;
            }
            long ms = check.timeout().toMillis();
            try {
                p.timeout = timer.schedule(() -> {
                    if (pending.remove(seq, p)) {
                        p.result.complete(fail(ResultCodes.ICMPTOUT, "no echo reply within " + ms + " ms", p.start));
                    }
                }, check.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                pending.remove(seq, p);
                result.complete(fail(ResultCodes.ICMPUNR, "cannot schedule the probe timeout: " + e.getMessage(), start));
                return;
            }
            byte[] packet = echoRequest(family == Family.V4 ? 8 : 128, kind == Kind.RAW ? ident : 0, seq, payload,
                    family == Family.V4);
            long n;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(packet.length);
                MemorySegment.copy(packet, 0, buf, JAVA_BYTE, 0, packet.length);
                n = Native.sendto(Native.captureSegment(arena), fd, buf, Native.MSG_DONTWAIT, sockaddr(arena, target));
            }
            if (n < 0 && pending.remove(seq, p)) {
                p.timeout.cancel(false);
                result.complete(fail(ResultCodes.ICMPUNR, "cannot send echo request: " + Native.strerror((int) -n), start));
            }
        }

        private int register(Pending p) {
            for (int i = 0; i < 0x10000; i++) {
                int seq = nextSeq.getAndIncrement() & 0xffff;
                if (pending.putIfAbsent(seq, p) == null) {
                    return seq;
                }
            }
            return -1;
        }

        /** Receiver thread: one blocking {@code recvfrom} after another until the socket is shut down. */
        private void receive() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(RECEIVE_BUFFER);
                MemorySegment from = arena.allocate(128);
                MemorySegment fromLen = arena.allocate(JAVA_INT);
                MemorySegment capture = Native.captureSegment(arena);
                while (!closing) {
                    fromLen.set(JAVA_INT, 0, (int) from.byteSize());
                    long n = Native.recvfrom(capture, fd, buf, 0, from, fromLen);
                    if (closing) {
                        break;
                    }
                    if (n < 0) {
                        int errno = (int) -n;
                        if (errno == Native.EINTR || errno == Native.EAGAIN) {
                            continue;
                        }
                        log.atError().setMessage("icmp-receive-error").addKeyValue("family", family.label)
                                .addKeyValue("error", Native.strerror(errno)).log();
                        dead = true;
                        break;
                    }
                    try {
                        if (family == Family.V4) {
                            onPacket4(buf, (int) n, from);
                        } else {
                            onPacket6(buf, (int) n, from);
                        }
                    } catch (RuntimeException e) {
                        log.atWarn().setMessage("icmp-receive-error").addKeyValue("family", family.label)
                                .addKeyValue("error", String.valueOf(e)).setCause(e).log();
                    }
                }
            }
        }

        private void onPacket4(MemorySegment b, int n, MemorySegment from) {
            int off = 0;
            if (kind == Kind.RAW) { // raw IPv4 sockets deliver the IP header too
                if (n < 20) {
                    return;
                }
                off = (b.get(JAVA_BYTE, 0) & 0x0f) * 4;
            }
            if (n - off < 8 || checksum(b, off, n) != 0) {
                return;
            }
            int type = u8(b, off);
            byte[] source = bytes(from, 4, 4);
            if (type == 0) {
                onEchoReply(b, off, n, source);
            } else if (type == 3 && kind == Kind.RAW) {
                int inner = off + 8;
                if (n < inner + 20 || u8(b, inner + 9) != Native.IPPROTO_ICMP) {
                    return;
                }
                int icmp = inner + (b.get(JAVA_BYTE, inner) & 0x0f) * 4;
                if (n < icmp + 8 || u8(b, icmp) != 8 || u16(b, icmp + 4) != ident) {
                    return;
                }
                onUnreachable(u16(b, icmp + 6), bytes(b, inner + 16, 4), source,
                        unreachable4(u8(b, off + 1)));
            }
        }

        private void onPacket6(MemorySegment b, int n, MemorySegment from) {
            if (n < 8) {
                return;
            }
            int type = u8(b, 0);
            byte[] source = bytes(from, 8, 16);
            if (type == 129) {
                onEchoReply(b, 0, n, source);
            } else if (type == 1 && kind == Kind.RAW) {
                int inner = 8;
                int icmp = inner + 40;
                if (n < icmp + 8 || u8(b, inner + 6) != Native.IPPROTO_ICMPV6 || u8(b, icmp) != 128
                        || u16(b, icmp + 4) != ident) {
                    return;
                }
                onUnreachable(u16(b, icmp + 6), bytes(b, inner + 24, 16), source, unreachable6(u8(b, 1)));
            }
        }

        private void onEchoReply(MemorySegment b, int off, int n, byte[] source) {
            int seq = u16(b, off + 6);
            Pending p = pending.get(seq);
            if (p == null || (kind == Kind.RAW && u16(b, off + 4) != ident) || !Arrays.equals(source, p.target)
                    || n - off - 8 != p.payload.length || !Arrays.equals(bytes(b, off + 8, p.payload.length), p.payload)) {
                return;
            }
            if (pending.remove(seq, p)) {
                p.timeout.cancel(false);
                p.result.complete(ProbeResult.pass(ResultCodes.ICMPOK, "echo reply from " + text(source),
                        Duration.ofNanos(System.nanoTime() - p.start)));
            }
        }

        private void onUnreachable(int seq, byte[] quotedTarget, byte[] source, String why) {
            Pending p = pending.get(seq);
            if (p == null || !Arrays.equals(quotedTarget, p.target)) {
                return;
            }
            if (pending.remove(seq, p)) {
                p.timeout.cancel(false);
                p.result.complete(ProbeResult.fail(ResultCodes.ICMPUNR, "destination unreachable: " + why
                        + " (from " + text(source) + ")", Duration.ofNanos(System.nanoTime() - p.start)));
            }
        }

        void close() {
            if (closing) {
                return;
            }
            closing = true;
            Native.shutdown(fd, Native.SHUT_RDWR); // wakes the receiver out of recvfrom
            try {
                receiver.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Native.close(fd);
            for (var e : pending.entrySet()) {
                Pending p = e.getValue();
                if (pending.remove(e.getKey(), p)) {
                    if (p.timeout != null) {
                        p.timeout.cancel(false);
                    }
                    p.result.complete(fail(ResultCodes.ICMPTOUT, "ICMP prober closed before a reply", p.start));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Wire helpers (RFC 792, RFC 4443)

    /** An echo request: type, code 0, checksum, identifier, sequence, payload (all big-endian). */
    static byte[] echoRequest(int type, int ident, int seq, byte[] payload, boolean withChecksum) {
        byte[] p = new byte[8 + payload.length];
        p[0] = (byte) type;
        p[4] = (byte) (ident >> 8);
        p[5] = (byte) ident;
        p[6] = (byte) (seq >> 8);
        p[7] = (byte) seq;
        System.arraycopy(payload, 0, p, 8, payload.length);
        if (withChecksum) {
            int sum = checksum(MemorySegment.ofArray(p), 0, p.length);
            p[2] = (byte) (sum >> 8);
            p[3] = (byte) sum;
        }
        return p;
    }

    /**
     * The Internet checksum (RFC 1071) of {@code b[from, to)}: 0 when a message including its own
     * checksum field is intact.
     */
    static int checksum(MemorySegment b, int from, int to) {
        long sum = 0;
        int i = from;
        for (; i + 1 < to; i += 2) {
            sum += ((b.get(JAVA_BYTE, i) & 0xff) << 8) | (b.get(JAVA_BYTE, i + 1) & 0xff);
        }
        if (i < to) {
            sum += (b.get(JAVA_BYTE, i) & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static MemorySegment sockaddr(Arena arena, InetAddress target) {
        if (target instanceof Inet4Address) {
            MemorySegment sa = arena.allocate(16); // struct sockaddr_in
            sa.set(JAVA_SHORT, 0, (short) Native.AF_INET);
            MemorySegment.copy(target.getAddress(), 0, sa, JAVA_BYTE, 4, 4);
            return sa;
        }
        MemorySegment sa = arena.allocate(28); // struct sockaddr_in6
        sa.set(JAVA_SHORT, 0, (short) Native.AF_INET6);
        MemorySegment.copy(target.getAddress(), 0, sa, JAVA_BYTE, 8, 16);
        sa.set(JAVA_INT, 24, ((Inet6Address) target).getScopeId());
        return sa;
    }

    private static String unreachable4(int code) {
        return switch (code) {
            case 0 -> "network unreachable";
            case 1 -> "host unreachable";
            case 2 -> "protocol unreachable";
            case 3 -> "port unreachable";
            case 4 -> "fragmentation needed";
            case 9, 10, 13 -> "administratively prohibited";
            default -> "code " + code;
        };
    }

    private static String unreachable6(int code) {
        return switch (code) {
            case 0 -> "no route to destination";
            case 1 -> "administratively prohibited";
            case 2 -> "beyond scope of source address";
            case 3 -> "address unreachable";
            case 4 -> "port unreachable";
            case 5 -> "source address failed policy";
            case 6 -> "reject route";
            default -> "code " + code;
        };
    }

    private static int u8(MemorySegment b, int off) {
        return b.get(JAVA_BYTE, off) & 0xff;
    }

    private static int u16(MemorySegment b, int off) {
        return (u8(b, off) << 8) | u8(b, off + 1);
    }

    private static byte[] bytes(MemorySegment b, int off, int len) {
        byte[] out = new byte[len];
        MemorySegment.copy(b, JAVA_BYTE, off, out, 0, len);
        return out;
    }

    private static String text(byte[] address) {
        try {
            return io.netty.util.NetUtil.toAddressString(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            return Arrays.toString(address);
        }
    }
}
