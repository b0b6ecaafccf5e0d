package dev.vppmaglev.daemon.grpc;

import io.grpc.Context;
import java.util.Objects;

/**
 * Who is calling: over the Unix socket, plain TCP, or TLS (with the verified client certificate's
 * subject when the client presented one). Set for every call by {@link AccessInterceptor}; the
 * audit log of mutating RPCs names it.
 *
 * @param transport how the call arrived
 * @param address   the remote address ({@code 127.0.0.1:53412}); empty for the Unix socket
 * @param subject   the client certificate's subject DN, empty without one
 */
public record Peer(Transport transport, String address, String subject) {
    /** How a call arrived. */
    public enum Transport { SOCKET, TCP, TLS }

    static final Context.Key<Peer> KEY = Context.key("maglev-peer");

    /** For calls that did not come through a listener (in-process tests). */
    public static final Peer LOCAL = new Peer(Transport.SOCKET, "", "");

    public Peer {
        Objects.requireNonNull(transport);
        address = address == null ? "" : address;
        subject = subject == null ? "" : subject;
    }

    /** The caller of the current gRPC call. */
    public static Peer current() {
        Peer p = KEY.get();
        return p == null ? LOCAL : p;
    }

    /** Whether the client proved its identity with a certificate the server verified. */
    public boolean hasCertificate() {
        return !subject.isEmpty();
    }

    /** {@code unix-socket}, {@code tcp 10.0.0.1:5555}, {@code tls 10.0.0.1:5555 "CN=ops"}. */
    public String describe() {
        return switch (transport) {
            case SOCKET -> "unix-socket";
            case TCP -> "tcp " + address;
            case TLS -> "tls " + address + (subject.isEmpty() ? "" : " \"" + subject + "\"");
        };
    }
}
