package dev.vppmaglev.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tab candidates and {@code ?} help for a partly typed line, from the command tree and the
 * daemon's live names. Used by the shell's JLine completer and help widget and by
 * {@code maglevc --complete} (the bash completion).
 */
final class Completions {

    /**
     * One candidate for the word being typed.
     *
     * @param value the word to insert
     * @param help one line describing it
     */
    record Candidate(String value, String help) {}

    private static final int HELP_NAMES_WIDTH = 60;

    private final CommandTree tree;
    private final NameSource names;
    private final boolean shell;

    /**
     * @param tree the grammar
     * @param names live names for slots
     * @param shell true in the shell: offers {@code quit} / {@code exit}
     */
    Completions(CommandTree tree, NameSource names, boolean shell) {
        this.tree = tree;
        this.names = names;
        this.shell = shell;
    }

    /**
     * The words that may replace {@code partial}: keywords and choice values it is a prefix of,
     * and for a name slot the live names it is a prefix of.
     *
     * @param before the complete words before the one being typed
     * @param partial the word being typed (empty at a word boundary)
     * @return the candidates, keywords first; empty when an earlier word does not fit
     */
    List<Candidate> candidates(List<String> before, String partial) {
        CommandTree.Position position;
        try {
            position = tree.position(before);
        } catch (CommandLineException e) {
            return List.of();
        }
        String lower = partial.toLowerCase(Locale.ROOT);
        List<Candidate> out = new ArrayList<>();
        for (CommandTree.Node node : position.candidates()) {
            if (node.isKeyword()) {
                if (node.word().startsWith(lower) && offered(node)) {
                    out.add(new Candidate(node.word(), node.help()));
                }
                continue;
            }
            // if/instanceof, not a pattern switch: --complete (bash) is a one-shot start-up too.
            SlotType type = node.slot().type();
            if (type instanceof SlotType.Choice choice) {
                for (String value : choice.values()) {
                    if (value.startsWith(lower)) {
                        out.add(new Candidate(value, node.help()));
                    }
                }
            } else if (type instanceof SlotType.Name name) {
                for (NameSource.Name n : names.names(name.kind(), position.args())) {
                    if (n.value().startsWith(partial)) {
                        out.add(new Candidate(n.value(), n.description()));
                    }
                }
            }
            // SlotType.Number: nothing to offer; ? shows the range
        }
        return out;
    }

    /**
     * The {@code ?} listing for a line typed up to the cursor, birdc style: one line per
     * candidate ({@code <backend>} for slots, with live names in its help) and {@code <cr>} when
     * the line is a complete command. When the line ends inside a word, only candidates that word
     * is a prefix of are listed.
     *
     * @param line the text before the cursor
     * @return the lines to print, each indented by two spaces; an error line when an earlier word
     *     does not fit
     */
    List<String> help(String line) {
        List<String> words = Shellwords.split(line);
        boolean atBoundary = line.isEmpty() || Character.isWhitespace(line.charAt(line.length() - 1));
        String partial = atBoundary || words.isEmpty() ? "" : words.getLast();
        List<String> before = atBoundary || words.isEmpty() ? words : words.subList(0, words.size() - 1);
        CommandTree.Position position;
        try {
            position = tree.position(before);
        } catch (CommandLineException e) {
            return List.of("  " + e.getMessage());
        }
        String lower = partial.toLowerCase(Locale.ROOT);
        List<String[]> rows = new ArrayList<>();
        for (CommandTree.Node node : position.candidates()) {
            if (node.isKeyword()) {
                if (node.word().startsWith(lower) && offered(node)) {
                    rows.add(new String[] {node.word(), node.help()});
                }
            } else {
                rows.add(new String[] {node.display(), slotHelp(node, position)});
            }
        }
        if (partial.isEmpty() && position.command() != null && !position.words().isEmpty()) {
            rows.add(new String[] {"<cr>", "run \"" + String.join(" ", position.words()) + "\""});
        }
        if (rows.isEmpty()) {
            String where = position.words().isEmpty() ? "" : " after \"" + String.join(" ", position.words()) + "\"";
            return List.of("  nothing matches \"" + partial + "\"" + where);
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        List<String> out = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            out.add("  " + row[0] + " ".repeat(width - row[0].length() + 2) + row[1]);
        }
        return out;
    }

    private boolean offered(CommandTree.Node node) {
        return shell || node.command() == null || !node.command().shellOnly();
    }

    private String slotHelp(CommandTree.Node node, CommandTree.Position position) {
        if (!(node.slot().type() instanceof SlotType.Name name)) {
            return node.help();
        }
        List<NameSource.Name> live = names.names(name.kind(), position.args());
        if (live.isEmpty()) {
            return node.help();
        }
        StringBuilder list = new StringBuilder();
        for (NameSource.Name n : live) {
            String next = list.isEmpty() ? n.value() : ", " + n.value();
            if (list.length() + next.length() > HELP_NAMES_WIDTH) {
                list.append(", ...");
                break;
            }
            list.append(next);
        }
        return node.help() + " (" + list + ")";
    }
}
