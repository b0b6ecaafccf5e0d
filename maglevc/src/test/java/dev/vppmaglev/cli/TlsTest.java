package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * maglevc against a maglevd that serves TLS or mutual TLS, with real certificates made by openssl:
 * the flags, their environment variables, and clear errors when the settings do not fit.
 */
class TlsTest {
    @TempDir
    static Path pki;

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + ":\n" + out);
        }
    }

    private static void issue(String name, String subject, String ext) throws Exception {
        Files.writeString(pki.resolve(name + ".ext"), ext);
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.resolve(name + ".key").toString(),
                "-out", pki.resolve(name + ".csr").toString(), "-subj", subject);
        openssl("x509", "-req", "-in", pki.resolve(name + ".csr").toString(), "-CA", pki.resolve("ca.crt").toString(),
                "-CAkey", pki.resolve("ca.key").toString(), "-CAcreateserial",
                "-out", pki.resolve(name + ".crt").toString(), "-days", "2", "-extfile", pki.resolve(name + ".ext").toString());
    }

    @BeforeAll
    static void makePki() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.resolve("ca.key").toString(),
                "-out", pki.resolve("ca.crt").toString(), "-days", "2", "-subj", "/CN=maglev test CA");
        issue("server", "/CN=maglev.example.net", "subjectAltName=DNS:maglev.example.net,IP:127.0.0.1\n");
        issue("client", "/CN=ops", "extendedKeyUsage=clientAuth\n");
    }

    private static String p(String file) {
        return pki.resolve(file).toString();
    }

    private static Cli.Result run(FakeServer server, Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", server.address()));
        all.addAll(List.of(args));
        return Cli.run("", new HashMap<>(env), false, all.toArray(String[]::new));
    }

    @Test
    void tlsWithTheRightCaWorksAndPlaintextDoesNot() {
        try (FakeServer server = FakeServer.tls(new FakeMaglev(Cli.NOW), pki.resolve("server.crt"), pki.resolve("server.key"), null)) {
            Cli.Result ok = run(server, Map.of(), "--tls-ca", p("ca.crt"), "show", "frontends");
            assertThat(ok.status()).as(ok.err()).isZero();
            assertThat(ok.out()).startsWith("NAME");

            Cli.Result plain = run(server, Map.of(), "show", "frontends");
            assertThat(plain.status()).isEqualTo(ExitStatus.UNREACHABLE);
            assertThat(plain.err()).contains("cannot reach maglevd").doesNotContain("\tat ");

            // The certificate names maglev.example.net and 127.0.0.1; a wrong expected name fails.
            Cli.Result wrongName = run(server, Map.of(), "--tls-ca", p("ca.crt"), "--tls-server-name", "other.example.net",
                    "show", "frontends");
            assertThat(wrongName.status()).isNotZero();
            Cli.Result rightName = run(server, Map.of(), "--tls-ca", p("ca.crt"), "--tls-server-name", "maglev.example.net",
                    "show", "frontends");
            assertThat(rightName.status()).as(rightName.err()).isZero();
        }
    }

    @Test
    void mutualTlsTakesTheClientCertificateFromFlagsOrEnvironment() {
        try (FakeServer server = FakeServer.tls(new FakeMaglev(Cli.NOW), pki.resolve("server.crt"), pki.resolve("server.key"),
                pki.resolve("ca.crt"))) {
            Cli.Result noCert = run(server, Map.of(), "--tls-ca", p("ca.crt"), "show", "frontends");
            assertThat(noCert.status()).isNotZero();

            Cli.Result flags = run(server, Map.of(), "--tls-ca", p("ca.crt"), "--tls-cert", p("client.crt"),
                    "--tls-key", p("client.key"), "show", "frontends");
            assertThat(flags.status()).as(flags.err()).isZero();

            Cli.Result env = run(server, Map.of("MAGLEV_TLS_CA", p("ca.crt"), "MAGLEV_TLS_CERT", p("client.crt"),
                    "MAGLEV_TLS_KEY", p("client.key")), "show", "frontends");
            assertThat(env.status()).as(env.err()).isZero();
        }
    }

    @Test
    void inconsistentTlsSettingsAreUsageErrors() {
        try (FakeServer server = FakeServer.tcp(new FakeMaglev(Cli.NOW))) {
            Cli.Result half = run(server, Map.of(), "--tls-cert", p("client.crt"), "show", "frontends");
            assertThat(half.status()).isEqualTo(ExitStatus.USAGE);
            assertThat(half.err()).contains("--tls-cert and --tls-key go together");

            Cli.Result missing = run(server, Map.of(), "--tls-ca", "/nonexistent/ca.pem", "show", "frontends");
            assertThat(missing.status()).isEqualTo(ExitStatus.USAGE);
            assertThat(missing.err()).contains("--tls-ca: cannot read \"/nonexistent/ca.pem\"");

            // plaintext stays the default
            assertThat(run(server, Map.of(), "show", "frontends").status()).isZero();
        }
    }
}
