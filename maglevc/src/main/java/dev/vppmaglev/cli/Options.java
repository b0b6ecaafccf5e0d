package dev.vppmaglev.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * maglevc's command line, hand-parsed (no library: start-up time counts).
 *
 * <pre>
 * maglevc [--server ADDR] [--color[=BOOL]] [--json] [command...]
 * maglevc -h|--help | --version | --bash-completion | --complete WORDS...
 * </pre>
 * Flags take one or two dashes ({@code -color=false} as in the Go original) and may also follow
 * the command ({@code maglevc show frontends --json}); {@code --} ends the flags. BOOL is
 * {@code true}/{@code false} (also {@code 1}/{@code 0}, {@code yes}/{@code no}, {@code on}/{@code off}).
 *
 * @param server {@code --server}, if given
 * @param color {@code --color}, if given
 * @param json {@code --json}: print protobuf JSON instead of text
 * @param help {@code -h} / {@code --help}
 * @param version {@code --version}
 * @param bashCompletion {@code --bash-completion}: print the bash completion script
 * @param complete {@code --complete}: the rest are the words of a line to complete, the last
 *     one partial (the bash completion calls this)
 * @param words the command words (for {@code --complete}, the words to complete)
 * @param tls {@code --tls}, {@code --tls-ca}, {@code --tls-cert}, {@code --tls-key},
 *     {@code --tls-server-name}, as given
 */
record Options(Optional<String> server, Optional<Boolean> color, boolean json, boolean help, boolean version,
        boolean bashCompletion, boolean complete, List<String> words, TlsFlags tls) {

    /**
     * The TLS flags as given on the command line (the environment fills the gaps later,
     * {@link TlsSettings}).
     *
     * @param enabled {@code --tls[=BOOL]}
     * @param ca {@code --tls-ca FILE}: CA certificates (PEM) that sign maglevd's certificate
     * @param cert {@code --tls-cert FILE}: client certificate (PEM), for mutual TLS
     * @param key {@code --tls-key FILE}: its private key (PKCS#8 PEM)
     * @param serverName {@code --tls-server-name NAME}: the name to verify in maglevd's certificate
     */
    record TlsFlags(Optional<Boolean> enabled, Optional<String> ca, Optional<String> cert, Optional<String> key,
            Optional<String> serverName) {
        static final TlsFlags NONE = new TlsFlags(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    Options {
        words = List.copyOf(words);
    }

    /** The flags as --help and the bash completion offer them. */
    static final List<String> FLAGS = List.of("--server", "--color", "--json", "--tls", "--tls-ca", "--tls-cert",
            "--tls-key", "--tls-server-name", "--help", "--version");

    /** Flags that take a value as the next word. */
    private static final List<String> VALUED = List.of("server", "tls-ca", "tls-cert", "tls-key", "tls-server-name");

    /**
     * @throws CommandLineException for an unknown flag, a missing value or a bad BOOL
     */
    static Options parse(List<String> args) {
        Optional<String> server = Optional.empty();
        Optional<Boolean> color = Optional.empty();
        boolean json = false;
        boolean help = false;
        boolean version = false;
        boolean bash = false;
        Optional<Boolean> tls = Optional.empty();
        Optional<String> tlsCa = Optional.empty();
        Optional<String> tlsCert = Optional.empty();
        Optional<String> tlsKey = Optional.empty();
        Optional<String> tlsServerName = Optional.empty();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                words.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                words.add(arg);
                continue;
            }
            String flag = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String value = null;
            int eq = flag.indexOf('=');
            if (eq >= 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            switch (flag) {
                case "server" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new CommandLineException("flag --server needs an address, e.g. --server localhost:9090");
                        }
                        value = args.get(++i);
                    }
                    server = Optional.of(value);
                }
                case "tls-ca", "tls-cert", "tls-key", "tls-server-name" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new CommandLineException("flag --" + flag + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    switch (flag) {
                        case "tls-ca" -> tlsCa = Optional.of(value);
                        case "tls-cert" -> tlsCert = Optional.of(value);
                        case "tls-key" -> tlsKey = Optional.of(value);
                        default -> tlsServerName = Optional.of(value);
                    }
                }
                case "tls" -> tls = Optional.of(value == null || bool(value, "--tls"));
                case "color" -> color = Optional.of(value == null || bool(value, "--color"));
                case "json" -> json = value == null || bool(value, "--json");
                case "h", "help" -> help = true;
                case "version" -> version = true;
                case "bash-completion" -> bash = true;
                case "complete" -> {
                    List<String> rest = args.subList(i + 1, args.size());
                    Options inner;
                    try {
                        inner = parse(rest.isEmpty() ? rest : rest.subList(0, rest.size() - 1));
                    } catch (CommandLineException e) {
                        inner = parse(List.of());
                    }
                    return new Options(inner.server(), inner.color(), inner.json(), false, false, false, true,
                            completionWords(args.subList(i + 1, args.size())), inner.tls());
                }
                default -> throw new CommandLineException("unknown flag \"" + arg + "\"; expected one of: "
                        + String.join(", ", FLAGS));
            }
        }
        return new Options(server, color, json, help, version, bash, false, words,
                new TlsFlags(tls, tlsCa, tlsCert, tlsKey, tlsServerName));
    }

    /**
     * The command words of a line being completed: flags and their values removed, the last
     * (partial, possibly empty) word kept even if it is empty.
     */
    private static List<String> completionWords(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean last = i == args.size() - 1;
            if (a.equals("--") && !last) {
                continue;
            }
            if (a.startsWith("-") && !last) {
                String name = a.startsWith("--") ? a.substring(2) : a.substring(1);
                if (VALUED.contains(name) && i + 1 < args.size() - 1) {
                    i++;
                }
                continue;
            }
            out.add(a);
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    private static boolean bool(String value, String flag) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on", "t" -> true;
            case "false", "0", "no", "off", "f" -> false;
            default -> throw new CommandLineException("bad value \"" + value + "\" for " + flag + "; expected true or false");
        };
    }
}
