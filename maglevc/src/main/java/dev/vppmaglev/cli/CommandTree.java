package dev.vppmaglev.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * maglevc's grammar: a tree of fixed keywords and slots, compiled from the synopses of the
 * commands (e.g. {@code "watch events [num <n>] [log [level <level>]] [backend] [frontend]"}).
 * The same tree parses one-shot and shell lines, lists Tab candidates and {@code ?} help, feeds
 * the bash completion and is the command list of {@code --help} and man/maglevc.1.
 *
 * <h2>Synopsis syntax</h2>
 * A word is a keyword; {@code <label>} is a slot declared with {@link Builder#slot}; {@code [...]}
 * is an option group. Option groups come after the required words; they may be given in any
 * order, each at most once, and may nest ({@code [log [level <level>]]}).
 *
 * <h2>Matching rule (one word against the candidates at its position)</h2>
 * <ol>
 *   <li>A keyword equal to the word wins (exact-match priority): {@code show backend x}.</li>
 *   <li>Otherwise the keywords the word is a prefix of. One: it wins. Several that form one chain
 *       under "is a prefix of" (singular and plural, {@code backend}/{@code backends}): the
 *       longest wins, so {@code sh ba nginx0} is {@code show backends nginx0}. The plural (list)
 *       form always takes an optional name, so it is never the wrong command. Several that do
 *       not form a chain: an "ambiguous word" error listing them.</li>
 *   <li>No keyword matches: the slot at this position takes the word, if there is one.</li>
 *   <li>Otherwise an "unknown word" error naming the word, the words before it and the
 *       candidates.</li>
 * </ol>
 * Keywords are matched case-insensitively; slot values keep their case.
 */
final class CommandTree {

    /**
     * One command: its synopsis (as man/maglevc.1 and {@code help} print it), one line of help
     * and what it does.
     *
     * @param synopsis e.g. {@code "show backends [<backend>]"}
     * @param help one line, lower-case start, no final period
     * @param action what {@link CommandRunner} does for it
     * @param shellOnly true for {@code quit} / {@code exit}: refused in one-shot mode and not
     *     offered by the bash completion
     */
    record Command(String synopsis, String help, Action action, boolean shellOnly) {}

    /**
     * A declared slot.
     *
     * @param label the name between angle brackets in synopses, e.g. {@code 0-100}
     * @param bind the argument name the value is bound to, e.g. {@code weight}
     * @param type what the slot accepts
     * @param help one line for {@code ?}
     */
    record Slot(String label, String bind, SlotType type, String help) {}

    /**
     * A node of the tree: a keyword ({@link #slot} null) or a slot.
     */
    static final class Node {
        private final String word;
        private final Slot slot;
        private String help;
        private final List<Node> children = new ArrayList<>();
        private Command command;
        private boolean optionHead;
        private List<Node> continuations = List.of();

        private Node(String word, Slot slot) {
            this.word = word;
            this.slot = slot;
        }

        /** The keyword, or the slot's label. */
        String word() {
            return word;
        }

        /** The slot, or null for a keyword. */
        Slot slot() {
            return slot;
        }

        boolean isKeyword() {
            return slot == null;
        }

        /** How help and error messages show the node: {@code show} or {@code <backend>}. */
        String display() {
            return slot == null ? word : "<" + word + ">";
        }

        /** One line of help for {@code ?} and Tab descriptions. */
        String help() {
            return help;
        }

        /** The command that runs when the line ends here, or null. */
        Command command() {
            return command;
        }
    }

    /**
     * A command line resolved to its command.
     *
     * @param command the command
     * @param args slot values by {@link Slot#bind()} name (e.g. {@code backend -> nginx0})
     * @param options the option-group keywords given (e.g. {@code log}, {@code backend} of
     *     {@code watch events})
     * @param words the line with every keyword spelled out, e.g. {@code [show, backends, nginx0]}
     */
    record Parsed(Command command, Map<String, String> args, Set<String> options, List<String> words) {
        Parsed {
            args = Map.copyOf(args);
            options = Set.copyOf(options);
            words = List.copyOf(words);
        }

        Action action() {
            return command.action();
        }

        /** The value bound to a slot, or null when the slot was not given. */
        String arg(String name) {
            return args.get(name);
        }

        String line() {
            return String.join(" ", words);
        }
    }

    /**
     * Where a walk over some words ended: the node, the candidates for the next word and the
     * values bound so far (completion of {@code <pool>} needs the frontend typed before it).
     *
     * @param node the last node matched (the root for no words)
     * @param candidates what the next word may be, keywords first
     * @param args slot values bound so far
     * @param words the words so far with every keyword spelled out
     */
    record Position(Node node, List<Node> candidates, Map<String, String> args, List<String> words) {
        /** The command that runs if the line ends here, or null. */
        Command command() {
            return node.command;
        }
    }

    private final Node root;
    private final List<Command> commands;

    private CommandTree(Node root, List<Command> commands) {
        this.root = root;
        this.commands = List.copyOf(commands);
    }

    static Builder builder() {
        return new Builder();
    }

    /** Every command in definition order. */
    List<Command> commands() {
        return commands;
    }

    /**
     * Resolves a whole command line.
     *
     * @param words the words of the line (no flags), at least one
     * @return the resolved command
     * @throws CommandLineException for an empty line, an unknown or ambiguous word, a word after
     *     the end of a command, a value a slot refuses, or a line that stops before a command
     */
    Parsed parse(List<String> words) {
        if (words.isEmpty()) {
            throw new CommandLineException("no command given; expected one of: " + expected(candidates(root, Set.of())));
        }
        Walker walker = new Walker();
        for (String word : words) {
            walker.step(word);
        }
        Command command = walker.node.command;
        if (command == null) {
            throw new CommandLineException("incomplete command \"" + String.join(" ", walker.words)
                    + "\"; expected one of: " + expected(walker.candidates()));
        }
        return new Parsed(command, walker.args, walker.options, walker.words);
    }

    /**
     * Walks the given complete words, for completion and {@code ?} help.
     *
     * @param words the words before the one being typed
     * @return where the walk ended
     * @throws CommandLineException when one of the words does not fit (the message says why)
     */
    Position position(List<String> words) {
        Walker walker = new Walker();
        for (String word : words) {
            walker.step(word);
        }
        return new Position(walker.node, walker.candidates(), Map.copyOf(walker.args), List.copyOf(walker.words));
    }

    /** Every keyword node and slot node reachable from the root (for checks and generators). */
    List<Node> allNodes() {
        List<Node> out = new ArrayList<>();
        collect(root, out, new HashSet<>());
        return out;
    }

    private static void collect(Node node, List<Node> out, Set<Node> seen) {
        for (Node child : node.children) {
            if (seen.add(child)) {
                out.add(child);
                collect(child, out, seen);
            }
        }
    }

    private static List<Node> candidates(Node node, Set<Node> used) {
        LinkedHashSet<Node> out = new LinkedHashSet<>(node.children);
        for (Node hub : node.continuations) {
            out.addAll(hub.children);
        }
        out.removeIf(used::contains);
        List<Node> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing((Node n) -> !n.isKeyword()).thenComparing(n -> n.word));
        return List.copyOf(sorted);
    }

    private static String expected(List<Node> candidates) {
        return String.join(", ", candidates.stream().map(Node::display).toList());
    }

    /** Applies the matching rule of the class comment, one word at a time. */
    private final class Walker {
        Node node = root;
        final Set<Node> used = new HashSet<>();
        final Map<String, String> args = new LinkedHashMap<>();
        final Set<String> options = new LinkedHashSet<>();
        final List<String> words = new ArrayList<>();

        List<Node> candidates() {
            return CommandTree.candidates(node, used);
        }

        void step(String word) {
            List<Node> candidates = candidates();
            Node next = match(candidates, word);
            if (next.isKeyword()) {
                words.add(next.word);
                if (next.optionHead) {
                    options.add(next.word);
                }
            } else {
                String value = next.slot.type().accept(word, next.slot.label());
                args.put(next.slot.bind(), value);
                words.add(value);
            }
            if (next.optionHead) {
                used.add(next);
            }
            node = next;
        }

        private Node match(List<Node> candidates, String word) {
            String lower = word.toLowerCase(Locale.ROOT);
            List<Node> keywords = candidates.stream().filter(Node::isKeyword).toList();
            for (Node k : keywords) {
                if (k.word.equals(lower)) {
                    return k;
                }
            }
            List<Node> matches = keywords.stream().filter(k -> k.word.startsWith(lower)).toList();
            if (matches.size() == 1) {
                return matches.getFirst();
            }
            if (matches.size() > 1) {
                Node longest = chainEnd(matches);
                if (longest != null) {
                    return longest;
                }
                throw new CommandLineException("ambiguous word \"" + word + "\"" + after()
                        + "; could be: " + expected(matches));
            }
            for (Node c : candidates) {
                if (!c.isKeyword()) {
                    return c;
                }
            }
            if (candidates.isEmpty()) {
                throw new CommandLineException("unexpected word \"" + word + "\"" + after()
                        + "; the command ends there");
            }
            String what = words.isEmpty() ? "command" : "word";
            throw new CommandLineException("unknown " + what + " \"" + word + "\"" + after()
                    + "; expected one of: " + expected(candidates));
        }

        private String after() {
            return words.isEmpty() ? "" : " after \"" + String.join(" ", words) + "\"";
        }
    }

    /** The longest keyword when every keyword is a prefix of the next longer one; else null. */
    private static Node chainEnd(List<Node> matches) {
        List<Node> byLength = new ArrayList<>(matches);
        byLength.sort(Comparator.comparingInt(n -> n.word.length()));
        for (int i = 1; i < byLength.size(); i++) {
            if (!byLength.get(i).word.startsWith(byLength.get(i - 1).word)) {
                return null;
            }
        }
        return byLength.getLast();
    }

    /**
     * Collects slots, keyword help and commands, then compiles them into a tree. Every node must
     * end up with help: keywords that end a command's required words get the command's help,
     * every other keyword needs {@link #describe}; slots carry their own.
     */
    static final class Builder {
        private final Map<String, Slot> slots = new LinkedHashMap<>();
        private final Map<String, String> descriptions = new HashMap<>();
        private final List<Command> commands = new ArrayList<>();

        private Builder() {}

        /** Declares {@code <label>}; see {@link Slot}. */
        Builder slot(String label, String bind, SlotType type, String help) {
            slots.put(label, new Slot(label, bind, type, help));
            return this;
        }

        /**
         * Help for a keyword that does not end a command, e.g. {@code describe("show vpp", ...)}
         * or an option keyword {@code describe("watch events num", ...)}.
         *
         * @param path the keywords from the root, separated by single spaces (slots left out)
         */
        Builder describe(String path, String help) {
            descriptions.put(path, help);
            return this;
        }

        Builder command(String synopsis, String help, Action action) {
            commands.add(new Command(synopsis, help, action, false));
            return this;
        }

        Builder shellCommand(String synopsis, String help, Action action) {
            commands.add(new Command(synopsis, help, action, true));
            return this;
        }

        /**
         * @throws IllegalStateException when a synopsis does not parse, names an undeclared
         *     slot, ends where another command already ends, puts two slots at one position, or
         *     leaves a keyword without help
         */
        CommandTree build() {
            Node root = new Node("", null);
            for (Command command : commands) {
                List<Elem> elems = new SynopsisParser(command.synopsis()).parse();
                insert(root, elems, command, List.of(), "", false);
            }
            CommandTree tree = new CommandTree(root, commands);
            for (Node node : tree.allNodes()) {
                if (node.help == null) {
                    throw new IllegalStateException("no help for keyword \"" + node.word + "\"");
                }
                long slotCount = node.children.stream().filter(n -> !n.isKeyword()).count();
                if (slotCount > 1) {
                    throw new IllegalStateException("two slots after \"" + node.word + "\"");
                }
            }
            return tree;
        }

        private void insert(Node at, List<Elem> elems, Command command, List<Node> continuations, String path,
                boolean option) {
            int firstOption = 0;
            while (firstOption < elems.size() && !(elems.get(firstOption) instanceof Elem.Options)) {
                firstOption++;
            }
            if (firstOption == 0) {
                throw new IllegalStateException("\"" + command.synopsis() + "\" must start with a word");
            }
            Node node = at;
            String nodePath = path;
            for (int i = 0; i < firstOption; i++) {
                node = child(node, elems.get(i), option && i == 0, command);
                if (elems.get(i) instanceof Elem.Word w) {
                    nodePath = nodePath.isEmpty() ? w.word() : nodePath + " " + w.word();
                    if (node.help == null) {
                        node.help = descriptions.get(nodePath);
                    }
                }
            }
            if (node.command != null && node.command != command) {
                throw new IllegalStateException("\"" + command.synopsis() + "\" ends where \""
                        + node.command.synopsis() + "\" does");
            }
            node.command = command;
            node.continuations = continuations;
            if (!option && node.isKeyword()) {
                node.help = command.help();
            }
            List<Node> inner = new ArrayList<>();
            inner.add(node);
            inner.addAll(continuations);
            for (int i = firstOption; i < elems.size(); i++) {
                if (!(elems.get(i) instanceof Elem.Options options)) {
                    throw new IllegalStateException(
                            "required word after an option group in \"" + command.synopsis() + "\"");
                }
                insert(node, options.elems(), command, List.copyOf(inner), nodePath, true);
            }
        }

        // if/instanceof, not a pattern switch: SwitchBootstraps costs ~20 ms of one-shot start-up.
        private Node child(Node parent, Elem elem, boolean optionHead, Command command) {
            if (elem instanceof Elem.Word w) {
                for (Node c : parent.children) {
                    if (c.isKeyword() && c.word.equals(w.word())) {
                        return c;
                    }
                }
                Node n = new Node(w.word(), null);
                n.optionHead = optionHead;
                parent.children.add(n);
                return n;
            }
            if (elem instanceof Elem.SlotRef s) {
                Slot slot = slots.get(s.label());
                if (slot == null) {
                    throw new IllegalStateException("undeclared slot <" + s.label() + "> in \"" + command.synopsis() + "\"");
                }
                for (Node c : parent.children) {
                    if (!c.isKeyword() && c.slot == slot) { // identity: record equals costs an indy bootstrap
                        return c;
                    }
                }
                Node n = new Node(slot.label(), slot);
                n.help = slot.help();
                n.optionHead = optionHead;
                parent.children.add(n);
                return n;
            }
            throw new IllegalStateException("unexpected option group");
        }
    }

    /** A parsed synopsis element. */
    private sealed interface Elem {
        record Word(String word) implements Elem {}

        record SlotRef(String label) implements Elem {}

        record Options(List<Elem> elems) implements Elem {}
    }

    /** Parses the synopsis syntax of the class comment. */
    private static final class SynopsisParser {
        private final String synopsis;
        private final List<String> tokens = new ArrayList<>();
        private int pos;

        SynopsisParser(String synopsis) {
            this.synopsis = Objects.requireNonNull(synopsis);
            for (String raw : synopsis.trim().split("\\s+")) {
                String t = raw;
                while (t.startsWith("[")) {
                    tokens.add("[");
                    t = t.substring(1);
                }
                int closing = 0;
                while (t.endsWith("]")) {
                    closing++;
                    t = t.substring(0, t.length() - 1);
                }
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
                for (int i = 0; i < closing; i++) {
                    tokens.add("]");
                }
            }
        }

        List<Elem> parse() {
            List<Elem> elems = sequence();
            if (pos != tokens.size()) {
                throw new IllegalStateException("unbalanced ']' in \"" + synopsis + "\"");
            }
            return elems;
        }

        private List<Elem> sequence() {
            List<Elem> out = new ArrayList<>();
            while (pos < tokens.size() && !tokens.get(pos).equals("]")) {
                String t = tokens.get(pos++);
                if (t.equals("[")) {
                    List<Elem> inner = sequence();
                    if (pos >= tokens.size()) {
                        throw new IllegalStateException("unbalanced '[' in \"" + synopsis + "\"");
                    }
                    pos++;
                    out.add(new Elem.Options(inner));
                } else if (t.startsWith("<") && t.endsWith(">")) {
                    out.add(new Elem.SlotRef(t.substring(1, t.length() - 1)));
                } else {
                    out.add(new Elem.Word(t));
                }
            }
            return out;
        }
    }
}
