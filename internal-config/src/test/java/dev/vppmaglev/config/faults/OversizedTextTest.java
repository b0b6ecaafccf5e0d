package dev.vppmaglev.config.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vppmaglev.config.ConfigError;
import dev.vppmaglev.config.ConfigException;
import dev.vppmaglev.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/**
 * Three loader limits the hostile corpus showed missing:
 * <ul>
 *   <li>a 4 Mi character {@code description} used to load, and then no reply that carries it
 *       (GetFrontend, ListFrontends) fits gRPC's 4 MiB message limit, so {@code maglevc show
 *       frontends} fails: text values are capped at 4,096 characters;</li>
 *   <li>a single 4 Mi character word took SnakeYAML's reader 2 s (quadratic in the word): words
 *       over 64 Ki characters are refused before parsing;</li>
 *   <li>past 10,000 errors the loader kept only counts, so the error saying the walk was cut
 *       short (an alias bomb) was lost, and the 3 M messages it did not keep were still built
 *       (4 s): the limit is always kept, unkept messages are not built.</li>
 * </ul>
 */
class OversizedTextTest {
    private static final String BASE = """
            maglev:
              vpp:
                lb: { ipv4-src-address: 192.0.2.254 }
              healthchecks:
                hc: { type: tcp, port: 80, params: { send: "%s" } }
              backends:
                b: { address: 10.0.0.1, healthcheck: hc }
              frontends:
                web:
                  description: "%s"
                  address: 192.0.2.1
                  protocol: tcp
                  port: 80
                  pools: [ { name: p, backends: { b: {} } } ]
            """;

    private static ConfigException refused(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, "m.yaml", ConfigLoader.Options.DEFAULTS));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @Test
    void textUpToTheLimitLoads() throws Exception {
        String longest = "d".repeat(4096);
        var c = ConfigLoader.parse(BASE.formatted("PING", longest), "m.yaml", ConfigLoader.Options.DEFAULTS);
        assertThat(c.frontends().get("web").description()).hasSize(4096);
    }

    @Test
    void longerTextIsRefusedWhereItIsWritten() {
        ConfigException e = refused(BASE.formatted("P".repeat(5000), "\u00e9t\u00e9 ".repeat(1024 * 1024)));
        assertThat(e.kind()).isEqualTo(ConfigException.Kind.PARSE);
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "m.yaml:5:48: yaml-limit: healthchecks.hc.params.send: text of 5000 characters; "
                        + "values are at most 4096 characters",
                "m.yaml:10:20: yaml-limit: frontends.web.description: text of 4194304 characters; "
                        + "values are at most 4096 characters");
    }

    @Test
    void aVeryLongWordIsRefusedBeforeParsing() {
        ConfigException e = refused(BASE.formatted("PING", "x".repeat(8 * 1024 * 1024 - 1000)));
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "m.yaml:10:20: yaml-limit: a word of more than 65536 characters without a space or line break; "
                        + "no value is that long (is this the right file?)");
    }

    @Test
    void theLimitOfTheWalkIsReportedAfterTenThousandOtherErrors() {
        StringBuilder y = new StringBuilder("maglev:\n  backends: &big\n");
        for (int i = 0; i < 50_000; i++) {
            y.append("    b").append(i).append(": {}\n"); // two missing-key errors each
        }
        y.append("  frontends:\n");
        for (int i = 0; i < 45; i++) {
            y.append("    f").append(i).append(": *big\n"); // 50,000 unknown keys each
        }
        ConfigException e = refused(y.toString());
        assertThat(e.errors().getFirst().toString()).isEqualTo("m.yaml:0:0: yaml-limit: the document expands to "
                + "more than 2000000 values through aliases; write it out plainly");
        assertThat(e.errors().getLast().rule()).isEqualTo("too-many-errors");
    }
}
