package dev.vppmaglev.config;

import java.util.Locale;

/**
 * Every rule a config file can break: the {@link ConfigError#rule()} identifiers and the stage
 * that reports them. Each is documented, with an example message, in {@code docs/config-guide.md}
 * (a test keeps the two in step, and another proves every rule with a file of the bad-config
 * corpus).
 *
 * <p>Parse-stage rules ({@link ConfigException.Kind#PARSE}, {@code maglevd --check} exit 1) are
 * about the shape of the file and the syntax of single values; semantic rules
 * ({@link ConfigException.Kind#SEMANTIC}, exit 2) are about well-formed values that are out of
 * range or disagree with each other.
 */
enum Rule {
    // ---- parse stage: the file and the YAML
    READ_ERROR(Kind.PARSE),
    BAD_ENCODING(Kind.PARSE),
    YAML_SYNTAX(Kind.PARSE),
    YAML_LIMIT(Kind.PARSE),
    // ---- parse stage: structure
    DUPLICATE_KEY(Kind.PARSE),
    UNKNOWN_KEY(Kind.PARSE),
    MISSING_KEY(Kind.PARSE),
    WRONG_TYPE(Kind.PARSE),
    NOT_FOR_TYPE(Kind.PARSE),
    // ---- parse stage: syntax of one value
    BAD_BOOLEAN(Kind.PARSE),
    BAD_DURATION(Kind.PARSE),
    BAD_ADDRESS(Kind.PARSE),
    BAD_VALUE(Kind.PARSE),
    BAD_REGEX(Kind.PARSE),
    BAD_STATUS(Kind.PARSE),
    // ---- semantic stage: one value
    BAD_NAME(Kind.SEMANTIC),
    BAD_NETNS(Kind.SEMANTIC),
    TRANSITION_HISTORY_RANGE(Kind.SEMANTIC),
    SYNC_INTERVAL_RANGE(Kind.SEMANTIC),
    STICKY_BUCKETS_POWER_OF_TWO(Kind.SEMANTIC),
    FLOW_TIMEOUT_RANGE(Kind.SEMANTIC),
    STARTUP_DELAY_RANGE(Kind.SEMANTIC),
    STARTUP_DELAY_ORDER(Kind.SEMANTIC),
    PORT_RANGE(Kind.SEMANTIC),
    INTERVAL_MINIMUM(Kind.SEMANTIC),
    TIMEOUT_RANGE(Kind.SEMANTIC),
    RISE_FALL_RANGE(Kind.SEMANTIC),
    PATH_FORMAT(Kind.SEMANTIC),
    STATUS_RANGE(Kind.SEMANTIC),
    HEAD_WITH_BODY(Kind.SEMANTIC),
    NEEDS_TLS(Kind.SEMANTIC),
    WEIGHT_RANGE(Kind.SEMANTIC),
    EMPTY_POOLS(Kind.SEMANTIC),
    DUPLICATE_POOL(Kind.SEMANTIC),
    PORT_NEEDS_PROTOCOL(Kind.SEMANTIC),
    PROTOCOL_NEEDS_PORT(Kind.SEMANTIC),
    // ---- semantic stage: across values
    UNKNOWN_HEALTHCHECK(Kind.SEMANTIC),
    UNKNOWN_BACKEND(Kind.SEMANTIC),
    FAMILY_MISMATCH(Kind.SEMANTIC),
    DUPLICATE_POOL_BACKEND(Kind.SEMANTIC),
    DUPLICATE_AS_ADDRESS(Kind.SEMANTIC),
    DUPLICATE_VIP(Kind.SEMANTIC),
    ALL_PORT_CONFLICT(Kind.SEMANTIC),
    MISSING_SRC_ADDRESS(Kind.SEMANTIC),
    // ---- either stage: the list was cut short
    TOO_MANY_ERRORS(Kind.EITHER);

    /** The stage of a rule ({@code EITHER}: added by whichever stage overflows). */
    private enum Kind { PARSE, SEMANTIC, EITHER }

    private final Kind kind;
    private final String id;

    Rule(Kind kind) {
        this.kind = kind;
        this.id = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kebab-case identifier, e.g. {@code weight-range}. */
    String id() {
        return id;
    }

    /** The stage that reports this rule; {@code null} for {@link #TOO_MANY_ERRORS}. */
    ConfigException.Kind kind() {
        return switch (kind) {
            case PARSE -> ConfigException.Kind.PARSE;
            case SEMANTIC -> ConfigException.Kind.SEMANTIC;
            case EITHER -> null;
        };
    }
}
