package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.ConfigException;
import dev.vppmaglev.config.ConfigLoader;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Configs from YAML text through the real loader, and address literals. */
final class TestConfigs {
    private TestConfigs() {}

    static Config parse(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "test.yaml", ConfigLoader.Options.DEFAULTS);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Header with both source addresses and one http check named "web". */
    static final String HEADER = """
            maglev:
              vpp:
                lb:
                  ipv4-src-address: 192.0.2.254
                  ipv6-src-address: 2001:db8::254
              healthchecks:
                web: { type: http, port: 80 }
            """;
}
