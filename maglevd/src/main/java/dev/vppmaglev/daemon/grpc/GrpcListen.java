package dev.vppmaglev.daemon.grpc;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the gRPC API listens.
 *
 * @param tcp         TCP address; {@code null} for none
 * @param socket      Unix socket path; {@code null} for none
 * @param socketGroup group to own the socket file; empty keeps the daemon's group
 * @param tlsCert     certificate chain (PEM) for the TCP listener; {@code null} = plaintext
 * @param tlsKey      its private key (PKCS#8 PEM)
 * @param clientCa    CA certificates (PEM) that sign client certificates; {@code null} = no
 *                    client certificates
 * @param mutations   who may call mutating RPCs
 * @param reflection  serve gRPC server reflection
 */
public record GrpcListen(InetSocketAddress tcp, Path socket, String socketGroup, Path tlsCert, Path tlsKey,
                         Path clientCa, MutationPolicy mutations, boolean reflection) {
    public GrpcListen {
        socketGroup = socketGroup == null ? "" : socketGroup;
        Objects.requireNonNull(mutations);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--grpc-tls-cert and --grpc-tls-key go together");
        }
        if (clientCa != null && tlsCert == null) {
            throw new IllegalArgumentException("--grpc-client-ca needs --grpc-tls-cert and --grpc-tls-key");
        }
        if ((mutations == MutationPolicy.CERT || mutations == MutationPolicy.SOCKET_OR_CERT) && clientCa == null) {
            throw new IllegalArgumentException("--grpc-mutations=" + mutations.keyword()
                    + " needs --grpc-client-ca (client certificates)");
        }
        if (mutations == MutationPolicy.SOCKET && socket == null) {
            throw new IllegalArgumentException("--grpc-mutations=socket needs --grpc-socket");
        }
        if (tcp == null && socket == null) {
            throw new IllegalArgumentException("no gRPC listener: give --grpc-addr or --grpc-socket");
        }
    }

    /** Plain TCP on {@code tcp}, everything else off: for tests. */
    public static GrpcListen plain(InetSocketAddress tcp) {
        return new GrpcListen(tcp, null, "", null, null, null, MutationPolicy.ANY, true);
    }
}
