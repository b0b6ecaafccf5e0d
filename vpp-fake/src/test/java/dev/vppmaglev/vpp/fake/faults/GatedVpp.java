package dev.vppmaglev.vpp.fake.faults;

import dev.vppmaglev.vpp.api.wire.FrameReader;
import dev.vppmaglev.vpp.api.wire.MessageType;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix socket between the API client and a {@code FakeVpp} that can hold back VPP's answers:
 * a VPP whose main thread is stuck. Requests still reach VPP (it reads and handles them, so its
 * state and call log move on), but every frame it writes back is kept, in order, until
 * {@link #release()}. While held, new connections get no handshake reply either.
 *
 * <p>Frames are cut with the client's own {@link FrameReader} (vpp-wire.md §1.2) and forwarded
 * whole, so releasing never tears a frame. Each connection costs two virtual threads.
 */
final class GatedVpp implements AutoCloseable {
    private final Path upstream;
    private final ServerSocketChannel server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean holding;

    /** Listens on {@code listen} and connects each client to {@code upstream} (the fake's api.sock). */
    GatedVpp(Path listen, Path upstream) throws IOException {
        this.upstream = upstream;
        Files.deleteIfExists(listen);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        acceptor = Thread.ofVirtual().name("gated-vpp-accept").start(this::acceptLoop);
    }

    /** From now on VPP's frames are kept back. */
    void hold() {
        holding = true;
    }

    /** Writes every frame kept back, in order, and lets frames through again. */
    void release() {
        holding = false;
        for (Link l : links) {
            l.flushHeld();
        }
    }

    /** Frames kept back on all connections. */
    int held() {
        int n = 0;
        for (Link l : links) {
            n += l.heldCount();
        }
        return n;
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel client = server.accept();
                SocketChannel vpp;
                try {
                    vpp = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                Link l = new Link(client, vpp);
                links.add(l);
                l.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        acceptor.interrupt();
        for (Link l : links) {
            l.close();
        }
    }

    /** One client connection and its connection to VPP. */
    private final class Link {
        final SocketChannel client;
        final SocketChannel vpp;
        final List<ByteBuffer> held = new ArrayList<>();

        Link(SocketChannel client, SocketChannel vpp) {
            this.client = client;
            this.vpp = vpp;
        }

        void start() {
            Thread.ofVirtual().name("gated-vpp-up").start(this::up);
            Thread.ofVirtual().name("gated-vpp-down").start(this::down);
        }

        /** Client → VPP: bytes as they come. */
        private void up() {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            try {
                while (client.read(b) >= 0) {
                    b.flip();
                    while (b.hasRemaining()) {
                        vpp.write(b);
                    }
                    b.clear();
                }
            } catch (IOException e) {
                // either side went away
            }
            close();
        }

        /** VPP → client: whole frames, kept back while holding. */
        private void down() {
            FrameReader frames = new FrameReader(vpp, 64 * 1024 * 1024);
            try {
                while (true) {
                    ByteBuffer body = frames.next();
                    ByteBuffer frame = ByteBuffer.allocate(MessageType.FRAME_HEADER_BYTES + body.remaining());
                    frame.putLong(0).putInt(body.remaining()).putInt(0).put(body).flip();
                    synchronized (this) {
                        if (holding) {
                            held.add(frame);
                        } else {
                            writeAll(frame);
                        }
                    }
                }
            } catch (IOException e) {
                // either side went away
            }
            close();
        }

        synchronized void flushHeld() {
            try {
                for (ByteBuffer f : held) {
                    writeAll(f);
                }
            } catch (IOException e) {
                close();
            }
            held.clear();
        }

        synchronized int heldCount() {
            return held.size();
        }

        private void writeAll(ByteBuffer f) throws IOException {
            while (f.hasRemaining()) {
                client.write(f);
            }
        }

        void close() {
            links.remove(this);
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                vpp.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
