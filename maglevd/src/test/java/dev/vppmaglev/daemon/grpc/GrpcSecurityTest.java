package dev.vppmaglev.daemon.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.daemon.metrics.DaemonMetrics;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.proto.BackendInfo;
import dev.vppmaglev.proto.BackendRequest;
import dev.vppmaglev.proto.GetVersionRequest;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.VersionInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listeners' security with real certificates (made with openssl): TLS, mutual TLS, the
 * mutation policy per transport, the caller identity the audit log sees, and the Unix socket's
 * file mode. The service is a stand-in that records who called it.
 */
class GrpcSecurityTest {
    @TempDir
    static Path pki;
    @TempDir
    Path dir;

    static Path caCert;
    static Path serverCert;
    static Path serverKey;
    static Path clientCert;
    static Path clientKey;
    static Path otherCaCert;
    static Path otherClientCert;
    static Path otherClientKey;
    static EventLoopGroup clientGroup;

    private final List<Peer> mutators = new CopyOnWriteArrayList<>();
    private GrpcServer server;
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

    /** Records callers of PauseBackend (mutating) and answers GetVersion (read-only). */
    private final class Recorder extends MaglevGrpc.MaglevImplBase {
        @Override
        public void getVersion(GetVersionRequest req, StreamObserver<VersionInfo> out) {
            out.onNext(VersionInfo.newBuilder().setVersion("x").build());
            out.onCompleted();
        }

        @Override
        public void pauseBackend(BackendRequest req, StreamObserver<BackendInfo> out) {
            mutators.add(Peer.current());
            out.onNext(BackendInfo.newBuilder().setName(req.getName()).build());
            out.onCompleted();
        }
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + ":\n" + out);
        }
    }

    private static void issue(String name, String subject, Path ca, Path caKey, String ext) throws Exception {
        Path key = pki.resolve(name + ".key");
        Path csr = pki.resolve(name + ".csr");
        Path extFile = pki.resolve(name + ".ext");
        Files.writeString(extFile, ext);
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", subject);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", pki.resolve(name + ".crt").toString(), "-days", "2",
                "-extfile", extFile.toString());
    }

    @BeforeAll
    static void makePki() throws Exception {
        for (String ca : List.of("ca", "otherca")) {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.resolve(ca + ".key").toString(),
                    "-out", pki.resolve(ca + ".crt").toString(), "-days", "2", "-subj", "/CN=test " + ca);
        }
        caCert = pki.resolve("ca.crt");
        otherCaCert = pki.resolve("otherca.crt");
        issue("server", "/CN=localhost", caCert, pki.resolve("ca.key"),
                "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        issue("client", "/CN=ops/O=maglev", caCert, pki.resolve("ca.key"), "extendedKeyUsage=clientAuth\n");
        issue("intruder", "/CN=intruder", otherCaCert, pki.resolve("otherca.key"), "extendedKeyUsage=clientAuth\n");
        serverCert = pki.resolve("server.crt");
        serverKey = pki.resolve("server.key");
        clientCert = pki.resolve("client.crt");
        clientKey = pki.resolve("client.key");
        otherClientCert = pki.resolve("intruder.crt");
        otherClientKey = pki.resolve("intruder.key");
        clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (server != null) {
            server.close();
        }
    }

    private void start(GrpcListen listen) throws IOException {
        Checker checker = new Checker((c, t) -> new CompletableFuture<>(), Executors.newSingleThreadScheduledExecutor(),
                InstantSource.system(), RandomGenerator.getDefault());
        DaemonMetrics metrics = new DaemonMetrics(new PrometheusRegistry(), checker);
        server = new GrpcServer(new Recorder(), metrics, listen, Executors.newVirtualThreadPerTaskExecutor());
    }

    private GrpcListen listen(Path clientCa, MutationPolicy policy, boolean socket) {
        return new GrpcListen(new InetSocketAddress("127.0.0.1", 0), socket ? dir.resolve("maglev.sock") : null,
                "", serverCert, serverKey, clientCa, policy, false);
    }

    private MaglevGrpc.MaglevBlockingStub tls(Path cert, Path key) {
        SslContextBuilder b = GrpcSslContexts.forClient().trustManager(caCert.toFile());
        if (cert != null) {
            b.keyManager(cert.toFile(), key.toFile());
        }
        ManagedChannel ch;
        try {
            ch = NettyChannelBuilder.forAddress("127.0.0.1", server.tcpPort())
                    .channelType(NioSocketChannel.class).eventLoopGroup(clientGroup)
                    .overrideAuthority("localhost").sslContext(b.build()).build();
        } catch (SSLException e) {
            throw new java.io.UncheckedIOException(e);
        }
        channels.add(ch);
        return MaglevGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private MaglevGrpc.MaglevBlockingStub plaintext() {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.tcpPort())
                .channelType(NioSocketChannel.class).eventLoopGroup(clientGroup).usePlaintext().build();
        channels.add(ch);
        return MaglevGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private MaglevGrpc.MaglevBlockingStub socket() {
        ManagedChannel ch = NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(dir.resolve("maglev.sock")))
                .channelType(NioDomainSocketChannel.class).eventLoopGroup(clientGroup).usePlaintext().build();
        channels.add(ch);
        return MaglevGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static Status.Code code(Runnable r) {
        try {
            r.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static final BackendRequest PAUSE = BackendRequest.newBuilder().setName("a").build();

    @Test
    void tlsServesTrustingClientsAndRefusesPlaintext() throws Exception {
        start(listen(null, MutationPolicy.ANY, false));
        assertThat(tls(null, null).getVersion(GetVersionRequest.getDefaultInstance()).getVersion()).isEqualTo("x");
        assertThat(code(() -> plaintext().getVersion(GetVersionRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.UNAVAILABLE);
        tls(null, null).pauseBackend(PAUSE);
        assertThat(mutators).singleElement().satisfies(p -> {
            assertThat(p.transport()).isEqualTo(Peer.Transport.TLS);
            assertThat(p.address()).startsWith("127.0.0.1:");
            assertThat(p.hasCertificate()).isFalse();
        });
    }

    @Test
    void mutualTlsRequiresACertificateFromTheConfiguredCa() throws Exception {
        start(listen(caCert, MutationPolicy.ANY, false));
        assertThat(code(() -> tls(null, null).getVersion(GetVersionRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(code(() -> tls(otherClientCert, otherClientKey).getVersion(GetVersionRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.UNAVAILABLE);
        tls(clientCert, clientKey).pauseBackend(PAUSE);
        assertThat(mutators).singleElement().satisfies(p -> {
            assertThat(p.subject()).contains("CN=ops").contains("O=maglev");
            assertThat(p.describe()).startsWith("tls 127.0.0.1:").contains("CN=ops");
        });
    }

    @Test
    void certPolicyLetsAnyoneReadButOnlyCertifiedClientsChange() throws Exception {
        start(listen(caCert, MutationPolicy.CERT, false));
        assertThat(code(() -> tls(null, null).getVersion(GetVersionRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.OK);
        StatusRuntimeException denied = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> tls(null, null).pauseBackend(PAUSE));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(denied.getStatus().getDescription()).contains("certificate").contains("--grpc-mutations=cert");
        assertThat(mutators).isEmpty();
        tls(clientCert, clientKey).pauseBackend(PAUSE);
        assertThat(mutators).hasSize(1);
    }

    @Test
    void socketPolicyAllowsChangesOnlyOverTheUnixSocket() throws Exception {
        start(new GrpcListen(new InetSocketAddress("127.0.0.1", 0), dir.resolve("maglev.sock"), "", null, null, null,
                MutationPolicy.SOCKET, false));
        assertThat(code(() -> plaintext().getVersion(GetVersionRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);
        assertThat(code(() -> plaintext().pauseBackend(PAUSE))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(mutators).isEmpty();
        socket().pauseBackend(PAUSE);
        assertThat(mutators).singleElement().extracting(Peer::describe).isEqualTo("unix-socket");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("maglev.sock"))))
                .isEqualTo("rw-rw----");
    }

    @Test
    void socketGroupMustExist() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(new GrpcListen(null, dir.resolve("s.sock"),
                        "no-such-group-xyz", null, null, null, MutationPolicy.ANY, false)))
                .isInstanceOf(IOException.class).hasMessageContaining("no group named \"no-such-group-xyz\"");
        server = null;
    }

    @Test
    void socketGroupOwnsTheSocket() throws Exception {
        start(new GrpcListen(null, dir.resolve("g.sock"), "daemon", null, null, null, MutationPolicy.ANY, false));
        assertThat(Files.readAttributes(dir.resolve("g.sock"), java.nio.file.attribute.PosixFileAttributes.class)
                .group().getName()).isEqualTo("daemon");
    }

    @Test
    void inconsistentFlagsAreRefusedWithTheirNames() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GrpcListen(new InetSocketAddress(0), null, "",
                        serverCert, null, null, MutationPolicy.ANY, true))
                .hasMessageContaining("--grpc-tls-cert and --grpc-tls-key");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GrpcListen(new InetSocketAddress(0), null, "",
                        null, null, null, MutationPolicy.SOCKET, true))
                .hasMessageContaining("--grpc-mutations=socket needs --grpc-socket");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GrpcListen(new InetSocketAddress(0), null, "",
                        serverCert, serverKey, null, MutationPolicy.CERT, true))
                .hasMessageContaining("needs --grpc-client-ca");
    }

    @Test
    void aSocketAnotherProcessServesIsNotTakenOverButAStaleOneIs() throws Exception {
        Path path = dir.resolve("busy.sock");
        try (java.nio.channels.ServerSocketChannel other = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            other.bind(java.net.UnixDomainSocketAddress.of(path));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(new GrpcListen(null, path, "", null, null,
                            null, MutationPolicy.ANY, false)))
                    .isInstanceOf(IOException.class).hasMessageContaining("another process is serving on it");
            server = null;
        }
        // The other process is gone; its socket file stays behind: replaced.
        assertThat(Files.exists(path)).isTrue();
        start(new GrpcListen(null, path, "", null, null, null, MutationPolicy.ANY, false));
        ManagedChannel ch = NettyChannelBuilder.forAddress(java.net.UnixDomainSocketAddress.of(path))
                .channelType(NioDomainSocketChannel.class).eventLoopGroup(clientGroup).usePlaintext().build();
        channels.add(ch);
        assertThat(MaglevGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getVersion(GetVersionRequest.getDefaultInstance()).getVersion()).isEqualTo("x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-rw----");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".maglevd-grpc-"));
    }
}
