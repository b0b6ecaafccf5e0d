package dev.vppmaglev.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads typed values out of SnakeYAML nodes, strictly, recording every problem with the node's
 * position. The YAML 1.1 resolver's tag is only a hint: an integer must be a plain decimal number
 * ({@code 0x1F}, {@code 010}, {@code 1_000} and {@code "80"} are refused), a boolean must be
 * {@code true} or {@code false} ({@code yes}/{@code on} are refused with a hint), a duration must
 * carry a unit. Readers return {@code null} after recording a problem; callers then use a
 * filler, which never reaches a {@link Config} because parse errors stop the load.
 */
final class Nodes {
    /** Nodes visited before the walk gives up (aliases can make a small file a large tree). */
    static final int MAX_NODES_VISITED = 2_000_000;
    /**
     * Longest text value, in characters. Every string in the schema (a description, a path, a
     * regex, a tcp {@code send}) is far shorter; a longer one is an accident, and would make the
     * API's replies larger than its clients accept (gRPC's 4 MiB message limit).
     */
    static final int MAX_TEXT_LENGTH = 4096;
    /** Depth of nested merge keys ({@code <<}) followed. */
    private static final int MAX_MERGE_DEPTH = 8;
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9][0-9_]*(\\.[0-9]*)?");
    private static final Set<String> YAML11_BOOLEANS =
            Set.of("yes", "no", "on", "off", "y", "n");

    /** Thrown when the walk has visited too many nodes; {@link ConfigLoader} reports it. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    private final Problems problems;
    private final Set<Node> duplicateChecked = Collections.newSetFromMap(new IdentityHashMap<>());
    private int visited;

    Nodes(Problems problems) {
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode s && Tag.NULL.equals(s.getTag()));
    }

    /** How a value reads to an operator: {@code a list}, {@code the string "80"}, ... */
    static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a map";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        if (!(n instanceof ScalarNode s)) {
            return "nothing";
        }
        String v = s.getValue();
        String shown = v.length() > 40 ? v.substring(0, 40) + "..." : v;
        Tag t = s.getTag();
        if (Tag.NULL.equals(t)) {
            return "nothing (null)";
        }
        if (!s.isPlain()) {
            return "the string \"" + shown + "\"";
        }
        if (Tag.INT.equals(t) || Tag.FLOAT.equals(t)) {
            return "the number " + shown;
        }
        if (Tag.BOOL.equals(t)) {
            return "the boolean " + shown;
        }
        return "\"" + shown + "\"";
    }

    // ---- maps

    /**
     * The entries of a map node. A YAML null counts as an empty map (so {@code healthchecks:}
     * with nothing under it is fine). Anything else records {@code wrong-type} and gives an empty
     * map.
     *
     * @param anchor where to report keys missing from this map (its key in the parent)
     */
    Fields fields(Node node, String path, Mark anchor) {
        LinkedHashMap<String, Fields.Entry> entries = Fields.newEntries();
        if (node == null || isNull(node)) {
            return new Fields(this, path, anchor, entries);
        }
        if (!(node instanceof MappingNode map)) {
            problems.add(Rule.WRONG_TYPE, node.getStartMark(),
                    label(path) + "expected a map of keys, got " + describe(node));
            return new Fields(this, path, anchor, entries);
        }
        collect(map, path, entries, 0);
        return new Fields(this, path, anchor, entries);
    }

    private void collect(MappingNode map, String path, Map<String, Fields.Entry> into, int depth) {
        boolean reportDuplicates = duplicateChecked.add(map);
        Map<String, Fields.Entry> own = new LinkedHashMap<>();
        List<Node> merges = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            visit();
            Node k = t.getKeyNode();
            if (k instanceof ScalarNode ks && Tag.MERGE.equals(ks.getTag())) {
                merges.add(t.getValueNode());
                continue;
            }
            if (!(k instanceof ScalarNode ks)) {
                if (reportDuplicates) {
                    problems.add(Rule.WRONG_TYPE, k.getStartMark(),
                            label(path) + "a key must be a name, got " + describe(k));
                }
                continue;
            }
            String key = isNull(ks) ? "" : ks.getValue();
            Fields.Entry first = own.get(key);
            if (first != null) {
                if (reportDuplicates) {
                    problems.add(Rule.DUPLICATE_KEY, k.getStartMark(), label(path)
                            + "duplicate key \"" + key + "\" (first at line "
                            + (first.keyMark().getLine() + 1) + "); each key may appear once");
                }
                continue;
            }
            own.put(key, new Fields.Entry(key, k, t.getValueNode()));
        }
        for (Map.Entry<String, Fields.Entry> e : own.entrySet()) {
            into.putIfAbsent(e.getKey(), e.getValue());
        }
        for (Node m : merges) {
            if (depth >= MAX_MERGE_DEPTH) {
                problems.add(Rule.YAML_LIMIT, m.getStartMark(), label(path)
                        + "merge keys (<<) nested deeper than " + MAX_MERGE_DEPTH + " levels");
                return;
            }
            if (m instanceof MappingNode source) {
                collect(source, path, into, depth + 1);
            } else if (m instanceof SequenceNode seq
                    && seq.getValue().stream().allMatch(n -> n instanceof MappingNode)) {
                for (Node n : seq.getValue()) {
                    collect((MappingNode) n, path, into, depth + 1);
                }
            } else {
                problems.add(Rule.WRONG_TYPE, m.getStartMark(), label(path)
                        + "a merge key (<<) needs a map or a list of maps, got " + describe(m));
            }
        }
    }

    /** The items of a list node, or {@code null} after recording {@code wrong-type}. */
    List<Node> list(Node node, String path) {
        visit();
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        problems.add(Rule.WRONG_TYPE, node.getStartMark(),
                label(path) + "expected a list, got " + describe(node));
        return null;
    }

    // ---- scalars

    /**
     * Any scalar as text (numbers and booleans as written); {@code null} on a list or map, or on
     * text longer than {@link #MAX_TEXT_LENGTH} ({@code yaml-limit}).
     */
    String string(Node node, String path) {
        visit();
        if (node instanceof ScalarNode s && standardTag(s)) {
            String v = s.getValue();
            if (v.length() > MAX_TEXT_LENGTH && v.codePointCount(0, v.length()) > MAX_TEXT_LENGTH) {
                problems.add(Rule.YAML_LIMIT, node.getStartMark(), label(path) + "text of "
                        + v.codePointCount(0, v.length()) + " characters; values are at most "
                        + MAX_TEXT_LENGTH + " characters");
                return null;
            }
            return v;
        }
        problems.add(Rule.WRONG_TYPE, node.getStartMark(),
                label(path) + "expected a string, got " + describeTagged(node));
        return null;
    }

    /** A plain decimal integer that fits 32 bits. */
    Integer integer(Node node, String path) {
        visit();
        if (!(node instanceof ScalarNode s) || !s.isPlain() || !standardTag(s)
                || !(Tag.INT.equals(s.getTag()) || NUMBER.matcher(s.getValue()).matches())) {
            problems.add(Rule.WRONG_TYPE, node.getStartMark(),
                    label(path) + "expected an integer, got " + describeTagged(node));
            return null;
        }
        String v = s.getValue();
        if (!DECIMAL.matcher(v).matches()) {
            problems.add(Rule.WRONG_TYPE, node.getStartMark(), label(path) + "\"" + v
                    + "\" is not a plain decimal integer; write e.g. 80 (no fraction, leading"
                    + " zeros, underscores, hex or octal)");
            return null;
        }
        try {
            return Integer.valueOf(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            problems.add(Rule.WRONG_TYPE, node.getStartMark(),
                    label(path) + v + " does not fit a 32-bit integer");
            return null;
        }
    }

    /** {@code true} or {@code false} (also {@code True}, {@code TRUE}, ... as YAML 1.2 allows). */
    Boolean bool(Node node, String path) {
        visit();
        if (node instanceof ScalarNode s && s.isPlain() && standardTag(s)) {
            String v = s.getValue();
            switch (v) {
                case "true", "True", "TRUE" -> {
                    return Boolean.TRUE;
                }
                case "false", "False", "FALSE" -> {
                    return Boolean.FALSE;
                }
                default -> {
                    if (YAML11_BOOLEANS.contains(v.toLowerCase(Locale.ROOT))) {
                        problems.add(Rule.BAD_BOOLEAN, node.getStartMark(), label(path) + "\""
                                + v + "\" is a YAML 1.1 spelling; write true or false");
                        return null;
                    }
                }
            }
        }
        problems.add(Rule.WRONG_TYPE, node.getStartMark(),
                label(path) + "expected true or false, got " + describeTagged(node));
        return null;
    }

    /** A Go duration with a unit ({@code 2s}); a bare {@code 0} is zero. */
    Duration duration(Node node, String path) {
        visit();
        if (!(node instanceof ScalarNode s) || !standardTag(s)) {
            problems.add(Rule.WRONG_TYPE, node.getStartMark(),
                    label(path) + "expected a duration like 2s, got " + describeTagged(node));
            return null;
        }
        try {
            return GoDuration.parse(s.getValue());
        } catch (IllegalArgumentException e) {
            problems.add(Rule.BAD_DURATION, node.getStartMark(), label(path) + e.getMessage());
            return null;
        }
    }

    /** Which address family a key accepts. */
    enum Family {
        ANY, IPV4, IPV6
    }

    /** An IP address literal of the given family. */
    InetAddress address(Node node, String path, Family family) {
        String text = string(node, path);
        if (text == null) {
            return null;
        }
        InetAddress a;
        try {
            a = IpLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(Rule.BAD_ADDRESS, node.getStartMark(), label(path) + e.getMessage());
            return null;
        }
        if ((family == Family.IPV4 && !(a instanceof Inet4Address))
                || (family == Family.IPV6 && !(a instanceof Inet6Address))) {
            problems.add(Rule.BAD_ADDRESS, node.getStartMark(), label(path) + "expected an "
                    + (family == Family.IPV4 ? "IPv4" : "IPv6") + " address, got the "
                    + IpLiteral.family(a) + " address " + text.strip());
            return null;
        }
        return a;
    }

    /** One of a fixed set of words; {@code choices} maps each accepted spelling to its value. */
    <E> E keyword(Node node, String path, Map<String, E> choices, String allowed) {
        String text = string(node, path);
        if (text == null) {
            return null;
        }
        E e = choices.get(text);
        if (e == null) {
            problems.add(Rule.BAD_VALUE, node.getStartMark(),
                    label(path) + "\"" + text + "\" is not one of " + allowed);
        }
        return e;
    }

    /** A Java regular expression, compiled to check it; returns the source text. */
    String regex(Node node, String path) {
        String text = string(node, path);
        if (text == null) {
            return null;
        }
        try {
            Pattern.compile(text);
            return text;
        } catch (PatternSyntaxException e) {
            problems.add(Rule.BAD_REGEX, node.getStartMark(), label(path)
                    + "invalid regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
            return null;
        }
    }

    /** Counts a visited node; throws {@link TooLarge} past {@link #MAX_NODES_VISITED}. */
    void visit() {
        if (++visited > MAX_NODES_VISITED) {
            throw new TooLarge();
        }
    }

    private static boolean standardTag(ScalarNode s) {
        return s.getTag().getValue().startsWith(Tag.PREFIX);
    }

    private static String describeTagged(Node n) {
        if (n instanceof ScalarNode s && !standardTag(s)) {
            return "a value with the custom tag " + s.getTag().getValue()
                    + " (tags are not supported)";
        }
        return describe(n);
    }

    private static String label(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }
}
