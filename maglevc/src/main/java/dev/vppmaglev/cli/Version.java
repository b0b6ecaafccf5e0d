package dev.vppmaglev.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** maglevc's own version, from the Maven build (resource {@code version.properties}). */
final class Version {
    private Version() {}

    /** e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from unfiltered sources. */
    static String maglevc() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
