package dev.vppmaglev.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs {@link Main#run} in-process with captured streams, as the process would. */
final class Cli {
    /** The instant the fake's data is relative to; ages are printed against it. */
    static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    record Result(int status, String out, String err) {}

    private Cli() {}

    static Result run(String stdin, Map<String, String> environment, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Env env = new Env(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                environment, terminal, CLOCK, Path.of("/nonexistent"));
        int status = Main.run(args, env);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** One-shot against {@code server}, no terminal, no environment. */
    static Result oneShot(FakeServer server, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", server.address()));
        all.addAll(List.of(args));
        return run("", new HashMap<>(), false, all.toArray(String[]::new));
    }
}
