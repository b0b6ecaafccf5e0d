package dev.vppmaglev.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * maglevc's own version, from the Maven build: the version from resource
 * {@code version.properties}; git commit and build date (UTC, ISO-8601) from
 * {@code META-INF/vpp-maglev/build.properties}, written by {@code bin/lib/build-info.sh} for
 * every program (maglevd reads the same file).
 */
final class Version {
    private Version() {}

    /** e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from unfiltered sources. */
    static String maglevc() {
        String v = load("version.properties").getProperty("version", "unknown");
        return v.startsWith("${") ? "unknown" : v;
    }

    /** e.g. {@code 4aa5ae2c1d3e} (with {@code -dirty} for uncommitted changes); {@code unknown} without build info. */
    static String commit() {
        return Build.PROPERTIES.getProperty("commit", "unknown");
    }

    /** e.g. {@code 2026-11-21T08:00:00Z}; {@code unknown} without build info. */
    static String date() {
        return Build.PROPERTIES.getProperty("date", "unknown");
    }

    /** Read on first use: one-shot commands that never ask pay nothing. */
    private static final class Build {
        static final Properties PROPERTIES = load("/META-INF/vpp-maglev/build.properties");
    }

    private static Properties load(String resource) {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
