package dev.vppmaglev.cli;

import dev.vppmaglev.proto.GetVersionRequest;
import dev.vppmaglev.proto.VersionInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;

/**
 * The interactive shell (JLine 3): Emacs keys, history in {@code ~/.maglevc_history}, Tab
 * completion with descriptions and {@code ?} help from {@link Commands#tree()} and the daemon's
 * live names, commands run by the same {@link CommandRunner} as one-shot mode.
 *
 * <p>Keys: Ctrl-C clears the line; Ctrl-D on an empty line, {@code quit} or {@code exit} leave.
 * {@code watch events} puts the terminal in cbreak mode (no echo, no line buffering, signals on)
 * and streams until any key or Ctrl-C, then restores the terminal and returns to the prompt.
 * The terminal is restored on every exit path (the caller closes it; a shutdown hook covers
 * SIGTERM).
 */
final class Shell {
    /**
     * JLine reports problems (e.g. a history file it cannot append to) through
     * java.util.logging with stack traces; the shell reports what matters itself, as one line.
     * A strong reference: java.util.logging keeps loggers weakly.
     */
    private static final java.util.logging.Logger JLINE_LOG = java.util.logging.Logger.getLogger("org.jline");

    /** How long completion names are reused within one line. */
    static final Duration NAMES_TTL = Duration.ofSeconds(10);
    static final String HELP_WIDGET = "maglev-help";

    private final Terminal terminal;
    private final Connection connection;
    private final Style style;
    private final Clock clock;
    private final Path history;
    private final String prompt;
    private final LiveNames names;
    private final CommandRunner runner;

    /**
     * @param terminal the terminal (the system's, or a stream terminal in tests)
     * @param connection the lazy channel to maglevd
     * @param style colour or plain
     * @param json print JSON instead of text
     * @param clock for ages and the completion cache
     * @param history the history file
     */
    Shell(Terminal terminal, Connection connection, Style style, boolean json, Clock clock, Path history) {
        this.terminal = terminal;
        this.connection = connection;
        this.style = style;
        this.clock = clock;
        this.history = history;
        this.prompt = connection.address().display().equals(ServerAddress.DEFAULT) ? "maglev> "
                : "maglev@" + connection.address().display() + "> ";
        this.names = new LiveNames(() -> connection.blocking(BashCompletion.NAMES_DEADLINE), clock, NAMES_TTL);
        PrintWriter writer = terminal.writer();
        this.runner = new CommandRunner(Commands.tree(), connection, new Render(style, clock), json, true, writer,
                writer, new KeyStopper(terminal), Main.DEADLINE);
    }

    /** Runs the shell on the process's terminal and restores it however the shell ends. */
    static int runOnSystemTerminal(Connection connection, Style style, boolean json, Env env) {
        JLINE_LOG.setLevel(java.util.logging.Level.OFF);
        // The exec provider (stty): the ffm one needs native access, which maglevc does not
        // enable because Netty then costs one-shot start-up time (docs/performance.md).
        try (Terminal terminal = TerminalBuilder.builder()
                .system(true)
                .provider("exec")
                .name("maglevc")
                .signalHandler(Terminal.SignalHandler.SIG_IGN)
                .build()) {
            Attributes original = terminal.getAttributes();
            Thread restore = new Thread(() -> {
                try {
                    terminal.setAttributes(original);
                } catch (RuntimeException closed) {
                    // JLine's own shutdown hook got there first: it closed (and restored) the terminal
                }
            }, "maglevc-restore-terminal");
            Runtime.getRuntime().addShutdownHook(restore);
            try {
                return new Shell(terminal, connection, style, json, env.clock(), env.home().resolve(".maglevc_history"))
                        .run();
            } finally {
                terminal.setAttributes(original);
                try {
                    Runtime.getRuntime().removeShutdownHook(restore);
                } catch (IllegalStateException shuttingDown) {
                    // the hook restores the terminal
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The prompt: {@code maglev> }, or {@code maglev@<server>> } for a non-default server. */
    String prompt() {
        return prompt;
    }

    /**
     * Prints the banner, then reads and runs lines until Ctrl-D, {@code quit} or {@code exit}.
     *
     * @return 0
     */
    int run() {
        LineReader reader = reader();
        banner();
        try {
            while (true) {
                names.invalidate();
                String line;
                try {
                    line = reader.readLine(prompt);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                List<String> words = Shellwords.split(line);
                if (words.isEmpty()) {
                    continue;
                }
                CommandTree.Parsed parsed;
                try {
                    parsed = Commands.tree().parse(words);
                } catch (CommandLineException e) {
                    runner.fail(e);
                    continue;
                }
                if (parsed.action() == Action.QUIT) {
                    break;
                }
                runner.run(parsed);
            }
        } finally {
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                terminal.writer().println(style.error("cannot save history to " + history + ": " + e.getMessage()));
            }
            terminal.writer().flush();
        }
        return ExitStatus.OK;
    }

    /** The line reader: history, completer, {@code ?} widget, birdc-like Tab lists. */
    LineReader reader() {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("maglevc")
                .completer(new TreeCompleter(new Completions(Commands.tree(), names, true)))
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.HISTORY_SIZE, 1000)
                .option(LineReader.Option.AUTO_LIST, true)
                .option(LineReader.Option.AUTO_MENU, false)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .build();
        Completions help = new Completions(Commands.tree(), names, true);
        reader.getWidgets().put(HELP_WIDGET, () -> {
            String upToCursor = reader.getBuffer().upToCursor();
            reader.printAbove(prompt + upToCursor + "?\n" + String.join("\n", help.help(upToCursor)));
            return true;
        });
        reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference(HELP_WIDGET), "?");
        return reader;
    }

    private void banner() {
        PrintWriter w = terminal.writer();
        String daemon;
        try {
            VersionInfo v = connection.blocking().getVersion(GetVersionRequest.getDefaultInstance());
            daemon = "maglevd " + v.getVersion() + " at " + connection.address().display();
        } catch (RuntimeException e) {
            daemon = null;
            w.println("maglevc " + Version.maglevc());
            runner.fail(e);
        }
        if (daemon != null) {
            w.println("maglevc " + Version.maglevc() + ", " + daemon);
        }
        w.println("Tab completes, ? lists what may come next, 'help' lists commands, Ctrl-D or quit leaves.");
        w.flush();
    }

    /** Tab candidates from the tree: keywords with their help, live names with a description. */
    private static final class TreeCompleter implements Completer {
        private final Completions completions;

        TreeCompleter(Completions completions) {
            this.completions = completions;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            List<String> before = line.words().subList(0, line.wordIndex());
            String partial = line.word().substring(0, line.wordCursor());
            for (Completions.Candidate c : completions.candidates(before, partial)) {
                candidates.add(new Candidate(c.value(), c.value(), null, c.help(), null, null, true));
            }
        }
    }

    /**
     * Stops {@code watch events} on any key or Ctrl-C: the terminal goes to cbreak mode (no
     * canonical input, no echo; signals stay on so Ctrl-C raises INT) and a thread waits for a
     * key in 100 ms slices (no busy loop); both paths cancel the stream. Closing restores the
     * attributes and the INT handler.
     */
    static final class KeyStopper implements WatchStopper {
        private final Terminal terminal;

        KeyStopper(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Armed arm(Runnable stop) {
            Attributes previous = terminal.getAttributes();
            Attributes cbreak = new Attributes(previous);
            cbreak.setLocalFlags(EnumSet.of(Attributes.LocalFlag.ICANON, Attributes.LocalFlag.ECHO,
                    Attributes.LocalFlag.IEXTEN), false);
            cbreak.setLocalFlag(Attributes.LocalFlag.ISIG, true);
            cbreak.setControlChar(Attributes.ControlChar.VMIN, 0);
            cbreak.setControlChar(Attributes.ControlChar.VTIME, 1);
            terminal.setAttributes(cbreak);
            Object lock = new Object();
            boolean[] done = {false};
            AtomicBoolean stopped = new AtomicBoolean();
            Runnable once = () -> {
                if (stopped.compareAndSet(false, true)) {
                    stop.run();
                }
            };
            Terminal.SignalHandler previousInt = terminal.handle(Terminal.Signal.INT, signal -> once.run());
            NonBlockingReader keys = terminal.reader();
            // peek, then consume under the lock: a key typed after the stream ended by itself
            // (num <n>) stays in the input for the next prompt.
            Thread watcher = Thread.ofPlatform().daemon().name("maglevc-watch-keys").start(() -> {
                try {
                    while (true) {
                        int c = keys.peek(100);
                        synchronized (lock) {
                            if (done[0]) {
                                return;
                            }
                            if (c != NonBlockingReader.READ_EXPIRED) {
                                keys.read(1);
                                once.run();
                                return;
                            }
                        }
                    }
                } catch (IOException e) {
                    once.run();
                }
            });
            return () -> {
                synchronized (lock) {
                    done[0] = true;
                }
                try {
                    watcher.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                terminal.handle(Terminal.Signal.INT, previousInt);
                terminal.setAttributes(previous);
            };
        }

        @Override
        public int stoppedStatus() {
            return ExitStatus.OK;
        }
    }
}
