package dev.vppmaglev.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;

/**
 * Collects the errors of one load, per stage, and turns them into a {@link ConfigException}:
 * the parse stage wins (its errors alone are reported), then the semantic stage. Errors come out
 * in file order (line, then column; errors without a position first), ties in discovery order.
 */
final class Problems {
    private static final Comparator<ConfigError> FILE_ORDER =
            Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column);

    private final String file;
    private final List<ConfigError> parse = new ArrayList<>();
    private final List<ConfigError> semantic = new ArrayList<>();

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
        (rule.kind() == ConfigException.Kind.PARSE ? parse : semantic).add(e);
    }

    boolean hasParseErrors() {
        return !parse.isEmpty();
    }

    /** Throws for the first stage that has errors; returns when there are none. */
    void throwIfAny() throws ConfigException {
        if (!parse.isEmpty()) {
            throw new ConfigException(ConfigException.Kind.PARSE, sorted(parse));
        }
        if (!semantic.isEmpty()) {
            throw new ConfigException(ConfigException.Kind.SEMANTIC, sorted(semantic));
        }
    }

    private static List<ConfigError> sorted(List<ConfigError> errors) {
        List<ConfigError> out = new ArrayList<>(errors);
        out.sort(FILE_ORDER); // stable: ties keep discovery order
        return out;
    }
}
