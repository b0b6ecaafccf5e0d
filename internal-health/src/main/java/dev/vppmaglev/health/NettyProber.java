package dev.vppmaglev.health;

import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.HttpParams;
import dev.vppmaglev.config.StatusRange;
import dev.vppmaglev.config.TcpParams;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code tcp}, {@code http} and {@code https} probes on Netty NIO.
 *
 * <h2>What each probe does</h2>
 * <ul>
 *   <li>{@code tcp}: connect to {@code port} ({@code L4OK}); with {@code tls}, a TLS handshake
 *       ({@code L6OK}); with {@code send}, write it; with {@code expect}, read until the regex is
 *       found in the reply (bytes as ISO-8859-1, first 64 KiB) → {@code L7OK}, or the peer closes
 *       → {@code L7RSP}.</li>
 *   <li>{@code http}/{@code https}: one {@code GET} or {@code HEAD} of {@code path} with
 *       {@code Host} (default: the backend address, IPv6 in brackets, {@code :port} unless 80/443),
 *       {@code User-Agent: vpp-maglev/<version> (+https://git.ipng.ch/ipng/vpp-maglev)},
 *       {@code Connection: close}. Status in {@code expect-status} → {@code L7OK}, else
 *       {@code L7STS}; with {@code expect-body}, the regex is searched in the first 64 KiB of the
 *       body (UTF-8) → {@code L7BODY} on a miss; a malformed response or a connection closed
 *       before a complete one → {@code L7RSP}.</li>
 *   <li>TLS ({@code https}, {@code tcp} with {@code tls}): one {@link SslHandler} at the head of
 *       the pipeline, added exactly once (behaviour.md §12 item 13). https: SNI and the verified
 *       name are {@code server-name}, else {@code host}; no SNI for an IP literal, and with
 *       neither set the certificate must match the backend's IP. tcp: SNI and name check only
 *       with {@code server-name}. Verification uses the JDK trust store (or the
 *       {@link TrustManagerFactory} given to the constructor) unless {@code insecure-skip-verify}.
 *       Handshake failure → {@code L6RSP} ({@code certificate verify failed: ...} when the
 *       certificate was refused).</li>
 * </ul>
 *
 * <h2>Time</h2>
 * One deadline per probe, {@code timeout} after {@link #probe} was called, bounds the whole
 * probe; when it fires the code says how far the probe got: {@code L4TOUT} (connecting),
 * {@code L6TOUT} (TLS handshake), {@code L7TOUT} (waiting for the response or reply). Connection
 * errors: refused, unreachable, reset while connecting, source address not bindable →
 * {@code L4CON}. Probes close their connection with RST ({@code SO_LINGER 0}) like HAProxy's
 * checks, so thousands of probes do not pile up TIME_WAIT sockets.
 *
 * <h2>Sockets and threads</h2>
 * The event loop group is the caller's (not closed here). Every socket is created by
 * {@link Bootstrap#connect} on {@code socketExecutor} (default: the calling thread): with
 * {@code healthchecker.netns} set, {@link NetProber} passes the executor whose platform thread has
 * entered the namespace, and the socket stays there whichever event loop then drives it
 * (java-stack.md §8).
 * {@code probe-ipv4-src} / {@code probe-ipv6-src} bind the local side.
 */
public final class NettyProber implements Prober {
    /** The project URL carried in the User-Agent. */
    public static final String PROJECT_URL = "https://git.ipng.ch/ipng/vpp-maglev";
    /** How much of a tcp reply {@code expect} is searched in, in bytes. */
    public static final int REPLY_LIMIT_BYTES = 64 * 1024;

    private final EventLoopGroup group;
    private final Executor socketExecutor;
    private final String userAgent;
    private final TrustManagerFactory trust;
    private final ConcurrentHashMap<String, Pattern> patterns = new ConcurrentHashMap<>();
    private volatile SslContext verifyingContext;
    private volatile SslContext insecureContext;

    /** Sockets are created on the calling thread. */
    public NettyProber(EventLoopGroup group, String version) {
        this(group, Runnable::run, version, null);
    }

    /**
     * @param group          event loops that drive the probes (not owned)
     * @param socketExecutor where sockets are created ({@code Runnable::run} = the caller's thread)
     * @param version        the build version for the User-Agent
     */
    public NettyProber(EventLoopGroup group, Executor socketExecutor, String version) {
        this(group, socketExecutor, version, null);
    }

    /**
     * @param trust certificate authorities for TLS verification; {@code null} = the JDK trust store
     */
    public NettyProber(EventLoopGroup group, Executor socketExecutor, String version, TrustManagerFactory trust) {
        this.group = Objects.requireNonNull(group, "group");
        this.socketExecutor = Objects.requireNonNull(socketExecutor, "socketExecutor");
        this.userAgent = userAgent(version);
        this.trust = trust;
    }

    /** {@code vpp-maglev/<version> (+https://git.ipng.ch/ipng/vpp-maglev)}. */
    public static String userAgent(String version) {
        return "vpp-maglev/" + Objects.requireNonNull(version, "version") + " (+" + PROJECT_URL + ")";
    }

    @Override
    public CompletableFuture<ProbeResult> probe(HealthCheck check, InetAddress target) {
        if (check.type() == CheckType.ICMP) {
            return CompletableFuture.completedFuture(ProbeResult.fail(ResultCodes.ICMPUNR,
                    "icmp checks are not run by the TCP/HTTP prober", Duration.ZERO));
        }
        Attempt attempt = new Attempt(check, target);
        try {
            return attempt.start();
        } catch (RuntimeException e) { // e.g. the event loop group is shut down
            attempt.finish(attempt.fail(ResultCodes.L4CON, "cannot start probe: " + message(e)));
            return attempt.result;
        }
    }

    // ---------------------------------------------------------------------------------------------

    private enum Phase { CONNECT, TLS, REQUEST, BODY, REPLY }

    /** One probe: the deadline, the connection, and the handler at the tail of its pipeline. */
    private final class Attempt extends ChannelInboundHandlerAdapter {
        private final HealthCheck check;
        private final InetAddress target;
        private final long startNanos = System.nanoTime();
        private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        private final AtomicBoolean done = new AtomicBoolean();
        private final boolean tls;
        private volatile Phase phase = Phase.CONNECT;
        private volatile Channel channel;
        private ScheduledFuture<?> deadline;
        // Touched only on the channel's event loop:
        private int status;
        private ByteArrayOutputStream collected;

        Attempt(HealthCheck check, InetAddress target) {
            this.check = check;
            this.target = target;
            this.tls = check.type() == CheckType.HTTPS
                    || (check.type() == CheckType.TCP && check.params() instanceof TcpParams t && t.tls());
        }

        CompletableFuture<ProbeResult> start() {
            EventLoop loop = group.next();
            long timeoutNanos = check.timeout().toNanos();
            deadline = loop.schedule(this::onDeadline, timeoutNanos, TimeUnit.NANOSECONDS);
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                            check.timeout().toMillis())))
                    .option(ChannelOption.SO_LINGER, 0)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            initPipeline(ch);
                        }
                    });
            InetSocketAddress remote = new InetSocketAddress(target, check.port());
            InetAddress source = target instanceof Inet4Address ? check.probeIpv4Src() : check.probeIpv6Src();
            SocketAddress local = source == null ? null : new InetSocketAddress(source, 0);
            try {
                socketExecutor.execute(() -> connect(bootstrap, remote, local));
            } catch (RuntimeException e) {
                finish(fail(ResultCodes.L4CON, "cannot create socket: " + message(e)));
            }
            return result;
        }

        private void connect(Bootstrap bootstrap, InetSocketAddress remote, SocketAddress local) {
            try {
                ChannelFuture f = local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, local);
                channel = f.channel();
                if (done.get()) {
                    channel.close();
                    return;
                }
                f.addListener((ChannelFuture cf) -> {
                    if (!cf.isSuccess()) {
                        finish(connectFailure(cf.cause(), source(local)));
                    } else {
                        connected(cf.channel());
                    }
                });
            } catch (RuntimeException e) {
                finish(fail(ResultCodes.L4CON, "cannot create socket: " + message(e)));
            }
        }

        private void initPipeline(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            if (tls) {
                try {
                    p.addLast("tls", newSslHandler(ch));
                } catch (RuntimeException e) { // e.g. a server name SNI cannot carry
                    finish(fail(ResultCodes.L6RSP, "cannot set up TLS: " + message(e)));
                    return;
                }
            }
            if (check.type() != CheckType.TCP) {
                p.addLast("http", new HttpClientCodec());
            }
            p.addLast("probe", this);
        }

        private SslHandler newSslHandler(SocketChannel ch) {
            boolean insecure;
            String sni;
            String verifyName;
            if (check.params() instanceof HttpParams h) {
                insecure = h.insecureSkipVerify();
                String name = !h.serverName().isEmpty() ? h.serverName() : hostOnly(h.host());
                verifyName = name.isEmpty() ? NetUtil.toAddressString(target) : name;
                sni = name.isEmpty() || isIpLiteral(name) ? null : name;
            } else {
                TcpParams t = (TcpParams) check.params();
                insecure = t.insecureSkipVerify();
                verifyName = t.serverName().isEmpty() ? null : t.serverName();
                sni = verifyName == null || isIpLiteral(verifyName) ? null : verifyName;
            }
            SslContext context = insecure ? insecureContext() : verifyingContext();
            String peerHost = verifyName != null ? verifyName : NetUtil.toAddressString(target);
            SslHandler handler = context.newHandler(ch.alloc(), peerHost, check.port());
            SSLEngine engine = handler.engine();
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm(!insecure && verifyName != null ? "HTTPS" : null);
            params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            engine.setSSLParameters(params);
            handler.setHandshakeTimeout(Math.max(1, check.timeout().toMillis()), TimeUnit.MILLISECONDS);
            return handler;
        }

        private void connected(Channel ch) {
            if (done.get()) {
                ch.close();
                return;
            }
            if (tls) {
                phase = Phase.TLS; // the SslHandler started the handshake on channelActive
            } else {
                afterHandshake(ch, null);
            }
        }

        /** Connected (and TLS done when asked for): run the layer-7 part, if any. */
        private void afterHandshake(Channel ch, String tlsProtocol) {
            if (check.params() instanceof HttpParams h) {
                phase = Phase.REQUEST;
                ch.writeAndFlush(request(h)).addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        finish(fail(ResultCodes.L7RSP, "cannot send request: " + message(f.cause())));
                    }
                });
                return;
            }
            TcpParams t = (TcpParams) check.params();
            String okCode = tlsProtocol != null ? ResultCodes.L6OK : ResultCodes.L4OK;
            String okDetail = tlsProtocol != null ? "TLS handshake done (" + tlsProtocol + ")" : "connected";
            if (t.send().isEmpty() && t.expect().isEmpty()) {
                finish(pass(okCode, okDetail));
                return;
            }
            if (!t.expect().isEmpty()) {
                phase = Phase.REPLY;
                collected = new ByteArrayOutputStream();
            }
            if (!t.send().isEmpty()) {
                byte[] bytes = t.send().getBytes(StandardCharsets.UTF_8);
                ch.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        finish(fail(ResultCodes.L4CON, "cannot send: " + message(f.cause())));
                    } else if (t.expect().isEmpty()) {
                        finish(pass(okCode, okDetail + ", sent " + bytes.length + " bytes"));
                    }
                });
            }
        }

        private FullHttpRequest request(HttpParams h) {
            HttpMethod method = HttpMethod.valueOf(h.method().toUpperCase(Locale.ROOT));
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, h.path(), Unpooled.EMPTY_BUFFER);
            req.headers()
                    .set(HttpHeaderNames.HOST, h.host().isEmpty() ? defaultHost() : h.host())
                    .set(HttpHeaderNames.USER_AGENT, userAgent)
                    .set(HttpHeaderNames.ACCEPT, "*/*")
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            return req;
        }

        private String defaultHost() {
            String host = target instanceof Inet6Address ? "[" + NetUtil.toAddressString(target) + "]"
                    : NetUtil.toAddressString(target);
            int defaultPort = check.type() == CheckType.HTTPS ? 443 : 80;
            return check.port() == defaultPort ? host : host + ":" + check.port();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (e.isSuccess()) {
                    SslHandler h = ctx.pipeline().get(SslHandler.class);
                    afterHandshake(ctx.channel(), h == null ? "TLS" : h.engine().getSession().getProtocol());
                } else {
                    finish(tlsFailure(e.cause()));
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (done.get()) {
                    return;
                }
                if (msg instanceof HttpResponse r) {
                    onResponse(r);
                }
                if (msg instanceof HttpContent c) {
                    onContent(c);
                }
                if (msg instanceof ByteBuf b) {
                    onReply(b);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onResponse(HttpResponse r) {
            if (phase != Phase.REQUEST) {
                return;
            }
            DecoderResult dr = r.decoderResult();
            if (dr.isFailure()) {
                finish(fail(ResultCodes.L7RSP, "malformed response: " + message(dr.cause())));
                return;
            }
            HttpParams h = (HttpParams) check.params();
            status = r.status().code();
            if (status >= 100 && status < 200 && status != 101) {
                return; // interim response (e.g. 103 Early Hints): the final one follows
            }
            if (!h.statusExpected(status)) {
                finish(fail(ResultCodes.L7STS, "status " + status + ", expected " + ranges(h.expectStatus())));
                return;
            }
            if (h.expectBody().isEmpty()) {
                finish(pass(ResultCodes.L7OK, "status " + status));
                return;
            }
            phase = Phase.BODY;
            collected = new ByteArrayOutputStream();
        }

        private void onContent(HttpContent c) {
            if (phase != Phase.BODY || done.get()) {
                return;
            }
            DecoderResult dr = c.decoderResult();
            if (dr.isFailure()) {
                finish(fail(ResultCodes.L7RSP, "malformed response body: " + message(dr.cause())));
                return;
            }
            boolean full = append(c.content(), HttpParams.BODY_LIMIT_BYTES);
            if (full || c instanceof LastHttpContent) {
                HttpParams h = (HttpParams) check.params();
                Pattern pattern = pattern(h.expectBody());
                if (pattern == null) {
                    finish(fail(ResultCodes.L7RSP, "invalid expect-body regex \"" + h.expectBody() + "\""));
                } else if (pattern.matcher(collected.toString(StandardCharsets.UTF_8)).find()) {
                    finish(pass(ResultCodes.L7OK, "status " + status + ", body matched \"" + h.expectBody() + "\""));
                } else {
                    finish(fail(ResultCodes.L7BODY, "body did not match \"" + h.expectBody() + "\""));
                }
            }
        }

        private void onReply(ByteBuf b) {
            if (phase != Phase.REPLY) {
                return;
            }
            TcpParams t = (TcpParams) check.params();
            boolean full = append(b, REPLY_LIMIT_BYTES);
            Pattern pattern = pattern(t.expect());
            if (pattern == null) {
                finish(fail(ResultCodes.L7RSP, "invalid expect regex \"" + t.expect() + "\""));
            } else if (pattern.matcher(collected.toString(StandardCharsets.ISO_8859_1)).find()) {
                finish(pass(ResultCodes.L7OK, "reply matched \"" + t.expect() + "\""));
            } else if (full) {
                finish(fail(ResultCodes.L7RSP, "reply did not match \"" + t.expect() + "\" in "
                        + REPLY_LIMIT_BYTES + " bytes"));
            }
        }

        /** Appends up to {@code limit} bytes in total; true when the limit is reached. */
        private boolean append(ByteBuf content, int limit) {
            int room = limit - collected.size();
            int n = Math.min(room, content.readableBytes());
            if (n > 0) {
                byte[] bytes = new byte[n];
                content.getBytes(content.readerIndex(), bytes);
                collected.write(bytes, 0, n);
            }
            return collected.size() >= limit;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (done.get()) {
                return;
            }
            switch (phase) {
                case CONNECT -> finish(fail(ResultCodes.L4CON, "connection closed while connecting"));
                case TLS -> finish(fail(ResultCodes.L6RSP, "connection closed during the TLS handshake"));
                case REQUEST -> finish(fail(ResultCodes.L7RSP, "connection closed before a response"));
                case BODY -> finish(fail(ResultCodes.L7RSP, "connection closed in the middle of the body"));
                case REPLY -> finish(fail(ResultCodes.L7RSP, collected.size() == 0
                        ? "connection closed without a reply"
                        : "reply did not match \"" + ((TcpParams) check.params()).expect() + "\""));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (done.get()) {
                return;
            }
            switch (phase) {
                case CONNECT -> finish(connectFailure(cause, null));
                case TLS -> finish(tlsFailure(cause));
                default -> finish(fail(ResultCodes.L7RSP, "connection error: " + message(cause)));
            }
        }

        private void onDeadline() {
            long ms = check.timeout().toMillis();
            switch (phase) {
                case CONNECT -> finish(fail(ResultCodes.L4TOUT, "connect timeout after " + ms + " ms"));
                case TLS -> finish(fail(ResultCodes.L6TOUT, "TLS handshake timeout after " + ms + " ms"));
                case REQUEST -> finish(fail(ResultCodes.L7TOUT, "no response within " + ms + " ms"));
                case BODY -> finish(fail(ResultCodes.L7TOUT, "body not complete within " + ms + " ms"));
                case REPLY -> finish(fail(ResultCodes.L7TOUT, "no matching reply within " + ms + " ms"));
            }
        }

        private ProbeResult connectFailure(Throwable cause, InetAddress source) {
            if (cause instanceof ConnectTimeoutException) {
                return fail(ResultCodes.L4TOUT, "connect timeout after " + check.timeout().toMillis() + " ms");
            }
            String m = unannotated(cause).toLowerCase(Locale.ROOT);
            if (source != null && (cause instanceof java.net.BindException
                    || m.contains("cannot assign requested address") || m.contains("address already in use"))) {
                return fail(ResultCodes.L4CON, "cannot bind source address " + NetUtil.toAddressString(source)
                        + ": " + m);
            }
            if (cause instanceof NoRouteToHostException) {
                return fail(ResultCodes.L4CON, "no route to host");
            }
            if (m.startsWith("connection refused")) {
                return fail(ResultCodes.L4CON, "connection refused");
            }
            if (m.contains("network is unreachable")) {
                return fail(ResultCodes.L4CON, "network unreachable");
            }
            if (m.contains("no route to host")) {
                return fail(ResultCodes.L4CON, "no route to host");
            }
            return fail(ResultCodes.L4CON, m);
        }

        private ProbeResult tlsFailure(Throwable cause) {
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof SslHandshakeTimeoutException) {
                    return fail(ResultCodes.L6TOUT, "TLS handshake timeout after " + check.timeout().toMillis() + " ms");
                }
                if (t instanceof CertificateException || t instanceof CertPathValidatorException
                        || t instanceof CertPathBuilderException) {
                    return fail(ResultCodes.L6RSP, "certificate verify failed: " + deepestMessage(cause));
                }
            }
            if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
                return fail(ResultCodes.L6RSP, "TLS handshake failed: " + deepestMessage(cause));
            }
            if (cause instanceof IOException) {
                return fail(ResultCodes.L6RSP, "connection error during the TLS handshake: " + message(cause));
            }
            return fail(ResultCodes.L6RSP, "TLS handshake failed: " + deepestMessage(cause));
        }

        private void finish(ProbeResult r) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (deadline != null) {
                deadline.cancel(false);
            }
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            result.complete(r);
        }

        private ProbeResult pass(String code, String detail) {
            return ProbeResult.pass(code, detail, elapsed());
        }

        private ProbeResult fail(String code, String detail) {
            return ProbeResult.fail(code, detail, elapsed());
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private SslContext verifyingContext() {
        SslContext c = verifyingContext;
        if (c == null) {
            synchronized (this) {
                c = verifyingContext;
                if (c == null) {
                    c = verifyingContext = buildContext(trust);
                }
            }
        }
        return c;
    }

    private SslContext insecureContext() {
        SslContext c = insecureContext;
        if (c == null) {
            synchronized (this) {
                c = insecureContext;
                if (c == null) {
                    c = insecureContext = buildContext(InsecureTrustManagerFactory.INSTANCE);
                }
            }
        }
        return c;
    }

    private static SslContext buildContext(TrustManagerFactory tmf) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            if (tmf != null) {
                b.trustManager(tmf);
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS client context: " + e.getMessage(), e);
        }
    }

    private Pattern pattern(String regex) {
        try {
            return patterns.computeIfAbsent(regex, Pattern::compile);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    private static String ranges(List<StatusRange> ranges) {
        return ranges.stream().map(StatusRange::toString).collect(Collectors.joining(","));
    }

    /** {@code host} without a {@code :port} suffix (and without brackets around an IPv6 literal). */
    static String hostOnly(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(1, end) : host;
        }
        int colon = host.indexOf(':');
        if (colon >= 0 && colon == host.lastIndexOf(':')) {
            return host.substring(0, colon);
        }
        return host;
    }

    static boolean isIpLiteral(String name) {
        if (name.indexOf(':') >= 0) {
            return true; // IPv6 literal (ports were removed by hostOnly)
        }
        return name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static InetAddress source(SocketAddress local) {
        return local instanceof InetSocketAddress isa ? isa.getAddress() : null;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** The message without the {@code ": /192.0.2.1:80"} suffix Netty adds to connect errors. */
    private static String unannotated(Throwable t) {
        String m = message(t);
        int i = m.lastIndexOf(": /");
        return i > 0 ? m.substring(0, i) : m;
    }

    private static String deepestMessage(Throwable t) {
        String m = message(t);
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                m = c.getMessage();
            }
        }
        return m;
    }
}
