package dev.vppmaglev.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What maglevc takes from its process: streams, environment, whether it runs on a terminal, the
 * clock and the home directory. Tests pass their own.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param environment environment variables ({@code MAGLEV_SERVER}, {@code NO_COLOR})
 * @param terminal whether stdin and stdout are a terminal (then no command means the shell)
 * @param clock for ages and event times
 * @param home the directory of {@code .maglevc_history}
 */
record Env(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment, boolean terminal,
        Clock clock, Path home) {

    /** The real process. */
    static Env system() {
        java.io.Console console = System.console();
        return new Env(System.in, System.out, System.err, System.getenv(), console != null && console.isTerminal(),
                Clock.systemDefaultZone(), Path.of(System.getProperty("user.home")));
    }

    /** The value of an environment variable, or null when unset or empty. */
    String getenv(String name) {
        String v = environment.get(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
