package dev.vppmaglev.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The entries of one YAML map, in file order, with duplicate keys already reported and YAML merge
 * keys ({@code <<: *defaults}) applied (keys written in the map win over merged ones). Built by
 * {@link Nodes#fields}.
 */
final class Fields {
    /** One key and its value node (the value may be a YAML null). */
    record Entry(String key, Node keyNode, Node value) {
        Mark keyMark() {
            return keyNode.getStartMark();
        }
    }

    private final Nodes nodes;
    private final String path;
    private final Mark anchor;
    private final Map<String, Entry> entries;

    Fields(Nodes nodes, String path, Mark anchor, Map<String, Entry> entries) {
        this.nodes = nodes;
        this.path = path;
        this.anchor = anchor;
        this.entries = entries;
    }

    /** Dotted path of this map from {@code maglev}, e.g. {@code healthchecks.web}. */
    String path() {
        return path;
    }

    /** {@code path.key}, or {@code key} at the top. */
    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Where the map is (its key in the parent when it has one): where missing keys are reported. */
    Mark anchor() {
        return anchor;
    }

    List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    Entry entry(String key) {
        return entries.get(key);
    }

    /** The value of {@code key}; {@code null} when absent or a YAML null ({@code ~}, empty). */
    Node get(String key) {
        Entry e = entries.get(key);
        return e == null || Nodes.isNull(e.value()) ? null : e.value();
    }

    /** Whether {@code key} is written with a non-null value. */
    boolean has(String key) {
        return get(key) != null;
    }

    /** Mark of the value of {@code key}, or of the map when absent. */
    Mark mark(String key) {
        Entry e = entries.get(key);
        return e == null ? anchor : e.value().getStartMark();
    }

    /** Mark of {@code key} itself, or of the map when absent. */
    Mark keyMark(String key) {
        Entry e = entries.get(key);
        return e == null ? anchor : e.keyMark();
    }

    /**
     * The value of a required key; records {@code missing-key} and returns {@code null} when the
     * key is absent or has no value.
     */
    Node required(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            nodes.problems().add(Rule.MISSING_KEY, anchor,
                    (path.isEmpty() ? "" : path + ": ") + "missing required key \"" + key + "\"");
            return null;
        }
        if (Nodes.isNull(e.value())) {
            nodes.problems().add(Rule.MISSING_KEY, e.keyMark(), path(key)
                    + " has no value; it is required");
            return null;
        }
        return e.value();
    }

    /** Records {@code unknown-key} for every key not in {@code allowed}, in file order. */
    Fields only(Set<String> allowed, List<String> inOrder) {
        for (Entry e : entries.values()) {
            if (!allowed.contains(e.key())) {
                nodes.problems().add(Rule.UNKNOWN_KEY, e.keyMark(), () -> {
                    String hint = closest(e.key(), inOrder);
                    return (path.isEmpty() ? "" : path + ": ") + "unknown key \"" + e.key() + "\""
                            + (hint == null ? "" : " (did you mean \"" + hint + "\"?)")
                            + "; allowed: " + String.join(", ", inOrder);
                });
            }
        }
        return this;
    }

    /** Convenience for a fixed key list. */
    Fields only(List<String> keys) {
        return only(Set.copyOf(keys), keys);
    }

    static LinkedHashMap<String, Entry> newEntries() {
        return new LinkedHashMap<>();
    }

    /** The allowed key nearest to a misspelling, when near enough (edit distance). */
    static String closest(String key, Collection<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(key, a);
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, key.length() / 3)) ? best : null;
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
