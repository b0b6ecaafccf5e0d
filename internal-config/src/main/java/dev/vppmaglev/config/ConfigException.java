package dev.vppmaglev.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A config file that cannot be used. {@link Kind#PARSE} covers unreadable files, YAML syntax and
 * structure (unknown keys, wrong types, duplicate keys); {@link Kind#SEMANTIC} covers rules across
 * values (references, address families, ranges). {@code maglevd --check} exits 1 and 2
 * respectively.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which stage refused the file. */
    public enum Kind {
        PARSE(1),
        SEMANTIC(2);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        /** Exit code of {@code maglevd --check}: 1 for parse, 2 for semantic errors. */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;
    private final List<ConfigError> errors;

    public ConfigException(Kind kind, List<ConfigError> errors) {
        super(render(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    public Kind kind() {
        return kind;
    }

    /** Every error found, in file order; never empty. */
    public List<ConfigError> errors() {
        return errors;
    }

    private static String render(List<ConfigError> errors) {
        return errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
    }
}
