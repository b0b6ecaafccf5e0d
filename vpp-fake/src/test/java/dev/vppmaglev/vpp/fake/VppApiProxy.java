package dev.vppmaglev.vpp.fake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A man in the middle on the binary-API socket, for VPPs the {@link FakeVpp} cannot be: it sits
 * between a client and a fake VPP, forwards every frame (vpp-wire.md §1.2: 16-byte header,
 * big-endian {@code data_len}) and changes two things on the way back:
 * <ul>
 *   <li>{@link #hide}: messages left out of the handshake's message table
 *       ({@code sockclnt_create_reply}, vpp-wire.md §1.4), so the client believes VPP lacks them —
 *       e.g. a VPP with {@code lb_conf_get} but without {@code lb_as_set_weight};</li>
 *   <li>{@link #rewriteCli}: the text of {@code cli_inband_reply}, given the command that asked
 *       for it — e.g. {@code show lb vips verbose} as a newer VPP might print it;</li>
 *   <li>{@link #delayReplies}: replies held back after VPP handled the request — a call that
 *       times out in the client although VPP applied it.</li>
 * </ul>
 * {@link #hide} applies to connections made after the call, the others at once. Every client connection gets its own upstream
 * connection; closing either side closes both. Test code: one platform thread per direction.
 */
public final class VppApiProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VppApiProxy.class);
    private static final int HEADER = 16;
    private static final int SOCKCLNT_CREATE_REPLY_ID = 16; // static memclnt id (vpp-wire.md §1.10)
    private static final int TABLE_ENTRY = 66;              // u16 index + char name[64]

    private final Path listen;
    private final Path upstream;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Collection<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile Set<String> hidden = Set.of();
    private volatile BiFunction<String, String, String> cli = (command, text) -> text;
    private volatile Set<String> delayed = Set.of();
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean closed;

    private VppApiProxy(Path listen, Path upstream) throws IOException {
        this.listen = listen;
        this.upstream = upstream;
        Files.deleteIfExists(listen);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        acceptor = Thread.ofPlatform().daemon().name("vpp-api-proxy-accept").start(this::accept);
    }

    /** Listens on {@code listen} and forwards to the VPP API socket {@code upstream}. */
    public static VppApiProxy start(Path listen, Path upstream) throws IOException {
        return new VppApiProxy(Objects.requireNonNull(listen), Objects.requireNonNull(upstream));
    }

    /** The socket clients connect to. */
    public Path socket() {
        return listen;
    }

    /** Leaves the messages named (without CRC, e.g. {@code lb_as_set_weight}) out of the message table. */
    public VppApiProxy hide(String... names) {
        hidden = Set.of(names);
        return this;
    }

    /** Rewrites the text of every {@code cli_inband_reply}: {@code (command, text) -> text}. */
    public VppApiProxy rewriteCli(BiFunction<String, String, String> rewrite) {
        cli = Objects.requireNonNull(rewrite);
        return this;
    }

    /**
     * Holds each reply named (without CRC, e.g. {@code lb_add_del_vip_v2_reply}) for
     * {@code delay} before passing it on (and everything behind it: one connection is one
     * stream). {@link Duration#ZERO} or no names: none.
     */
    public VppApiProxy delayReplies(Duration delay, String... names) {
        this.delay = Objects.requireNonNull(delay);
        this.delayed = Set.of(names);
        return this;
    }

    private void accept() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                SocketChannel vpp = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
                open.add(client);
                open.add(vpp);
                Connection c = new Connection(client, vpp, hidden);
                Thread.ofPlatform().daemon().name("vpp-api-proxy-up").start(c::up);
                Thread.ofPlatform().daemon().name("vpp-api-proxy-down").start(c::down);
            } catch (IOException e) {
                log.atDebug().setMessage("vpp-api-proxy-upstream-failed").addKeyValue("error", e.toString()).log();
                closeQuietly(client);
            }
        }
    }

    /** One client and its upstream. */
    private final class Connection {
        private final SocketChannel client;
        private final SocketChannel vpp;
        private final Set<String> hidden;
        // learned from the handshake (ids of the real table) and from the requests
        private volatile int cliInbandId = -1;
        private volatile int cliInbandReplyId = -1;
        private final Map<Integer, String> nameById = new ConcurrentHashMap<>();
        private final Map<Integer, String> commandByContext = new ConcurrentHashMap<>();

        Connection(SocketChannel client, SocketChannel vpp, Set<String> hidden) {
            this.client = client;
            this.vpp = vpp;
            this.hidden = hidden;
        }

        /** Client to VPP: as is; remembers the command of each {@code cli_inband}. */
        void up() {
            try {
                while (true) {
                    byte[] body = readFrame(client);
                    ByteBuffer b = ByteBuffer.wrap(body);
                    if (body.length >= 14 && Short.toUnsignedInt(b.getShort(0)) == cliInbandId) {
                        int context = b.getInt(6);
                        int len = b.getInt(10);
                        commandByContext.put(context, new String(body, 14, len, StandardCharsets.UTF_8));
                    }
                    writeFrame(vpp, body);
                }
            } catch (IOException e) {
                closeBoth();
            }
        }

        /** VPP to client: the first frame's table without the hidden messages, CLI text rewritten. */
        void down() {
            try {
                boolean first = true;
                while (true) {
                    byte[] body = readFrame(vpp);
                    if (first) {
                        first = false;
                        body = handshake(body);
                    } else if (body.length >= 2) {
                        int id = Short.toUnsignedInt(ByteBuffer.wrap(body).getShort(0));
                        if (id == cliInbandReplyId && body.length >= 14) {
                            body = cliReply(body);
                        }
                        Duration d = delay;
                        if (!d.isZero() && delayed.contains(nameById.get(id))) {
                            Thread.sleep(d.toMillis());
                        }
                    }
                    writeFrame(client, body);
                }
            } catch (IOException e) {
                closeBoth();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeBoth();
            }
        }

        private byte[] handshake(byte[] body) {
            ByteBuffer b = ByteBuffer.wrap(body);
            if (Short.toUnsignedInt(b.getShort(0)) != SOCKCLNT_CREATE_REPLY_ID) {
                return body;
            }
            int count = Short.toUnsignedInt(b.getShort(18));
            ByteBuffer out = ByteBuffer.allocate(body.length);
            out.put(body, 0, 20);
            int kept = 0;
            for (int i = 0; i < count; i++) {
                int at = 20 + i * TABLE_ENTRY;
                String nameCrc = cString(body, at + 2, 64);
                int id = Short.toUnsignedInt(b.getShort(at));
                String name = nameCrc.substring(0, Math.max(0, nameCrc.lastIndexOf('_')));
                nameById.put(id, name);
                if (name.equals("cli_inband")) {
                    cliInbandId = id;
                } else if (name.equals("cli_inband_reply")) {
                    cliInbandReplyId = id;
                }
                if (!hidden.contains(name)) {
                    out.put(body, at, TABLE_ENTRY);
                    kept++;
                }
            }
            out.putShort(18, (short) kept);
            byte[] result = new byte[out.position()];
            System.arraycopy(out.array(), 0, result, 0, result.length);
            return result;
        }

        private byte[] cliReply(byte[] body) {
            ByteBuffer b = ByteBuffer.wrap(body);
            int context = b.getInt(2);
            String command = commandByContext.remove(context);
            if (command == null) {
                return body;
            }
            String text = new String(body, 14, b.getInt(10), StandardCharsets.UTF_8);
            byte[] t = cli.apply(command, text).getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(14 + t.length);
            out.put(body, 0, 10).putInt(t.length).put(t);
            return out.array();
        }

        private void closeBoth() {
            closeQuietly(client);
            closeQuietly(vpp);
        }
    }

    private static String cString(byte[] b, int at, int max) {
        int end = at;
        while (end < at + max && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.US_ASCII);
    }

    private static byte[] readFrame(SocketChannel ch) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(ch, header);
        int len = header.getInt(8);
        if (len < 0 || len > (64 << 20)) {
            throw new IOException("frame of " + Integer.toUnsignedLong(len) + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        readFully(ch, body);
        return body.array();
    }

    private static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException();
            }
        }
    }

    private static void writeFrame(SocketChannel ch, byte[] body) throws IOException {
        ByteBuffer f = ByteBuffer.allocate(HEADER + body.length);
        f.putLong(0).putInt(body.length).putInt(0).put(body).flip();
        synchronized (ch) {
            while (f.hasRemaining()) {
                ch.write(f);
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (SocketChannel ch : List.copyOf(open)) {
            closeQuietly(ch);
        }
        try {
            acceptor.join(5_000);
            Files.deleteIfExists(listen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a temp dir: removed with it
        }
    }
}
