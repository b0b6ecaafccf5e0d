package dev.vppmaglev.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.yaml.snakeyaml.error.Mark;

/**
 * Collects the errors of one load, per stage, and turns them into a {@link ConfigException}:
 * the parse stage wins (its errors alone are reported), then the semantic stage. Errors come out
 * in file order (line, then column; errors without a position first), ties in discovery order.
 * At most {@link #MAX_REPORTED} are reported; then one {@code too-many-errors} entry, at the
 * first error left out, says how many more there are.
 */
final class Problems {
    /** Errors reported per load before the rest are summarised. */
    static final int MAX_REPORTED = 100;
    /** Errors kept per stage (beyond this only counted), bounding memory on hostile input. */
    private static final int MAX_KEPT = 10_000;

    private static final Comparator<ConfigError> FILE_ORDER =
            Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column);

    private final String file;
    private final List<ConfigError> parse = new ArrayList<>();
    private final List<ConfigError> semantic = new ArrayList<>();
    private int parseDropped;
    private int semanticDropped;

    Problems(String file) {
        this.file = file;
    }

    /** Records a broken rule at a SnakeYAML mark (0-based) as a 1-based line and column. */
    void add(Rule rule, Mark at, String message) {
        if (at == null) {
            add(rule, 0, 0, message);
        } else {
            add(rule, at.getLine() + 1, at.getColumn() + 1, message);
        }
    }

    /** Records a broken rule at a 1-based position (0, 0 = no position). */
    void add(Rule rule, int line, int column, String message) {
        ConfigError e = new ConfigError(file, line, column, rule.id(), message);
        boolean isParse = rule.kind() == ConfigException.Kind.PARSE;
        List<ConfigError> list = isParse ? parse : semantic;
        // A limit is always kept: it says the walk stopped early, whatever came before it.
        if (list.size() < MAX_KEPT || rule == Rule.YAML_LIMIT) {
            list.add(e);
        } else if (isParse) {
            parseDropped++;
        } else {
            semanticDropped++;
        }
    }

    /**
     * {@link #add(Rule, Mark, String)} for messages that cost something to build (hints, lists
     * of allowed keys): past {@link #MAX_KEPT} errors the message is not built, the error only
     * counted. Hostile files can hold millions of the same error.
     */
    void add(Rule rule, Mark at, Supplier<String> message) {
        boolean isParse = rule.kind() == ConfigException.Kind.PARSE;
        if ((isParse ? parse : semantic).size() < MAX_KEPT) {
            add(rule, at, message.get());
        } else if (isParse) {
            parseDropped++;
        } else {
            semanticDropped++;
        }
    }

    boolean hasParseErrors() {
        return !parse.isEmpty();
    }

    /** Throws for the first stage that has errors; returns when there are none. */
    void throwIfAny() throws ConfigException {
        if (!parse.isEmpty()) {
            throw new ConfigException(ConfigException.Kind.PARSE, reported(parse, parseDropped));
        }
        if (!semantic.isEmpty()) {
            throw new ConfigException(ConfigException.Kind.SEMANTIC,
                    reported(semantic, semanticDropped));
        }
    }

    private List<ConfigError> reported(List<ConfigError> errors, int dropped) {
        List<ConfigError> out = new ArrayList<>(errors);
        out.sort(FILE_ORDER); // stable: ties keep discovery order
        if (out.size() <= MAX_REPORTED) {
            return out;
        }
        ConfigError firstLeftOut = out.get(MAX_REPORTED);
        int more = out.size() - MAX_REPORTED + dropped;
        List<ConfigError> head = new ArrayList<>(out.subList(0, MAX_REPORTED));
        head.add(new ConfigError(file, firstLeftOut.line(), firstLeftOut.column(),
                Rule.TOO_MANY_ERRORS.id(), more + " more errors not shown; fix the ones above"
                + " first"));
        return head;
    }
}
