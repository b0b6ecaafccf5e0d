package dev.vppmaglev.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * How maglevc secures its connection to maglevd: plaintext (the default, as maglevd listens on
 * localhost), TLS (maglevd's {@code --grpc-tls-cert}) or mutual TLS (maglevd's
 * {@code --grpc-client-ca}). Flags win over the environment: {@code --tls} / {@code MAGLEV_TLS},
 * {@code --tls-ca} / {@code MAGLEV_TLS_CA}, {@code --tls-cert} / {@code MAGLEV_TLS_CERT},
 * {@code --tls-key} / {@code MAGLEV_TLS_KEY}, {@code --tls-server-name} /
 * {@code MAGLEV_TLS_SERVER_NAME}. Giving a CA, a certificate or a server name turns TLS on.
 *
 * @param enabled    use TLS
 * @param ca         CA certificates (PEM) to verify maglevd with; empty = the JDK's trust store
 * @param cert       client certificate chain (PEM) for mutual TLS; empty = none
 * @param key        its private key (PKCS#8 PEM)
 * @param serverName the name to verify in maglevd's certificate; empty = the host of --server
 */
record TlsSettings(boolean enabled, Optional<Path> ca, Optional<Path> cert, Optional<Path> key,
        Optional<String> serverName) {

    static final TlsSettings PLAINTEXT = new TlsSettings(false, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    /**
     * Resolves the flags and the environment.
     *
     * @throws CommandLineException for a bad combination or a file that cannot be read, naming it
     */
    static TlsSettings of(Options.TlsFlags flags, Function<String, String> env) {
        Optional<String> ca = flags.ca().or(() -> Optional.ofNullable(env.apply("MAGLEV_TLS_CA")));
        Optional<String> cert = flags.cert().or(() -> Optional.ofNullable(env.apply("MAGLEV_TLS_CERT")));
        Optional<String> key = flags.key().or(() -> Optional.ofNullable(env.apply("MAGLEV_TLS_KEY")));
        Optional<String> name = flags.serverName().or(() -> Optional.ofNullable(env.apply("MAGLEV_TLS_SERVER_NAME")));
        Optional<Boolean> on = flags.enabled();
        if (on.isEmpty() && env.apply("MAGLEV_TLS") != null) {
            String v = env.apply("MAGLEV_TLS").trim().toLowerCase(java.util.Locale.ROOT);
            on = Optional.of(v.equals("1") || v.equals("true") || v.equals("yes") || v.equals("on"));
        }
        ca = ca.filter(s -> !s.isBlank());
        cert = cert.filter(s -> !s.isBlank());
        key = key.filter(s -> !s.isBlank());
        name = name.filter(s -> !s.isBlank());
        boolean enabled = on.orElse(ca.isPresent() || cert.isPresent() || name.isPresent());
        if (!enabled) {
            if (ca.isPresent() || cert.isPresent() || key.isPresent()) {
                throw new CommandLineException("--tls=false cannot be combined with --tls-ca, --tls-cert or --tls-key");
            }
            return PLAINTEXT;
        }
        if (cert.isPresent() != key.isPresent()) {
            throw new CommandLineException("--tls-cert and --tls-key go together (mutual TLS)");
        }
        return new TlsSettings(true, readable(ca, "--tls-ca"), readable(cert, "--tls-cert"),
                readable(key, "--tls-key"), name);
    }

    private static Optional<Path> readable(Optional<String> file, String flag) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(file.get());
        if (!Files.isReadable(p)) {
            throw new CommandLineException(flag + ": cannot read \"" + file.get() + "\"");
        }
        return Optional.of(p);
    }
}
