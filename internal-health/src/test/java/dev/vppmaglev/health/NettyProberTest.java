package dev.vppmaglev.health;

import static dev.vppmaglev.health.Fixtures.check;
import static dev.vppmaglev.health.Fixtures.http;
import static dev.vppmaglev.health.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.HttpParams;
import dev.vppmaglev.config.StatusRange;
import dev.vppmaglev.config.TcpParams;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The tcp/http/https probes against real servers on loopback. */
class NettyProberTest {
    private static EventLoopGroup group;
    private static NettyProber prober;
    private static HttpServer http;
    private static HttpServer http6;
    private static ExecutorService httpThreads;
    private static final CountDownLatch release = new CountDownLatch(1);
    private static final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private static final AtomicInteger ids = new AtomicInteger();

    static {
        System.setProperty("io.netty.leakDetection.level", "paranoid");
    }

    record Seen(String method, String host, String userAgent, String connection, InetAddress remote) {}

    @BeforeAll
    static void start() throws IOException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        prober = new NettyProber(group, Runnable::run, "1.2.3-test");
        httpThreads = Executors.newCachedThreadPool();
        http = httpServer("127.0.0.1");
        http6 = httpServer("::1");
    }

    private static HttpServer httpServer(String address) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        s.createContext("/", NettyProberTest::handle);
        s.setExecutor(httpThreads);
        s.start();
        return s;
    }

    /** /status/N answers N; /slow waits until the end of the tests; /big answers 200 KiB; else 200 "ok". */
    private static void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        seen.put(ex.getRequestURI().toString(), new Seen(ex.getRequestMethod(),
                ex.getRequestHeaders().getFirst("Host"), ex.getRequestHeaders().getFirst("User-Agent"),
                ex.getRequestHeaders().getFirst("Connection"), ex.getRemoteAddress().getAddress()));
        int status = 200;
        byte[] body = "service ok\n".getBytes(StandardCharsets.UTF_8);
        if (path.startsWith("/status/")) {
            status = Integer.parseInt(path.substring("/status/".length()));
        } else if (path.startsWith("/slow")) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (path.startsWith("/big")) {
            // "early" at the start, "needle" at 100 KiB: beyond the 64 KiB searched
            StringBuilder b = new StringBuilder("early ");
            while (b.length() < 100 * 1024) {
                b.append('x');
            }
            b.append("needle");
            while (b.length() < 200 * 1024) {
                b.append('y');
            }
            body = b.toString().getBytes(StandardCharsets.US_ASCII);
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        http.stop(0);
        http6.stop(0);
        httpThreads.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ProbeResult probe(HealthCheck c, String address) throws Exception {
        return prober.probe(c, ip(address)).get(20, TimeUnit.SECONDS);
    }

    /** A unique path so a test finds its own request in {@link #seen}. */
    private static String unique(String path) {
        return path + "?id=" + ids.incrementAndGet();
    }

    private static HealthCheck httpCheck(HttpParams params) {
        return check("web", CheckType.HTTP).port(http.getAddress().getPort()).params(params).build();
    }

    @Nested
    class Http {
        @Test
        void okSendsTheRightRequest() throws Exception {
            String path = unique("/healthz");
            ProbeResult r = probe(httpCheck(http(path)), "127.0.0.1");
            assertThat(r.ok()).isTrue();
            assertThat(r.code()).isEqualTo(ResultCodes.L7OK);
            assertThat(r.detail()).isEqualTo("status 200");
            assertThat(r.duration()).isPositive();
            Seen s = seen.get(path);
            assertThat(s.method()).isEqualTo("GET");
            assertThat(s.host()).isEqualTo("127.0.0.1:" + http.getAddress().getPort());
            assertThat(s.userAgent()).isEqualTo("vpp-maglev/1.2.3-test (+https://git.ipng.ch/ipng/vpp-maglev)");
            assertThat(s.connection()).isEqualToIgnoringCase("close");
        }

        @Test
        void unexpectedStatusIsL7sts() throws Exception {
            ProbeResult r = probe(httpCheck(http(unique("/status/503"))), "127.0.0.1");
            assertThat(r.ok()).isFalse();
            assertThat(r.code()).isEqualTo(ResultCodes.L7STS);
            assertThat(r.detail()).isEqualTo("status 503, expected 200-399");
        }

        @Test
        void expectedStatusRanges() throws Exception {
            List<StatusRange> only200 = List.of(new StatusRange(200, 200));
            List<StatusRange> maintenance = List.of(new StatusRange(200, 200), new StatusRange(500, 503));
            assertThat(probe(httpCheck(http(unique("/status/201"), "", "GET", only200, "", "", false)), "127.0.0.1"))
                    .extracting(ProbeResult::code, ProbeResult::detail)
                    .containsExactly(ResultCodes.L7STS, "status 201, expected 200");
            assertThat(probe(httpCheck(http(unique("/status/503"), "", "GET", maintenance, "", "", false)), "127.0.0.1")
                    .code()).isEqualTo(ResultCodes.L7OK);
            assertThat(probe(httpCheck(http(unique("/status/404"), "", "GET", maintenance, "", "", false)), "127.0.0.1")
                    .detail()).isEqualTo("status 404, expected 200,500-503");
            // the default 200-399 accepts a redirect
            assertThat(probe(httpCheck(http(unique("/status/302"))), "127.0.0.1").code()).isEqualTo(ResultCodes.L7OK);
        }

        @Test
        void headRequest() throws Exception {
            String path = unique("/head");
            HttpParams head = http(path, "", "HEAD", HttpParams.DEFAULT_EXPECT_STATUS, "", "", false);
            assertThat(probe(httpCheck(head), "127.0.0.1").code()).isEqualTo(ResultCodes.L7OK);
            assertThat(seen.get(path).method()).isEqualTo("HEAD");
        }

        @Test
        void configuredHostHeader() throws Exception {
            String path = unique("/vhost");
            HttpParams p = http(path, "www.example.com", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "", "", false);
            assertThat(probe(httpCheck(p), "127.0.0.1").code()).isEqualTo(ResultCodes.L7OK);
            assertThat(seen.get(path).host()).isEqualTo("www.example.com");
        }

        @Test
        void ipv6HostHeaderHasBrackets() throws Exception {
            String path = unique("/v6");
            HealthCheck c = check("web6", CheckType.HTTP).port(http6.getAddress().getPort()).params(http(path)).build();
            assertThat(probe(c, "::1").code()).isEqualTo(ResultCodes.L7OK);
            assertThat(seen.get(path).host()).isEqualTo("[::1]:" + http6.getAddress().getPort());
        }

        @Test
        void bodyRegexHitAndMiss() throws Exception {
            HttpParams hit = http(unique("/body"), "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "serv\\w+ ok", "", false);
            ProbeResult r = probe(httpCheck(hit), "127.0.0.1");
            assertThat(r.code()).isEqualTo(ResultCodes.L7OK);
            assertThat(r.detail()).isEqualTo("status 200, body matched \"serv\\w+ ok\"");

            HttpParams miss = http(unique("/body"), "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "^degraded", "", false);
            r = probe(httpCheck(miss), "127.0.0.1");
            assertThat(r.ok()).isFalse();
            assertThat(r.code()).isEqualTo(ResultCodes.L7BODY);
            assertThat(r.detail()).isEqualTo("body did not match \"^degraded\"");
        }

        @Test
        void bodyIsSearchedInTheFirst64KiBOnly() throws Exception {
            HttpParams early = http(unique("/big"), "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "early", "", false);
            assertThat(probe(httpCheck(early), "127.0.0.1").code()).isEqualTo(ResultCodes.L7OK);
            HttpParams late = http(unique("/big"), "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "needle", "", false);
            assertThat(probe(httpCheck(late), "127.0.0.1").code()).isEqualTo(ResultCodes.L7BODY);
        }

        @Test
        void slowResponseIsL7toutWithinTheTimeout() throws Exception {
            HealthCheck c = check("slow", CheckType.HTTP).port(http.getAddress().getPort())
                    .timeout(Duration.ofSeconds(1)).params(http(unique("/slow"))).build();
            ProbeResult r = probe(c, "127.0.0.1");
            assertThat(r.code()).isEqualTo(ResultCodes.L7TOUT);
            assertThat(r.detail()).isEqualTo("no response within 1000 ms");
            assertThat(r.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        }

        @Test
        void malformedResponseIsL7rsp() throws Exception {
            try (RawServer garbage = new RawServer("127.0.0.1", s -> {
                s.getInputStream().read(new byte[1024]);
                s.getOutputStream().write("garbage that is not HTTP\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            })) {
                HealthCheck c = check("bad", CheckType.HTTP).port(garbage.port()).params(http("/")).build();
                ProbeResult r = probe(c, "127.0.0.1");
                assertThat(r.code()).isEqualTo(ResultCodes.L7RSP);
                assertThat(r.detail()).startsWith("malformed response");
            }
        }

        @Test
        void interimResponsesAreSkipped() throws Exception {
            try (RawServer hints = new RawServer("127.0.0.1", s -> {
                s.getInputStream().read(new byte[1024]);
                s.getOutputStream().write(("HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            })) {
                HealthCheck c = check("hints", CheckType.HTTP).port(hints.port()).params(http("/")).build();
                ProbeResult r = probe(c, "127.0.0.1");
                assertThat(r.code()).isEqualTo(ResultCodes.L7STS);
                assertThat(r.detail()).isEqualTo("status 503, expected 200-399");
            }
        }

        @Test
        void closedWithoutResponseIsL7rsp() throws Exception {
            try (RawServer rude = new RawServer("127.0.0.1", s -> s.getInputStream().read(new byte[1024]))) {
                HealthCheck c = check("rude", CheckType.HTTP).port(rude.port()).params(http("/")).build();
                ProbeResult r = probe(c, "127.0.0.1");
                assertThat(r.code()).isEqualTo(ResultCodes.L7RSP);
                assertThat(r.detail()).isEqualTo("connection closed before a response");
            }
        }

        @Test
        void sourceAddressIsBound() throws Exception {
            String path = unique("/src");
            HealthCheck c = check("src", CheckType.HTTP).port(http.getAddress().getPort()).src4("127.0.0.2")
                    .params(http(path)).build();
            assertThat(probe(c, "127.0.0.1").code()).isEqualTo(ResultCodes.L7OK);
            assertThat(seen.get(path).remote()).isEqualTo(ip("127.0.0.2"));
        }

        @Test
        void unbindableSourceAddressIsL4con() throws Exception {
            HealthCheck c = check("src", CheckType.HTTP).port(http.getAddress().getPort()).src4("192.0.2.250")
                    .params(http("/")).build();
            ProbeResult r = probe(c, "127.0.0.1");
            assertThat(r.code()).isEqualTo(ResultCodes.L4CON);
            assertThat(r.detail()).startsWith("cannot bind source address 192.0.2.250");
        }
    }

    @Nested
    class Tcp {
        @Test
        void openPortIsL4ok() throws Exception {
            try (RawServer s = RawServer.silent("127.0.0.1")) {
                ProbeResult r = probe(check("tcp", CheckType.TCP).port(s.port()).build(), "127.0.0.1");
                assertThat(r.ok()).isTrue();
                assertThat(r.code()).isEqualTo(ResultCodes.L4OK);
                assertThat(r.detail()).isEqualTo("connected");
            }
        }

        @Test
        void closedPortIsL4con() throws Exception {
            int port;
            try (RawServer s = RawServer.silent("127.0.0.1")) {
                port = s.port();
            }
            ProbeResult r = probe(check("tcp", CheckType.TCP).port(port).build(), "127.0.0.1");
            assertThat(r.ok()).isFalse();
            assertThat(r.code()).isEqualTo(ResultCodes.L4CON);
            assertThat(r.detail()).isEqualTo("connection refused");
        }

        @Test
        void blackHoledConnectIsL4tout() throws Exception {
            try (RawServer s = RawServer.backlogFull("127.0.0.1")) {
                HealthCheck c = check("tcp", CheckType.TCP).port(s.port()).timeout(Duration.ofMillis(400)).build();
                ProbeResult r = probe(c, "127.0.0.1");
                assertThat(r.code()).isEqualTo(ResultCodes.L4TOUT);
                assertThat(r.detail()).isEqualTo("connect timeout after 400 ms");
                assertThat(r.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(390));
            }
        }

        @Test
        void sourceAddressIsBound() throws Exception {
            CopyOnWriteArrayList<InetAddress> peers = new CopyOnWriteArrayList<>();
            try (RawServer s = new RawServer("127.0.0.1", sock -> peers.add(sock.getInetAddress()))) {
                HealthCheck c = check("tcp", CheckType.TCP).port(s.port()).src4("127.0.0.3").build();
                assertThat(probe(c, "127.0.0.1").code()).isEqualTo(ResultCodes.L4OK);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !peers.isEmpty());
                assertThat(peers).containsExactly(ip("127.0.0.3"));
            }
        }

        private RawServer pong() throws IOException {
            return new RawServer("127.0.0.1", s -> {
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                String reply = "PING".equals(line) ? "+PONG\r\n" : "-ERR unknown command\r\n";
                s.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            });
        }

        @Test
        void bannerMatchIsL7ok() throws Exception {
            try (RawServer s = pong()) {
                HealthCheck c = check("redis", CheckType.TCP).port(s.port())
                        .params(new TcpParams("PING\r\n", "^\\+PONG", false, "", false)).build();
                ProbeResult r = probe(c, "127.0.0.1");
                assertThat(r.code()).isEqualTo(ResultCodes.L7OK);
                assertThat(r.detail()).isEqualTo("reply matched \"^\\+PONG\"");
            }
        }

        @Test
        void bannerMismatchIsL7rsp() throws Exception {
            try (RawServer s = pong()) {
                HealthCheck c = check("redis", CheckType.TCP).port(s.port())
                        .params(new TcpParams("QUIT\r\n", "^\\+PONG", false, "", false)).build();
                ProbeResult r = probe(c, "127.0.0.1");
                assertThat(r.code()).isEqualTo(ResultCodes.L7RSP);
                assertThat(r.detail()).isEqualTo("reply did not match \"^\\+PONG\"");
            }
        }

        @Test
        void noReplyIsL7tout() throws Exception {
            try (RawServer s = RawServer.silent("127.0.0.1")) {
                HealthCheck c = check("redis", CheckType.TCP).port(s.port()).timeout(Duration.ofSeconds(1))
                        .params(new TcpParams("PING\r\n", "PONG", false, "", false)).build();
                ProbeResult r = probe(c, "127.0.0.1");
                assertThat(r.code()).isEqualTo(ResultCodes.L7TOUT);
                assertThat(r.detail()).isEqualTo("no matching reply within 1000 ms");
            }
        }
    }

    @Nested
    class Tls {
        private static Channel server;
        private static final List<String> sniSeen = new CopyOnWriteArrayList<>();

        @BeforeAll
        static void startTlsServer() throws Exception {
            SslContext ctx = SslContextBuilder.forServer(TestTls.keyManagers()).sslProvider(SslProvider.JDK).build();
            server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new SniHandler((Mapping<String, SslContext>) name -> {
                                        sniSeen.add(name == null ? "<none>" : name);
                                        return ctx;
                                    }),
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(65536),
                                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                                            c.close(); // the probes that refuse our certificate end up here
                                        }

                                        @Override
                                        protected void channelRead0(ChannelHandlerContext c, FullHttpRequest req) {
                                            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.OK,
                                                    Unpooled.copiedBuffer("tls ok\n", StandardCharsets.US_ASCII));
                                            resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
                                            c.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                                        }
                                    });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
        }

        @AfterAll
        static void stopTlsServer() {
            server.close().syncUninterruptibly();
        }

        private int port() {
            return ((InetSocketAddress) server.localAddress()).getPort();
        }

        private HealthCheck https(String serverName, String host, boolean insecure) {
            return check("tls", CheckType.HTTPS).port(port())
                    .params(http("/", host, "GET", HttpParams.DEFAULT_EXPECT_STATUS, "tls ok", serverName, insecure))
                    .build();
        }

        @Test
        void selfSignedWithVerifyOnIsL6rsp() throws Exception {
            ProbeResult r = probe(https(TestTls.NAME, "", false), "127.0.0.1");
            assertThat(r.ok()).isFalse();
            assertThat(r.code()).isEqualTo(ResultCodes.L6RSP);
            assertThat(r.detail()).startsWith("certificate verify failed: ");
        }

        @Test
        void insecureSkipVerifyAcceptsItAndSendsSni() throws Exception {
            sniSeen.clear();
            ProbeResult r = probe(https(TestTls.NAME, "", true), "127.0.0.1");
            assertThat(r.code()).isEqualTo(ResultCodes.L7OK); // one TLS layer: the HTTP inside is readable
            assertThat(r.detail()).isEqualTo("status 200, body matched \"tls ok\"");
            assertThat(sniSeen).containsExactly(TestTls.NAME);
        }

        @Test
        void sniFallsBackToHostAndIsOmittedForIpLiterals() throws Exception {
            sniSeen.clear();
            assertThat(probe(https("", "maglev.test:8443", true), "127.0.0.1").code()).isEqualTo(ResultCodes.L7OK);
            assertThat(probe(https("", "", true), "127.0.0.1").code()).isEqualTo(ResultCodes.L7OK);
            assertThat(probe(https("127.0.0.1", "", true), "127.0.0.1").code()).isEqualTo(ResultCodes.L7OK);
            assertThat(sniSeen).containsExactly(TestTls.NAME, "<none>", "<none>");
        }

        @Test
        void trustedCertificateIsVerifiedAgainstTheName() throws Exception {
            NettyProber trusting = new NettyProber(group, Runnable::run, "test", TestTls.trustingSelfSigned());
            assertThat(trusting.probe(https(TestTls.NAME, "", false), ip("127.0.0.1")).get(20, TimeUnit.SECONDS).code())
                    .isEqualTo(ResultCodes.L7OK);
            // no name configured: the certificate must match the backend's IP (it has IP SAN 127.0.0.1)
            assertThat(trusting.probe(https("", "", false), ip("127.0.0.1")).get(20, TimeUnit.SECONDS).code())
                    .isEqualTo(ResultCodes.L7OK);
            ProbeResult wrong = trusting.probe(https("other.test", "", false), ip("127.0.0.1")).get(20, TimeUnit.SECONDS);
            assertThat(wrong.code()).isEqualTo(ResultCodes.L6RSP);
            assertThat(wrong.detail()).startsWith("certificate verify failed: ").contains("other.test");
        }

        @Test
        void handshakeTimeoutIsL6tout() throws Exception {
            try (RawServer s = RawServer.silent("127.0.0.1")) {
                HealthCheck c = check("tls", CheckType.HTTPS).port(s.port()).timeout(Duration.ofSeconds(1))
                        .params(http("/", "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "", "", true)).build();
                ProbeResult r = probe(c, "127.0.0.1");
                assertThat(r.code()).isEqualTo(ResultCodes.L6TOUT);
                assertThat(r.detail()).isEqualTo("TLS handshake timeout after 1000 ms");
            }
        }

        @Test
        void plainTextAnswerIsL6rsp() throws Exception {
            try (RawServer plain = new RawServer("127.0.0.1", s -> {
                s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.getInputStream().read(new byte[4096]);
            })) {
                HealthCheck c = check("tls", CheckType.HTTPS).port(plain.port())
                        .params(http("/", "", "GET", HttpParams.DEFAULT_EXPECT_STATUS, "", "", true)).build();
                ProbeResult r = probe(c, "127.0.0.1");
                assertThat(r.code()).isEqualTo(ResultCodes.L6RSP);
                assertThat(r.detail()).startsWith("TLS handshake failed: ");
            }
        }

        @Test
        void aServerNameSniCannotCarryIsAClearL6rsp() throws Exception {
            ProbeResult r = probe(https("bad_name.test", "", true), "127.0.0.1");
            assertThat(r.code()).isEqualTo(ResultCodes.L6RSP);
            assertThat(r.detail()).startsWith("cannot set up TLS: ");
        }

        @Test
        void tcpWithTlsIsL6ok() throws Exception {
            sniSeen.clear();
            HealthCheck c = check("tcptls", CheckType.TCP).port(port())
                    .params(new TcpParams("", "", true, TestTls.NAME, true)).build();
            ProbeResult r = probe(c, "127.0.0.1");
            assertThat(r.code()).isEqualTo(ResultCodes.L6OK);
            assertThat(r.detail()).startsWith("TLS handshake done (TLSv1.");
            assertThat(sniSeen).containsExactly(TestTls.NAME);
        }
    }

    @Test
    void aShutDownGroupGivesAResultNotAnException() throws Exception {
        EventLoopGroup dead = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        dead.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        ProbeResult r = new NettyProber(dead, "test").probe(httpCheck(http("/")), ip("127.0.0.1"))
                .get(20, TimeUnit.SECONDS);
        assertThat(r.code()).isEqualTo(ResultCodes.L4CON);
        assertThat(r.detail()).startsWith("cannot start probe: ");
    }

    @Test
    void socketsAreCreatedOnTheSocketExecutor() throws Exception {
        CopyOnWriteArrayList<String> threads = new CopyOnWriteArrayList<>();
        ExecutorService netns = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-netns"));
        try {
            NettyProber p = new NettyProber(group, task -> netns.execute(() -> {
                threads.add(Thread.currentThread().getName());
                task.run();
            }), "test");
            ProbeResult r = p.probe(httpCheck(http(unique("/ns"))), ip("127.0.0.1")).get(20, TimeUnit.SECONDS);
            assertThat(r.code()).isEqualTo(ResultCodes.L7OK);
            assertThat(threads).containsExactly("fake-netns");
        } finally {
            netns.shutdownNow();
        }
    }
}
