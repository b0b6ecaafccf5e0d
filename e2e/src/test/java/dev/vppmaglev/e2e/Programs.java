package dev.vppmaglev.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the launchers in {@code bin/} as processes, as an operator would. */
final class Programs {
    static final Path TOP = Path.of(System.getProperty("maglev.top", "..")).toAbsolutePath().normalize();

    private Programs() {}

    static Path bin(String name) {
        return TOP.resolve("bin").resolve(name);
    }

    /**
     * Result of a finished command.
     *
     * @param exit   exit status
     * @param stdout everything on standard output
     * @param stderr everything on standard error
     */
    record Result(int exit, String stdout, String stderr) {}

    /** Runs {@code bin/maglevc args...} to completion (at most 60 s). */
    static Result maglevc(String server, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin("maglevc").toString());
        cmd.add("--server");
        cmd.add(server);
        cmd.addAll(List.of(args));
        return run(cmd, Map.of());
    }

    static Result run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().remove("MAGLEV_SERVER");
        Process p = pb.start();
        p.getOutputStream().close();
        StreamCollector out = new StreamCollector(p.getInputStream());
        StreamCollector err = new StreamCollector(p.getErrorStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        out.join();
        err.join();
        return new Result(p.exitValue(), out.text(), err.text());
    }

    /** Collects a stream's lines on a thread. */
    static final class StreamCollector {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread thread;

        StreamCollector(InputStream in) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
        }

        List<String> lines() {
            return lines;
        }

        String text() {
            return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        }

        void join() throws InterruptedException {
            thread.join(5000);
        }
    }

    /** A running {@code bin/maglevd}; JSON log lines collected from its stdout. */
    static final class Maglevd implements AutoCloseable {
        private static final Pattern STARTED = Pattern.compile(
                "\"msg\":\"started\".*\"grpc_port\":(-?\\d+).*\"metrics_port\":(-?\\d+)");

        final Process process;
        final StreamCollector out;
        final StreamCollector err;
        int grpcPort;
        int metricsPort;

        Maglevd(List<String> args) throws IOException {
            this(List.of(), args);
        }

        /** Runs {@code wrapper... bin/maglevd args...}, e.g. under {@code nohup}. */
        Maglevd(List<String> wrapper, List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>(wrapper);
            cmd.add(bin("maglevd").toString());
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("MAGLEV_LOG_FORMAT", "json");
            process = pb.start();
            process.getOutputStream().close();
            out = new StreamCollector(process.getInputStream());
            err = new StreamCollector(process.getErrorStream());
        }

        /** Waits for the {@code started} log line and reads the bound ports from it. */
        Maglevd awaitStarted(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                for (String l : out.lines()) {
                    Matcher m = STARTED.matcher(l);
                    if (m.find()) {
                        grpcPort = Integer.parseInt(m.group(1));
                        metricsPort = Integer.parseInt(m.group(2));
                        return this;
                    }
                }
                if (!process.isAlive()) {
                    throw new AssertionError("maglevd exited " + process.exitValue() + "\nstdout:\n" + out.text()
                            + "stderr:\n" + err.text());
                }
                Thread.sleep(50);
            }
            throw new AssertionError("maglevd did not start in " + timeout + "\nstdout:\n" + out.text()
                    + "stderr:\n" + err.text());
        }

        String server() {
            return "127.0.0.1:" + grpcPort;
        }

        /** The text of {@code GET /metrics} on the metrics listener. */
        String metrics() throws IOException, InterruptedException {
            return java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        }

        /** Log lines matching {@code p}. */
        List<String> logLines(Predicate<String> p) {
            return out.lines().stream().filter(p).toList();
        }

        void signal(String sig) throws IOException, InterruptedException {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start();
            if (k.waitFor() != 0) {
                throw new AssertionError("kill -" + sig + " failed");
            }
        }

        /** SIGTERM, then waits; returns the exit status. */
        int stop() throws InterruptedException, IOException {
            // Not Process.destroy(): it also closes our ends of the pipes, losing the last lines.
            signal("TERM");
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("maglevd did not stop on SIGTERM");
            }
            out.join(); // the last lines may still be in the pipe
            err.join();
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException, IOException {
            if (process.isAlive()) {
                stop();
            }
        }
    }
}
