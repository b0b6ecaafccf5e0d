package dev.vppmaglev.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
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
        return new Env(System.in, System.out, System.err, System.getenv(), onTerminal(),
                new LazyZoneClock(), home(System.getenv("HOME")));
    }

    /**
     * The user's home: {@code $HOME} as the shell has it (what {@code sudo -E}, a test or a
     * container sets), else the JVM's {@code user.home} (from the password file).
     */
    static Path home(String homeVariable) {
        return homeVariable == null || homeVariable.isBlank() ? Path.of(System.getProperty("user.home"))
                : Path.of(homeVariable);
    }

    /**
     * Whether stdin and stdout are terminals. On Linux from where {@code /proc/self/fd/0} and
     * {@code 1} point (a tty or pty device): about 1 ms, where {@code System.console()} costs
     * 7-9 ms of one-shot start-up for its service lookup. Elsewhere {@code System.console()}.
     */
    static boolean onTerminal() {
        Path fds = Path.of("/proc/self/fd");
        if (Files.isDirectory(fds)) {
            return isTty(fds.resolve("0")) && isTty(fds.resolve("1"));
        }
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    private static boolean isTty(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The value of an environment variable, or null when unset or empty. */
    String getenv(String name) {
        String v = environment.get(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
