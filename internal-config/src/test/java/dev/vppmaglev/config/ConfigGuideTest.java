package dev.vppmaglev.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code docs/config-guide.md} stays accurate to the code: rules, messages, keys, example. */
class ConfigGuideTest {
    private static final Pattern RULE_ROW =
            Pattern.compile("^\\| `([a-z0-9-]+)` \\| ([^|]+?) \\| (.*) \\| `([^`]*)` \\|$");
    private static String guide;

    @BeforeAll
    static void readGuide() throws Exception {
        guide = Files.readString(Path.of(System.getProperty("maglev.top"), "docs", "config-guide.md"));
    }

    private record Row(String rule, String stage, String example) {}

    private static Map<String, Row> ruleTable() {
        String section = guide.substring(guide.indexOf("## Error rules"));
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            Matcher m = RULE_ROW.matcher(line);
            if (m.matches()) {
                assertThat(rows.put(m.group(1), new Row(m.group(1), m.group(2), m.group(4))))
                        .as("rule listed twice: " + m.group(1)).isNull();
            }
        }
        return rows;
    }

    @Test
    void theRuleTableListsEveryRuleWithItsStage() {
        Map<String, Row> rows = ruleTable();
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Rule.values()).map(Rule::id).toList());
        for (Rule r : Rule.values()) {
            String stage = rows.get(r.id()).stage();
            String expected = r.kind() == null ? "1 or 2"
                    : r.kind() == ConfigException.Kind.PARSE ? "1" : "2";
            assertThat(stage).as(r.id()).isEqualTo(expected);
        }
    }

    @Test
    void everyExampleMessageIsOneTheLoaderReallyGives() throws Exception {
        Map<String, List<String>> produced = new HashMap<>();
        for (Path file : BadConfigCorpusTest.corpus()) {
            try {
                ConfigLoader.load(file, ConfigLoader.Options.DEFAULTS);
            } catch (ConfigException e) {
                e.errors().forEach(err -> produced.computeIfAbsent(err.rule(), k -> new ArrayList<>())
                        .add(err.message()));
            }
        }
        // Not in the corpus: a missing file, and a hundred errors (see the robustness test).
        try {
            ConfigLoader.load(Path.of("/nonexistent/maglev.yaml"), ConfigLoader.Options.DEFAULTS);
        } catch (ConfigException e) {
            produced.put("read-error", List.of(e.errors().getFirst().message()));
        }
        produced.put("too-many-errors", List.of("50 more errors not shown; fix the ones above first"));

        for (Row row : ruleTable().values()) {
            String example = row.example();
            List<String> messages = produced.getOrDefault(row.rule(), List.of());
            if (example.contains("…")) {
                String[] parts = example.split("…", -1);
                assertThat(messages).as(row.rule()).anyMatch(msg -> msg.startsWith(parts[0])
                        && msg.endsWith(parts[parts.length - 1]));
            } else {
                assertThat(messages).as(row.rule()).contains(example);
            }
        }
    }

    @Test
    void everyKeyOfTheSchemaIsDocumented() {
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `([a-z0-9.<>-]+)` \\|", Pattern.MULTILINE).matcher(guide);
        while (m.find()) {
            documented.add(m.group(1));
        }
        List<String> keys = Stream.of(SchemaReader.HEALTHCHECKER_KEYS, SchemaReader.LB_KEYS,
                        SchemaReader.HEALTHCHECK_KEYS, SchemaReader.HTTP_KEYS, SchemaReader.TCP_KEYS,
                        SchemaReader.BACKEND_KEYS, SchemaReader.FRONTEND_KEYS, SchemaReader.POOL_KEYS)
                .flatMap(List::stream).distinct().collect(Collectors.toList());
        keys.add("backends.<name>.weight");
        assertThat(documented).containsAll(keys);
        for (String section : SchemaReader.MAGLEV_KEYS) {
            assertThat(guide).contains("`" + section + "`");
        }
    }

    @Test
    void theAnnotatedExampleLoadsAsDescribed() throws Exception {
        String after = guide.substring(guide.indexOf("## Full annotated example"));
        int start = after.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = after.substring(start, after.indexOf("```\n", start));
        Config c = ConfigLoader.parse(yaml, "config-guide.md", ConfigLoader.Options.DEFAULTS);
        assertThat(c.frontends()).containsOnlyKeys("web-v4", "dns-v4", "web-v6");
        HealthCheck https = c.healthchecks().get("https");
        assertThat(https.type()).isEqualTo(CheckType.HTTPS);
        assertThat(https.fastInterval()).as("merged from http").isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(((HttpParams) https.params()).serverName()).isEqualTo("www.example.com");
        assertThat(c.backends().get("nginx2-ams").enabled()).isFalse();
        assertThat(c.frontends().get("web-v6").protocol()).isEqualTo(Protocol.ANY);
    }
}
