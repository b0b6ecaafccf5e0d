package dev.vppmaglev.vpp.fake;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/vpp-fake --api PATH [--stats PATH] [--no-lb-v2] [--pid N] [--seed N] [--debug]}:
 * runs a {@link FakeVpp} until SIGINT/SIGTERM, logging what it does at INFO.
 *
 * <p>Exit codes: 0 after a signal, 2 for bad arguments, 1 when the socket cannot be bound.
 */
public final class VppFakeMain {
    private static final String USAGE = """
            usage: vpp-fake --api PATH [--stats PATH] [--no-lb-v2] [--pid N] [--seed N] [--debug]
              --api PATH     binary-API socket to listen on (VPP's api.sock)
              --stats PATH   stats segment socket (VPP's stats.sock)
              --no-lb-v2     behave like a VPP older than 26.10: no lb_conf_get, lb_add_del_as_v2,
                             lb_as_set_weight, lb_as_v2_dump
              --pid N        process id to report (control_ping_reply.vpe_pid)
              --seed N       seed of the message-id layout
              --debug        log every handled message
            """;

    private VppFakeMain() {}

    public static void main(String[] args) {
        int rc = run(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    static int run(String[] args) {
        Path api = null;
        Path stats = null;
        FakeVpp.Builder b = FakeVpp.builder();
        boolean debug = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--api" -> api = Path.of(value(args, ++i, "--api"));
                    case "--stats" -> stats = Path.of(value(args, ++i, "--stats"));
                    case "--no-lb-v2" -> b.lbV2(false);
                    case "--pid" -> b.pid((int) number(value(args, ++i, "--pid"), "--pid"));
                    case "--seed" -> b.seed(number(value(args, ++i, "--seed"), "--seed"));
                    case "--debug" -> debug = true;
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (api == null) {
                throw new IllegalArgumentException("--api PATH is required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("vpp-fake: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        if (stats != null) {
            // TODO(merge): start the fake stats segment from dev.vppmaglev.vpp.fake.stats here, fed by
            // fake.vipCounters(...); that package is written in parallel and not on this branch yet.
            System.err.println("vpp-fake: --stats is not available in this build yet (the fake stats segment"
                    + " lands with dev.vppmaglev.vpp.fake.stats)");
            return 2;
        }
        configureLogging(debug);
        FakeVpp fake = b.apiSocket(api).build();
        try {
            fake.start();
        } catch (IOException e) {
            System.err.println("vpp-fake: cannot listen on " + api + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fake.close();
            stop.countDown();
        }, "vpp-fake-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
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
