package dev.vppmaglev.daemon.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identifies the caller of every call ({@link Peer}, in the gRPC {@link Context}) and refuses
 * mutating RPCs the {@link MutationPolicy} does not allow, with PERMISSION_DENIED. One instance per
 * listener: it knows whether it serves the Unix socket.
 */
final class AccessInterceptor implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(AccessInterceptor.class);

    private final boolean unixSocket;
    private final MutationPolicy policy;

    AccessInterceptor(boolean unixSocket, MutationPolicy policy) {
        this.unixSocket = unixSocket;
        this.policy = policy;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                     ServerCallHandler<Q, R> next) {
        Peer peer = peerOf(call);
        String method = call.getMethodDescriptor().getBareMethodName();
        if (MutationPolicy.MUTATING.contains(method) && !policy.allows(peer)) {
            log.atWarn().setMessage("grpc-mutation-denied").addKeyValue("method", method)
                    .addKeyValue("peer", peer.describe()).addKeyValue("policy", policy.keyword()).log();
            call.close(Status.PERMISSION_DENIED.withDescription(policy.refusal()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(Peer.KEY, peer), call, headers, next);
    }

    private Peer peerOf(ServerCall<?, ?> call) {
        if (unixSocket) {
            return new Peer(Peer.Transport.SOCKET, "", "");
        }
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String addr = remote instanceof InetSocketAddress isa
                ? ProtoMapper.address(isa.getAddress()) + ":" + isa.getPort()
                : String.valueOf(remote);
        SSLSession tls = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (tls == null) {
            return new Peer(Peer.Transport.TCP, addr, "");
        }
        String subject = "";
        try {
            Certificate[] chain = tls.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                subject = x.getSubjectX500Principal().getName();
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate
        }
        return new Peer(Peer.Transport.TLS, addr, subject);
    }
}
