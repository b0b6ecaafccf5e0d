package dev.vppmaglev.daemon.grpc;

import java.util.Locale;
import java.util.Set;

/**
 * Who may call the mutating RPCs ({@code --grpc-mutations}). Read-only RPCs are open to every
 * client that can connect.
 */
public enum MutationPolicy {
    /** Every client (the reference's behaviour). */
    ANY("any"),
    /** Only clients on the Unix socket ({@code --grpc-socket}; file permissions decide who). */
    SOCKET("socket"),
    /** Only TLS clients that presented a certificate signed by {@code --grpc-client-ca}. */
    CERT("cert"),
    /** Unix-socket clients and TLS clients with a verified certificate. */
    SOCKET_OR_CERT("socket-or-cert");

    /** The RPCs that change state (bare method names of {@code maglev.Maglev}). */
    public static final Set<String> MUTATING = Set.of("PauseBackend", "ResumeBackend", "EnableBackend",
            "DisableBackend", "SetFrontendPoolBackendWeight", "ReloadConfig", "SyncVPPLBState", "SetLogLevel");

    private final String keyword;

    MutationPolicy(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    /**
     * Parses {@code any|socket|cert|socket-or-cert}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static MutationPolicy parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (MutationPolicy p : values()) {
            if (p.keyword.equals(k)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown --grpc-mutations policy \"" + s
                + "\": use any, socket, cert or socket-or-cert");
    }

    /** Whether {@code peer} may mutate. */
    public boolean allows(Peer peer) {
        return switch (this) {
            case ANY -> true;
            case SOCKET -> peer.transport() == Peer.Transport.SOCKET;
            case CERT -> peer.hasCertificate();
            case SOCKET_OR_CERT -> peer.transport() == Peer.Transport.SOCKET || peer.hasCertificate();
        };
    }

    /** Why a call was refused, for PERMISSION_DENIED. */
    String refusal() {
        return switch (this) {
            case ANY -> "";
            case SOCKET -> "changes are only allowed over the Unix socket (--grpc-mutations=socket)";
            case CERT -> "changes need a TLS client certificate (--grpc-mutations=cert)";
            case SOCKET_OR_CERT -> "changes are only allowed over the Unix socket or with a TLS client "
                    + "certificate (--grpc-mutations=socket-or-cert)";
        };
    }
}
