package dev.vppmaglev.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts maglevc (and helpers) as real processes for the process, tmux and bin/maglevc tests. */
final class Processes {
    private Processes() {}

    /** What a finished process left. */
    record Result(int status, String out, String err) {}

    /** The java of the running JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * {@code java ... dev.vppmaglev.cli.Main} on the test class path (target/classes and the
     * dependencies; the jar does not exist yet in the test phase), with bin/maglevc's JVM options.
     */
    static List<String> maglevc(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "@" + top().resolve("maglevc/src/main/dist/maglevc.jvm-options"),
                "-cp", System.getProperty("java.class.path"), "dev.vppmaglev.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The repository's top directory (system property maglev.top, set by the root pom). */
    static Path top() {
        return Path.of(System.getProperty("maglev.top", "..")).toAbsolutePath().normalize();
    }

    /** Runs to completion (at most {@code timeout}) with {@code stdin} as input. */
    static Result run(List<String> command, String stdin, Duration timeout) {
        try {
            Process p = start(command);
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            Drain out = new Drain(p.getInputStream());
            Drain err = new Drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command + "\nstdout: " + out.text() + "\nstderr: " + err.text());
            }
            out.thread.join();
            err.thread.join();
            return new Result(p.exitValue(), out.text(), err.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Starts a process. When this JVM was started with SIGINT ignored (a background job of a
     * non-interactive shell), the child would inherit that and the JVM would never see Ctrl-C;
     * then perl (essential on Debian) resets SIGINT to its default before exec.
     */
    static Process start(List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (sigintIgnored()) {
            cmd.addAll(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\""));
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("MAGLEV_SERVER");
        pb.environment().remove("NO_COLOR");
        return pb.start();
    }

    private static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
                }
            }
        } catch (IOException e) {
            // not Linux: assume not ignored
        }
        return false;
    }

    /** Sends SIGINT, as Ctrl-C on a terminal would. */
    static void interrupt(Process p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -INT " + p.pid() + " failed");
        }
    }

    /** Collects a stream on its own thread. */
    static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Thread thread;

        Drain(InputStream in) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[8192];
                try {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        synchronized (bytes) {
                            bytes.write(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // process gone
                }
            });
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
