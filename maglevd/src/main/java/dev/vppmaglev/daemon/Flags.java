package dev.vppmaglev.daemon;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * maglevd's command-line flags (behaviour.md §1.1 plus spec README "Flags"). Every flag with an
 * environment variable falls back to it; the flag wins. Go-style single-dash spellings
 * ({@code -config}) are accepted next to {@code --config}, as the reference's Go flag package did.
 */
@Command(name = "maglevd", mixinStandardHelpOptions = false, sortOptions = false,
        description = "Health-checks backends and programs VPP's lb plugin; serves gRPC and Prometheus metrics.")
public final class Flags {

    @Option(names = {"--config", "-config"}, paramLabel = "PATH",
            defaultValue = "${env:MAGLEV_CONFIG:-/etc/vpp-maglev/maglev.yaml}",
            description = "YAML config file (env MAGLEV_CONFIG; default ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"--grpc-addr", "-grpc-addr"}, paramLabel = "ADDR",
            defaultValue = "${env:MAGLEV_GRPC_ADDR:-localhost:9090}",
            description = "gRPC listen address host:port (:port = every interface); empty disables TCP (env MAGLEV_GRPC_ADDR; default ${DEFAULT-VALUE}).")
    String grpcAddr;

    @Option(names = {"--grpc-socket", "-grpc-socket"}, paramLabel = "PATH",
            defaultValue = "${env:MAGLEV_GRPC_SOCKET:-}",
            description = "Also serve gRPC on this Unix socket, mode 0660 (env MAGLEV_GRPC_SOCKET).")
    String grpcSocket;

    @Option(names = {"--grpc-socket-group", "-grpc-socket-group"}, paramLabel = "GROUP",
            defaultValue = "${env:MAGLEV_GRPC_SOCKET_GROUP:-}",
            description = "Group owning the --grpc-socket file (mode 0660), e.g. maglev (env MAGLEV_GRPC_SOCKET_GROUP).")
    String grpcSocketGroup;

    @Option(names = {"--grpc-tls-cert", "-grpc-tls-cert"}, paramLabel = "PEM",
            defaultValue = "${env:MAGLEV_GRPC_TLS_CERT:-}",
            description = "Serve the TCP listener over TLS with this certificate chain (PEM; env MAGLEV_GRPC_TLS_CERT).")
    String grpcTlsCert;

    @Option(names = {"--grpc-tls-key", "-grpc-tls-key"}, paramLabel = "PEM",
            defaultValue = "${env:MAGLEV_GRPC_TLS_KEY:-}",
            description = "Private key of --grpc-tls-cert (PKCS#8 PEM; env MAGLEV_GRPC_TLS_KEY).")
    String grpcTlsKey;

    @Option(names = {"--grpc-client-ca", "-grpc-client-ca"}, paramLabel = "PEM",
            defaultValue = "${env:MAGLEV_GRPC_CLIENT_CA:-}",
            description = "Mutual TLS: clients must present a certificate signed by these CAs (PEM; env MAGLEV_GRPC_CLIENT_CA).")
    String grpcClientCa;

    @Option(names = {"--grpc-mutations", "-grpc-mutations"}, paramLabel = "POLICY",
            defaultValue = "${env:MAGLEV_GRPC_MUTATIONS:-any}",
            description = "Who may call mutating RPCs (pause, resume, enable, disable, set weight, reload, sync, set log level): any, socket (Unix socket only), cert (TLS clients with a verified certificate) or socket-or-cert (env MAGLEV_GRPC_MUTATIONS; default ${DEFAULT-VALUE}).")
    String grpcMutations;

    @Option(names = {"--metrics-addr", "-metrics-addr"}, paramLabel = "ADDR",
            defaultValue = "${env:MAGLEV_METRICS_ADDR:-:9091}",
            description = "HTTP listener for /metrics, /liveness, /readiness; empty disables (env MAGLEV_METRICS_ADDR; default ${DEFAULT-VALUE}).")
    String metricsAddr;

    @Option(names = {"--vpp-api-addr", "-vpp-api-addr"}, paramLabel = "PATH",
            defaultValue = "${env:MAGLEV_VPP_API_ADDR:-/run/vpp/api.sock}",
            description = "VPP binary-API socket; empty disables all VPP integration (env MAGLEV_VPP_API_ADDR; default ${DEFAULT-VALUE}).")
    String vppApiAddr;

    @Option(names = {"--vpp-stats-addr", "-vpp-stats-addr"}, paramLabel = "PATH",
            defaultValue = "${env:MAGLEV_VPP_STATS_ADDR:-/run/vpp/stats.sock}",
            description = "VPP stats-segment socket (env MAGLEV_VPP_STATS_ADDR; default ${DEFAULT-VALUE}).")
    String vppStatsAddr;

    @Option(names = {"--log-level", "-log-level"}, paramLabel = "LEVEL",
            defaultValue = "${env:MAGLEV_LOG_LEVEL:-info}",
            description = "debug, info, warn or error (env MAGLEV_LOG_LEVEL; default ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = {"--log-format", "-log-format"}, paramLabel = "FORMAT",
            defaultValue = "${env:MAGLEV_LOG_FORMAT:-}",
            description = "json or text (env MAGLEV_LOG_FORMAT; default json when stdout is not a terminal, else text).")
    String logFormat;

    @Option(names = {"--reflection", "-reflection"}, paramLabel = "BOOL", arity = "0..1",
            defaultValue = "true", fallbackValue = "true",
            description = "Serve gRPC server reflection (default ${DEFAULT-VALUE}).")
    boolean reflection;

    @Option(names = {"--check", "-check"},
            description = "Validate the config and exit: 0 valid, 1 parse error, 2 semantic error.")
    boolean check;

    @Option(names = {"--version", "-version"}, description = "Print version, commit and build date, and exit.")
    boolean version;

    @Option(names = {"-h", "--help", "-help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** Whether VPP integration is on ({@code --vpp-api-addr} not empty). */
    boolean vppEnabled() {
        return vppApiAddr != null && !vppApiAddr.isBlank();
    }
}
