package dev.vppmaglev.daemon;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.ConfigError;
import dev.vppmaglev.config.ConfigException;
import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.daemon.logging.LogLevel;
import dev.vppmaglev.daemon.logging.Logging;
import dev.vppmaglev.daemon.logging.SlogEncoder;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code maglevd}: parses flags, then either prints the version, checks the config
 * ({@code --check}: exit 0 valid, 1 parse error, 2 semantic error) or runs the daemon until
 * SIGTERM/SIGINT, reloading on SIGHUP.
 */
public final class Main {
    /** Exit status for bad flags. */
    static final int EXIT_USAGE = 64;
    /** Exit status when the daemon cannot start (bad config, port in use). */
    static final int EXIT_START = 1;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs maglevd with {@code args}, printing to {@code out} and {@code err}; returns the exit
     * status ({@code --check}: 0 valid, 1 parse error, 2 semantic error; 64 bad flags; 1 cannot
     * start). Without {@code --check}, {@code --help} or {@code --version} it runs the daemon until
     * SIGTERM/SIGINT. Public for tests that run many checks in one JVM.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Flags flags = new Flags();
        CommandLine cl = new CommandLine(flags);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("maglevd: " + e.getMessage());
            err.println("run 'maglevd --help' for the flags");
            return EXIT_USAGE;
        }
        if (flags.help) {
            cl.usage(out);
            return 0;
        }
        BuildInfo build = BuildInfo.load();
        if (flags.version) {
            out.println(build.describe("maglevd"));
            return 0;
        }
        if (flags.check) {
            return check(flags, out, err);
        }

        LogLevel level;
        SlogEncoder.Format format;
        try {
            level = LogLevel.parse(flags.logLevel);
            format = logFormat(flags.logFormat);
        } catch (IllegalArgumentException e) {
            err.println("maglevd: " + e.getMessage());
            return EXIT_USAGE;
        }
        Logging logging = Logging.configure(level, format, new FileOutputStream(FileDescriptor.out), true);
        try {
            return runDaemon(flags, build, logging, err);
        } finally {
            logging.close();
        }
    }

    /** The daemon's life, from the {@code starting} log line to {@code stopped}; the exit status. */
    private static int runDaemon(Flags flags, BuildInfo build, Logging logging, PrintStream err) {
        Logger log = LoggerFactory.getLogger(Main.class);
        Instant startedAt = Instant.now();
        log.atInfo().setMessage("starting").addKeyValue("version", build.version())
                .addKeyValue("commit", build.commit()).addKeyValue("date", build.date())
                .addKeyValue("config", flags.config.toString()).log();

        // Signals first: a SIGHUP during start-up (entering a netns can take seconds) must not
        // kill the JVM; it is remembered and runs once the daemon is up. After SIGTERM/SIGINT,
        // SIGHUP is ignored.
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Daemon> running = new AtomicReference<>();
        AtomicBoolean reloadPending = new AtomicBoolean();
        SignalHandler hupBefore = Signal.handle(new Signal("HUP"), s -> {
            Daemon d = running.get();
            if (stop.getCount() == 0) {
                log.atInfo().setMessage("sighup-ignored").addKeyValue("reason", "shutting down").log();
            } else if (d == null) {
                reloadPending.set(true);
                log.atInfo().setMessage("sighup-deferred").addKeyValue("reason", "still starting").log();
            } else {
                reloadAsync(d, log);
            }
        });
        if (hupBefore == SignalHandler.SIG_IGN) {
            // Started with SIGHUP ignored (nohup, some supervisors): the JVM keeps it ignored and
            // installs no handler (HotSpot JVM_RegisterSignal), so a SIGHUP would reload nothing.
            log.atWarn().setMessage("sighup-unavailable")
                    .addKeyValue("reason", "SIGHUP was ignored when maglevd started (nohup?); the JVM keeps it"
                            + " ignored, so SIGHUP will not reload the config")
                    .addKeyValue("instead", "maglevc config reload (the ReloadConfig RPC)").log();
        }
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());

        Daemon daemon;
        try {
            daemon = Daemon.start(flags, build, logging, startedAt);
        } catch (ConfigException e) {
            log.atError().setMessage("config-load-failed").addKeyValue("file", flags.config.toString())
                    .addKeyValue("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .addKeyValue("errors", e.getMessage()).log();
            for (ConfigError ce : e.errors()) {
                err.println(ce);
            }
            return EXIT_START;
        } catch (IOException | IllegalArgumentException e) {
            log.atError().setMessage("start-failed").addKeyValue("error", e.getMessage()).log();
            err.println("maglevd: " + e.getMessage());
            return EXIT_START;
        }
        running.set(daemon);
        if (reloadPending.getAndSet(false)) {
            reloadAsync(daemon, log);
        }

        log.atInfo().setMessage("started").addKeyValue("grpc_port", daemon.grpcPort())
                .addKeyValue("metrics_port", daemon.metricsPort()).log();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.atInfo().setMessage("stopping").log();
        running.set(null);
        daemon.close();
        log.atInfo().setMessage("stopped").log();
        return 0;
    }

    /** Runs the SIGHUP reload on its own thread; a failure is logged, never thrown at the JVM. */
    private static void reloadAsync(Daemon d, Logger log) {
        Thread.ofPlatform().name("reload").start(() -> {
            try {
                d.configs().reload("sighup");
            } catch (RuntimeException e) {
                log.atError().setMessage("config-reload-failed").setCause(e).addKeyValue("trigger", "sighup")
                        .addKeyValue("error", String.valueOf(e)).log();
            }
        });
    }

    /** {@code --check}: prints the verdict; exit 0 / 1 (parse) / 2 (semantic). */
    private static int check(Flags flags, PrintStream out, PrintStream err) {
        try {
            Config c = ConfigLoader.load(flags.config, new ConfigLoader.Options(flags.vppEnabled()));
            out.printf("%s: ok (%d healthchecks, %d backends, %d frontends)%n", flags.config,
                    c.healthchecks().size(), c.backends().size(), c.frontends().size());
            return 0;
        } catch (ConfigException e) {
            for (ConfigError ce : e.errors()) {
                err.println(ce);
            }
            if (e.errors().stream().allMatch(ConfigError::unreadable)) {
                return e.kind().exitCode(); // "x: cannot read: no such file" says it all; not a parse error
            }
            err.printf("%s: %d %s error%s%n", flags.config, e.errors().size(),
                    e.kind() == ConfigException.Kind.PARSE ? "parse" : "semantic",
                    e.errors().size() == 1 ? "" : "s");
            return e.kind().exitCode();
        }
    }

    private static SlogEncoder.Format logFormat(String f) {
        if (f == null || f.isBlank()) {
            return System.console() != null && System.console().isTerminal()
                    ? SlogEncoder.Format.TEXT : SlogEncoder.Format.JSON;
        }
        return switch (f.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> SlogEncoder.Format.JSON;
            case "text" -> SlogEncoder.Format.TEXT;
            default -> throw new IllegalArgumentException("unknown log format \"" + f + "\": use json or text");
        };
    }
}
