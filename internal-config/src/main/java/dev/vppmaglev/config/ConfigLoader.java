package dev.vppmaglev.config;

import java.nio.file.Path;

/**
 * Loads and validates {@code maglev.yaml}. (Contract; the implementation lands with the config
 * work.)
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * What the loader needs to know about the daemon to validate a file.
     *
     * @param vppEnabled whether VPP integration is on ({@code --vpp-api-addr} not empty): then a
     *                   VIP of a family needs {@code vpp.lb.ipv4-src-address} /
     *                   {@code ipv6-src-address} of that family
     */
    public record Options(boolean vppEnabled) {
        public static final Options DEFAULTS = new Options(true);
    }

    /**
     * Reads, parses and validates {@code file}.
     *
     * @return the validated config; {@link Config#source()} is {@code file} made absolute
     * @throws ConfigException {@link ConfigException.Kind#PARSE} for an unreadable file, bad
     *                         YAML, unknown keys, wrong types or duplicate keys;
     *                         {@link ConfigException.Kind#SEMANTIC} for broken rules across values
     */
    public static Config load(Path file, Options options) throws ConfigException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Parses and validates YAML text; errors name {@code fileName}.
     *
     * @throws ConfigException as {@link #load}
     */
    public static Config parse(String yaml, String fileName, Options options) throws ConfigException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
