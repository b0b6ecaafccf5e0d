package dev.vppmaglev.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * maglevc, the operator's CLI for maglevd.
 *
 * <pre>
 * maglevc [--server ADDR] [--color[=BOOL]] [--json] [command...]
 * </pre>
 * With a command: one-shot mode (runs it, exits with an {@link ExitStatus}). Without a command on
 * a terminal: the interactive shell ({@link Shell}, JLine; loaded only then, to keep one-shot
 * start-up small). Without a command and stdin not a terminal: runs one command per line of
 * stdin (blank lines and {@code #} comments skipped) and exits with the status of the last line
 * that failed, or 0.
 */
public final class Main {

    /** Deadline of each unary call, connecting included. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private Main() {}

    public static void main(String[] args) {
        tuneForAShortLivedClient();
        int status;
        try {
            status = run(args, Env.system());
        } catch (RuntimeException | Error e) {
            // A bug, not an operator's mistake; still one line, never a stack trace.
            System.out.flush();
            System.err.println("maglevc: internal error: " + e);
            status = ExitStatus.SERVER_ERROR;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * Netty and gRPC defaults suit long-lived servers; for a process that makes one call they
     * cost start-up time (docs/performance.md "maglevc start-up"): pooled arenas, JFR events,
     * leak detection, and the JDK's JLine console provider. Properties already set win.
     */
    static void tuneForAShortLivedClient() {
        setDefault("io.grpc.netty.useCustomAllocator", "false");
        setDefault("io.netty.allocator.type", "unpooled");
        setDefault("io.netty.jfr.enabled", "false");
        setDefault("io.netty.leakDetection.level", "disabled");
        setDefault("jdk.console", "java.base");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Runs maglevc as a process would, with the given streams and environment.
     *
     * @param args the command line
     * @param env the process's streams, environment and clock
     * @return the exit status
     */
    static int run(String[] args, Env env) {
        // PrintWriter(OutputStream, ...) so checkError() also sees the PrintStream's write errors.
        PrintWriter out = new PrintWriter(env.out(), false, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(env.err(), true, StandardCharsets.UTF_8);
        Options options;
        ServerAddress address;
        TlsSettings tls;
        try {
            options = Options.parse(Arrays.asList(args));
            String server = options.server().orElse(env.getenv("MAGLEV_SERVER"));
            address = ServerAddress.parse(server == null ? ServerAddress.DEFAULT : server);
            tls = TlsSettings.of(options.tls(), env::getenv);
        } catch (CommandLineException e) {
            err.println(e.getMessage());
            err.println("usage: " + USAGE_LINE + " (maglevc --help for more)");
            return ExitStatus.USAGE;
        }
        try {
            if (options.help()) {
                out.print(usage());
                return ExitStatus.OK;
            }
            if (options.version()) {
                out.println("maglevc " + Version.maglevc());
                return ExitStatus.OK;
            }
            if (options.bashCompletion()) {
                out.print(BashCompletion.script());
                return ExitStatus.OK;
            }
            boolean noColor = env.getenv("NO_COLOR") != null;
            try (Connection connection = new Connection(address, tls, DEADLINE)) {
                if (options.complete()) {
                    BashCompletion.complete(options.words(), connection, out);
                    return ExitStatus.OK;
                }
                if (!options.words().isEmpty()) {
                    Style style = new Style(options.color().orElse(false) && env.terminal() && !noColor);
                    return runner(connection, style, options, env, out, err, WatchStopper.SIGINT)
                            .run(options.words());
                }
                if (env.terminal()) {
                    Style style = new Style(options.color().orElse(true) && !noColor);
                    return Shell.runOnSystemTerminal(connection, style, options.json(), env);
                }
                return script(runner(connection, Style.PLAIN, options, env, out, err, WatchStopper.NONE), env);
            }
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static CommandRunner runner(Connection connection, Style style, Options options, Env env,
            PrintWriter out, PrintWriter err, WatchStopper stopper) {
        return new CommandRunner(Commands.tree(), connection, new Render(style, env.clock()), options.json(), false,
                out, err, stopper, DEADLINE);
    }

    /** Commands from stdin, one per line, through the same runner as one-shot mode. */
    private static int script(CommandRunner runner, Env env) {
        int status = ExitStatus.OK;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(env.in(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                List<String> words = Shellwords.split(line);
                if (words.isEmpty() || words.getFirst().startsWith("#")) {
                    continue;
                }
                int s = runner.run(words);
                if (s != ExitStatus.OK) {
                    status = s;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return status;
    }

    static final String USAGE_LINE = "maglevc [--server ADDR] [--tls ...] [--color[=BOOL]] [--json] [command...]";

    /** The text of {@code --help}: usage, flags, environment, exit statuses and the command list. */
    static String usage() {
        return "usage: " + USAGE_LINE + "\n"
                + "\n"
                + "maglevc talks to maglevd over gRPC. With a command it runs it once and exits; without one\n"
                + "it starts an interactive shell (Tab completes, ? lists what may come next, Ctrl-D leaves).\n"
                + "Words may be abbreviated to any unique prefix: 'sh ba nginx0' is 'show backends nginx0'.\n"
                + "\n"
                + "flags:\n"
                + "  --server ADDR    maglevd's address: host:port, [v6]:port or unix:/path\n"
                + "                   (default $MAGLEV_SERVER, else " + ServerAddress.DEFAULT + ")\n"
                + "  --tls[=BOOL]     talk TLS to maglevd (implied by the --tls-* flags; default plaintext)\n"
                + "  --tls-ca FILE    CA certificates (PEM) that signed maglevd's certificate\n"
                + "  --tls-cert FILE, --tls-key FILE\n"
                + "                   client certificate and key (PEM) for mutual TLS\n"
                + "  --tls-server-name NAME\n"
                + "                   name to verify in maglevd's certificate (default: the --server host)\n"
                + "                   (env MAGLEV_TLS, MAGLEV_TLS_CA, MAGLEV_TLS_CERT, MAGLEV_TLS_KEY,\n"
                + "                   MAGLEV_TLS_SERVER_NAME)\n"
                + "  --color[=BOOL]   ANSI colour; default on in the shell, off in one-shot mode; never when\n"
                + "                   stdout is not a terminal or NO_COLOR is set\n"
                + "  --json           print the daemon's answer as protobuf JSON (one document; watch events:\n"
                + "                   one compact JSON object per line)\n"
                + "  -h, --help       this text\n"
                + "  --version        maglevc's version\n"
                + "  --bash-completion  print the bash completion script\n"
                + "\n"
                + "commands:\n"
                + Render.commandList(Commands.tree(), false, "  ")
                + "\n"
                + "exit status: 0 ok, 1 the daemon answered with an error, 2 usage error,\n"
                + "3 maglevd unreachable, 130 watch events stopped by Ctrl-C\n";
    }
}

