package dev.vppmaglev.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate made at test time with the running JDK's keytool: CN and DNS SAN
 * {@code maglev.test}, IP SAN 127.0.0.1.
 */
final class TestTls {
    static final String NAME = "maglev.test";
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static KeyStore keyStore;

    private TestTls() {}

    static synchronized KeyStore keyStore() {
        if (keyStore == null) {
            try {
                Path dir = Files.createTempDirectory("maglev-tls");
                Path file = dir.resolve("server.p12");
                Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
                Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
                        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + NAME,
                        "-ext", "SAN=dns:" + NAME + ",ip:127.0.0.1", "-validity", "2",
                        "-keystore", file.toString(), "-storetype", "PKCS12",
                        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed: " + out);
                }
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, PASSWORD);
                }
                Files.delete(file);
                Files.delete(dir);
                keyStore = ks;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return keyStore;
    }

    static KeyManagerFactory keyManagers() throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(), PASSWORD);
        return kmf;
    }

    /** Trusts exactly the self-signed certificate. */
    static TrustManagerFactory trustingSelfSigned() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", keyStore().getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }
}
