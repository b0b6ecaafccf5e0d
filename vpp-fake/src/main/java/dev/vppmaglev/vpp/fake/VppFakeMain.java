package dev.vppmaglev.vpp.fake;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/vpp-fake --api PATH [--stats PATH] [--threads N] [--traffic] [--no-lb-v2] [--pid N]
 * [--seed N] [--debug]}: runs a {@link FakeVpp} (binary API, lb plugin and, with {@code --stats},
 * the stats segment) until SIGINT/SIGTERM, logging what it does at INFO.
 *
 * <p>Exit codes: 0 after a signal, 2 for bad arguments, 1 when a socket cannot be bound.
 */
public final class VppFakeMain {
    private static final Logger log = LoggerFactory.getLogger(VppFakeMain.class);
    private static final String USAGE = """
            usage: vpp-fake --api PATH [--stats PATH] [--threads N] [--traffic] [--no-lb-v2] [--pid N]
                            [--seed N] [--debug]
            A fake FD.io VPP for tests and demos: VPP's binary API on a Unix socket with the lb plugin's
            behaviour, and optionally VPP's stats segment (shared memory handed out on a stats socket).
            No packets are forwarded; counters move only with --traffic.
              --api PATH     binary-API socket to listen on (VPP's api.sock)
              --stats PATH   stats-segment socket to serve (VPP's stats.sock): /sys/boottime, the lb
                             counters and /net/route/to
              --threads N    VPP threads (main + workers) in the stats counters, 1..256 (default 1)
              --traffic      count made-up traffic on every VIP once a second (10 packets each)
              --no-lb-v2     behave like a VPP older than 26.10: no lb_conf_get, lb_add_del_as_v2,
                             lb_as_set_weight, lb_as_v2_dump, and the old lb handlers (raw VIP
                             prefix lengths and encap, protocol 0 in the details)
              --pid N        process id to report (control_ping_reply.vpe_pid)
              --seed N       seed of the message-id layout
              --debug        log every handled message
              -h, --help     this text
            """;

    private VppFakeMain() {}

    /** Parsed command line. */
    record Options(Path api, Path stats, boolean traffic, boolean debug, FakeVpp.Builder builder) {}

    public static void main(String[] args) {
        int rc = run(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    static int run(String[] args) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("vpp-fake: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        if (o == null) {
            System.out.print(USAGE);
            return 0;
        }
        configureLogging(o.debug());
        Running running;
        try {
            running = start(o);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("vpp-fake: cannot listen: " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stop.countDown();
        }, "vpp-fake-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Parses the command line.
     *
     * @return the options, or {@code null} for {@code --help}
     * @throws IllegalArgumentException with an operator-readable message
     */
    static Options parse(String[] args) {
        Path api = null;
        Path stats = null;
        boolean traffic = false;
        boolean debug = false;
        FakeVpp.Builder b = FakeVpp.builder();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--api" -> api = Path.of(value(args, ++i, "--api"));
                case "--stats" -> stats = Path.of(value(args, ++i, "--stats"));
                case "--threads" -> {
                    long n = number(value(args, ++i, "--threads"), "--threads");
                    if (n < 1 || n > 256) {
                        throw new IllegalArgumentException("--threads must be 1..256, got " + n);
                    }
                    b.statsThreads((int) n);
                }
                case "--traffic" -> traffic = true;
                case "--no-lb-v2" -> b.lbV2(false);
                case "--pid" -> b.pid((int) number(value(args, ++i, "--pid"), "--pid"));
                case "--seed" -> b.seed(number(value(args, ++i, "--seed"), "--seed"));
                case "--debug" -> debug = true;
                case "-h", "--help" -> {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (api == null) {
            throw new IllegalArgumentException("--api PATH is required");
        }
        if (api.equals(stats)) {
            throw new IllegalArgumentException("--api and --stats must be different paths");
        }
        b.apiSocket(api);
        if (stats != null) {
            b.statsSocket(stats);
        }
        return new Options(api, stats, traffic, debug, b);
    }

    /** A started fake and its traffic ticker; {@link #close()} stops both. */
    record Running(FakeVpp fake, ScheduledExecutorService ticker) implements AutoCloseable {
        @Override
        public void close() {
            if (ticker != null) {
                ticker.shutdownNow();
            }
            fake.close();
        }
    }

    /**
     * Builds and starts the fake (and the {@code --traffic} ticker, one tick per second).
     *
     * @throws IOException when the API socket cannot be bound
     * @throws UncheckedIOException when the stats segment cannot be created or served
     */
    static Running start(Options o) throws IOException {
        FakeVpp fake = o.builder().build();
        try {
            fake.start();
        } catch (IOException | RuntimeException e) {
            fake.close();
            throw e;
        }
        ScheduledExecutorService ticker = null;
        if (o.traffic()) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vpp-fake-traffic");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(() -> {
                try {
                    fake.simulateTraffic();
                } catch (RuntimeException e) { // keep ticking
                    log.atWarn().setMessage("fake-vpp-traffic-failed").addKeyValue("error", e.toString()).log();
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
        return new Running(fake, ticker);
    }

    /** One line per event: time, level, event name, key=value details. */
    private static void configureLogging(boolean debug) {
        ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        ch.qos.logback.classic.encoder.PatternLayoutEncoder enc = new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{HH:mm:ss.SSS} %-5level %msg %kvp%n");
        enc.start();
        ch.qos.logback.core.ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> out =
                new ch.qos.logback.core.ConsoleAppender<>();
        out.setContext(ctx);
        out.setEncoder(enc);
        out.start();
        root.addAppender(out);
        root.setLevel(debug ? Level.DEBUG : Level.INFO);
    }

    private static long number(String v, String flag) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + v + "'");
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
