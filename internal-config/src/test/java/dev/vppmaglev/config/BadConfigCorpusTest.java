package dev.vppmaglev.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The bad-config corpus ({@code src/test/resources/bad/*.yaml}): each file breaks one rule (a few
 * break several, to prove that every error of the failing stage is reported in file order) and
 * starts with its expectations, one line each:
 * <pre># expect: parse|semantic LINE:COLUMN RULE</pre>
 * The loader must fail with exactly those errors, in that order, and that stage.
 */
class BadConfigCorpusTest {
    private static final Pattern EXPECT =
            Pattern.compile("# expect: (parse|semantic) (\\d+):(\\d+) ([a-z0-9-]+)");

    record Expected(ConfigException.Kind kind, int line, int column, String rule) {}

    static Path corpusDir() throws URISyntaxException {
        return Path.of(BadConfigCorpusTest.class.getResource("/bad").toURI());
    }

    static List<Path> corpus() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static List<Expected> expectations(Path file) throws IOException {
        // The header is ASCII; the rest of a bad file may not even be UTF-8.
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        List<Expected> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = EXPECT.matcher(line);
            if (!m.matches()) {
                break;
            }
            out.add(new Expected(m.group(1).equals("parse") ? ConfigException.Kind.PARSE
                    : ConfigException.Kind.SEMANTIC, Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), m.group(4)));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyBadFileFailsWithItsExpectedErrors() throws Exception {
        return corpus().stream().map(file -> DynamicTest.dynamicTest(
                file.getFileName().toString(), () -> assertFailsAsExpected(file)));
    }

    private static void assertFailsAsExpected(Path file) throws IOException {
        List<Expected> expected = expectations(file);
        assertThat(expected).as("expectation header of " + file.getFileName()).isNotEmpty();
        assertThat(expected).extracting(Expected::kind).as("one stage per file").containsOnly(
                expected.get(0).kind());
        try {
            Config c = ConfigLoader.load(file, ConfigLoader.Options.DEFAULTS);
            fail(file.getFileName() + " loaded but should fail: " + c);
        } catch (ConfigException e) {
            assertThat(e.kind()).as(file.getFileName() + ": stage\n" + e.getMessage())
                    .isEqualTo(expected.get(0).kind());
            assertThat(e.errors()).extracting(err -> err.line() + ":" + err.column() + " " + err.rule())
                    .as(file.getFileName() + ": errors\n" + e.getMessage())
                    .containsExactlyElementsOf(expected.stream()
                            .map(x -> x.line() + ":" + x.column() + " " + x.rule()).toList());
            for (ConfigError err : e.errors()) {
                assertThat(err.file()).isEqualTo(file.toString());
                assertThat(err.message()).isNotBlank().doesNotContain("Exception")
                        .doesNotContain("\n");
                assertThat(Rule.valueOf(err.rule().toUpperCase().replace('-', '_')).kind())
                        .as("the rule's documented stage").isEqualTo(e.kind());
            }
            assertThat(e.kind().exitCode()).isEqualTo(
                    e.kind() == ConfigException.Kind.PARSE ? 1 : 2);
        }
    }

    @Test
    void corpusIsLargeAndCoversEveryRule() throws Exception {
        List<Path> files = corpus();
        assertThat(files).hasSizeGreaterThanOrEqualTo(40);
        Set<String> covered = new TreeSet<>();
        for (Path f : files) {
            expectations(f).forEach(x -> covered.add(x.rule()));
        }
        // read-error needs a missing or unreadable file, too-many-errors over a hundred errors:
        // ConfigLoaderRobustnessTest covers both.
        Set<String> all = new TreeSet<>(Arrays.stream(Rule.values()).map(Rule::id).toList());
        all.remove(Rule.READ_ERROR.id());
        all.remove(Rule.TOO_MANY_ERRORS.id()); // needs > 100 errors: the robustness test
        assertThat(covered).containsAll(all);
        assertThat(all).as("no unknown rule names in the corpus").containsAll(covered);
    }

    @Test
    void theCorpusFilesAreBrokenOnlyWhereTheySay() throws Exception {
        // The base every corpus file starts from is valid: without the break, it loads.
        String base = Files.readString(corpusDir().resolve("weight-range.yaml"))
                .replace("weight: 150", "weight: 50");
        Config c = ConfigLoader.parse(base, "base.yaml", ConfigLoader.Options.DEFAULTS);
        assertThat(c.frontends()).containsOnlyKeys("web");
        assertThatThrownBy(() -> ConfigLoader.parse(base.replace("weight: 50", "weight: 101"),
                "base.yaml", ConfigLoader.Options.DEFAULTS))
                .isInstanceOf(ConfigException.class);
    }
}
