package dev.vppmaglev.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What was built: version, git commit and build date (UTC, ISO-8601), from
 * {@code META-INF/vpp-maglev/build.properties} written at build time by
 * {@code bin/lib/build-info.sh}. Fields read "unknown" when the file is missing (e.g. classes run
 * from an IDE).
 */
public record BuildInfo(String version, String commit, String date) {

    /** Reads the build properties of the running program. */
    public static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/META-INF/vpp-maglev/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return new BuildInfo(p.getProperty("version", "unknown"), p.getProperty("commit", "unknown"),
                p.getProperty("date", "unknown"));
    }

    /** {@code maglevd 0.1.0 (commit abc123, built 2026-11-21T08:00:00Z)}. */
    public String describe(String program) {
        return program + " " + version + " (commit " + commit + ", built " + date + ")";
    }
}
