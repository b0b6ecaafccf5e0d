package dev.vppmaglev.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maglevd --check}: exit 0 / 1 (parse) / 2 (semantic), errors named by file:line:col. */
class CheckFlagTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(String yaml) throws Exception {
        Path f = dir.resolve("maglev.yaml");
        Files.writeString(f, yaml);
        return Main.run(new String[] {"--check", "--config", f.toString(), "--vpp-api-addr", ""},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void validConfigExitsZero() throws Exception {
        Path example = Path.of(System.getProperty("maglev.top", "..")).resolve("docs/examples/maglev.yaml");
        assertThat(check(Files.readString(example))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(": ok (3 healthchecks, 5 backends, 2 frontends)");
    }

    @Test
    void parseErrorExitsOneWithPosition() throws Exception {
        assertThat(check("maglev:\n  backendz: {}\n")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("maglev.yaml:2:3: unknown-key");
    }

    @Test
    void semanticErrorExitsTwoWithPosition() throws Exception {
        assertThat(check("""
                maglev:
                  healthchecks:
                    hc: { type: tcp, port: 80 }
                  backends:
                    a: { address: 10.0.0.1, healthcheck: nope }
                """)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("maglev.yaml:5:").contains("unknown-healthcheck");
    }

    @Test
    void aMissingFileSaysItCannotBeReadAndCountsNoParseErrors() {
        Path missing = dir.resolve("nope.yaml");
        int rc = Main.run(new String[] {"--check", "--config", missing.toString(), "--vpp-api-addr", ""},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(missing + ": cannot read: no such file\n");
    }

    @Test
    void badFlagIsAUsageError() {
        int rc = Main.run(new String[] {"--no-such-flag"}, new PrintStream(out), new PrintStream(err));
        assertThat(rc).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--no-such-flag");
    }
}
