package dev.vppmaglev.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken input: every case ends in a {@link ConfigException} with a clear error (no
 * other exception escapes). The {@link Timeout}s only guard against hangs; they are far above
 * what the cases take.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigLoaderRobustnessTest {
    private static final ConfigLoader.Options OPTIONS = ConfigLoader.Options.DEFAULTS;

    private static ConfigException parseFails(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, "x.yaml", OPTIONS));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e;
    }

    private static ConfigException loadFails(Path file) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(file, OPTIONS));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e;
    }

    private static void assertSingle(ConfigException e, ConfigException.Kind kind, int line,
                                     int column, String rule, String messagePart) {
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.line()).as("line").isEqualTo(line);
            assertThat(err.column()).as("column").isEqualTo(column);
            assertThat(err.rule()).isEqualTo(rule);
            assertThat(err.message()).contains(messagePart);
        });
    }

    @Test
    void aMissingFileIsAReadErrorWithoutPosition(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        ConfigException e = loadFails(file);
        assertSingle(e, ConfigException.Kind.PARSE, 0, 0, "read-error", "no such file");
        assertThat(e.getMessage()).isEqualTo(file + ": cannot read: no such file");
        assertThat(e.errors().getFirst().unreadable()).isTrue();
    }

    @Test
    void aDirectoryIsAReadError(@TempDir Path dir) {
        assertSingle(loadFails(dir), ConfigException.Kind.PARSE, 0, 0, "read-error", "directory");
    }

    @Test
    void anUnreadableFileIsAReadError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret.yaml");
        Files.writeString(file, "maglev: {}\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(file)).as("running as root reads anything").isFalse();
        assertSingle(loadFails(file), ConfigException.Kind.PARSE, 0, 0, "read-error",
                "permission denied");
    }

    @Test
    void aPathThroughAFileIsAReadError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        assertSingle(loadFails(file.resolve("maglev.yaml")), ConfigException.Kind.PARSE, 0, 0,
                "read-error", "Not a directory");
    }

    @Test
    void aFifoIsRefusedInsteadOfBlocking(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo.yaml");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeThat(p.waitFor()).as("mkfifo available").isZero();
        assertSingle(loadFails(fifo), ConfigException.Kind.PARSE, 0, 0, "read-error",
                "not a regular file");
    }

    @Test
    void emptyAndBlankFilesAskForMaglev(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.yaml");
        Files.write(empty, new byte[0]);
        assertSingle(loadFails(empty), ConfigException.Kind.PARSE, 1, 1, "missing-key", "empty");
        assertSingle(parseFails("\n\n   \n# just a comment\n"), ConfigException.Kind.PARSE, 1, 1,
                "missing-key", "maglev:");
    }

    @Test
    void aTopLevelThatIsNotAMapOrAMaglevThatIsNotAMap() {
        assertSingle(parseFails("hello\n"), ConfigException.Kind.PARSE, 1, 1, "wrong-type",
                "got \"hello\"");
        assertSingle(parseFails("maglev: [a, b]\n"), ConfigException.Kind.PARSE, 1, 9,
                "wrong-type", "expected a map of keys, got a list");
        assertSingle(parseFails("maglev: ~\n"), ConfigException.Kind.PARSE, 1, 1, "missing-key",
                "maglev has no value");
    }

    @Test
    void invalidUtf8PointsAtTheBadByte(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trunc.yaml");
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] text = ("maglev:\n  frontends:\n    f" + "x").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 2];
        System.arraycopy(text, 0, bytes, 0, text.length);
        System.arraycopy(euro, 0, bytes, text.length, 2); // a multi-byte sequence cut short
        Files.write(file, bytes);
        assertSingle(loadFails(file), ConfigException.Kind.PARSE, 3, 7, "bad-encoding",
                "invalid UTF-8");
    }

    @Test
    void aByteOrderMarkIsIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.yaml");
        Files.write(file, "\uFEFFmaglev: {}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigLoader.load(file, OPTIONS).frontends()).isEmpty();
    }

    @Test
    void binaryFilesAreRefused(@TempDir Path dir) throws Exception {
        Random r = new Random(1);
        for (int i = 0; i < 50; i++) {
            byte[] bytes = new byte[1 + r.nextInt(4096)];
            r.nextBytes(bytes);
            Path file = dir.resolve("bin" + i);
            Files.write(file, bytes);
            ConfigException e = loadFails(file);
            assertThat(e.kind()).isEqualTo(ConfigException.Kind.PARSE);
            assertThat(e.errors().getFirst().rule())
                    .isIn("bad-encoding", "yaml-syntax", "wrong-type", "missing-key");
        }
        // Valid UTF-8 but full of control characters: YAML refuses them, at the first one.
        ConfigException e = parseFails("maglev:\n  x: \u0001\u0002\u0003\n");
        assertSingle(e, ConfigException.Kind.PARSE, 2, 6, "yaml-syntax", "U+0001");
    }

    @Test
    void aHugeDocumentIsRefusedBeforeParsing() {
        StringBuilder y = new StringBuilder(YamlSource.MAX_CODE_POINTS + 64).append("maglev:\n");
        String line = "# " + "x".repeat(77) + "\n";
        while (y.length() <= YamlSource.MAX_CODE_POINTS) {
            y.append(line);
        }
        assertSingle(parseFails(y.toString()), ConfigException.Kind.PARSE, 0, 0, "yaml-limit",
                "more than " + YamlSource.MAX_CODE_POINTS + " characters");
    }

    @Test
    void aHugeFileIsRefusedWithoutReadingItAll(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.yaml");
        try (var ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'#'}), YamlSource.MAX_FILE_BYTES + 10);
        }
        assertSingle(loadFails(file), ConfigException.Kind.PARSE, 0, 0, "yaml-limit",
                "larger than");
    }

    @Test
    void theBillionLaughsAreRefusedAtTheAliasThatCrossesTheLimit() {
        StringBuilder y = new StringBuilder("maglev:\n  frontends:\n    lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            y.append("    lol").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                y.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            y.append("]\n");
        }
        // 9 aliases a line: the 51st alias is the 6th on line 9 (lol6's).
        ConfigException e = parseFails(y.toString());
        assertSingle(e, ConfigException.Kind.PARSE, 9, 1 + "    lol6: &l6 [".length() + 5 * 5,
                "yaml-limit", "more than 50 aliases");
    }

    @Test
    void fewAliasesToALargeMapAreWalkedWithinBounds() {
        StringBuilder y = new StringBuilder("maglev:\n  frontends:\n    f0: &f\n      address: 192.0.2.1\n      pools:\n        - name: p\n          backends:\n");
        for (int i = 0; i < 20_000; i++) {
            y.append("            b").append(i).append(": {}\n");
        }
        for (int i = 1; i <= 45; i++) {
            y.append("    f").append(i).append(": *f\n");
        }
        ConfigException e = parseFails(y.toString());
        // 46 frontends x 20,000 unknown backends, all on one VIP: capped, not 920,000 errors.
        assertThat(e.kind()).isEqualTo(ConfigException.Kind.SEMANTIC);
        assertThat(e.errors()).hasSize(Problems.MAX_REPORTED + 1);
        assertThat(e.errors().getLast().rule()).isEqualTo("too-many-errors");
        assertThat(e.errors().getLast().message()).endsWith("more errors not shown; fix the ones above first");
        assertThat(e.errors()).extracting(ConfigError::line).isSorted();
    }

    @Test
    void deepNestingIsRefusedWithoutAStackOverflow() {
        String deep = "maglev:\n  frontends: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
        ConfigException e = parseFails(deep);
        assertThat(e.kind()).isEqualTo(ConfigException.Kind.PARSE);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.rule()).isEqualTo("yaml-limit");
            assertThat(err.message()).contains("nested deeper than");
        });
        String deepMaps = "maglev:\n  frontends: " + "{a: ".repeat(10_000) + "1" + "}".repeat(10_000);
        assertThat(parseFails(deepMaps).errors().getFirst().rule()).isEqualTo("yaml-limit");
    }

    @Test
    void recursiveAliasesAndMergesTerminate() {
        ConfigException e = parseFails("maglev: &m\n  frontends: *m\n");
        assertThat(e.kind()).isEqualTo(ConfigException.Kind.PARSE);
        assertThat(e.errors()).extracting(ConfigError::rule).contains("unknown-key");

        ConfigException m = parseFails("maglev:\n  healthchecks:\n    h: &h\n      <<: *h\n      type: icmp\n");
        assertThat(m.errors()).extracting(ConfigError::rule).containsExactly("yaml-limit");
        assertThat(m.errors().getFirst().message()).contains("merge keys (<<) nested deeper");
    }

    @Test
    void moreThanAHundredErrorsAreCutShortInFileOrder() {
        StringBuilder y = new StringBuilder("maglev:\n  healthchecks:\n");
        for (int i = 0; i < 150; i++) {
            y.append("    h").append(i).append(": { type: icmp, rise: ").append(i % 2 == 0 ? "x" : "1.5").append(" }\n");
        }
        ConfigException e = parseFails(y.toString());
        assertThat(e.kind()).isEqualTo(ConfigException.Kind.PARSE);
        assertThat(e.errors()).hasSize(101);
        assertThat(e.errors().subList(0, 100)).extracting(ConfigError::rule).containsOnly("wrong-type");
        assertThat(e.errors().get(99).line()).isEqualTo(102);
        ConfigError last = e.errors().get(100);
        assertThat(last.rule()).isEqualTo("too-many-errors");
        assertThat(last.line()).as("where the first error left out is").isEqualTo(103);
        assertThat(last.message()).isEqualTo("50 more errors not shown; fix the ones above first");
    }

    @Test
    void yaml11SurprisesAreNotSilentlyAccepted() {
        // Octal, sexagesimal and on/off: each refused with the spelling to use.
        ConfigException e = parseFails("""
                maglev:
                  healthchecks:
                    h: { type: tcp, port: 010, interval: 1:30, rise: 1_0 }
                  backends:
                    b: { address: 10, healthcheck: h, enabled: on }
                """);
        assertThat(e.errors()).extracting(err -> err.line() + ":" + err.column() + " " + err.rule())
                .containsExactly("3:27 wrong-type", "3:42 bad-duration", "3:54 wrong-type",
                        "5:19 bad-address", "5:48 bad-boolean");
    }

    /**
     * Seeded mutations of a valid config (characters deleted, inserted, swapped, lines cut):
     * the loader must either accept the result or refuse it with positioned errors, never throw
     * anything else.
     */
    @Test
    void mutatedConfigsNeverEscapeAsOtherExceptions() throws Exception {
        String good = Files.readString(Path.of(
                ConfigLoaderRobustnessTest.class.getResource("/good/full.yaml").toURI()));
        String alphabet = ":-[]{}&*!|>'\"#%@`,?~ \n\t0123456789abcxyz.<=\\\u00e9\u0000";
        Random r = new Random(2024);
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder(good);
            int edits = 1 + r.nextInt(4);
            for (int k = 0; k < edits && !s.isEmpty(); k++) {
                int at = r.nextInt(s.length());
                switch (r.nextInt(4)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 2 -> s.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    default -> {
                        int end = s.indexOf("\n", at);
                        s.delete(at, end < 0 ? s.length() : end);
                    }
                }
            }
            String text = s.toString();
            long lines = text.lines().count() + 1;
            try {
                ConfigLoader.parse(text, "m.yaml", OPTIONS);
            } catch (ConfigException e) {
                refused++;
                for (ConfigError err : e.errors()) {
                    assertThat(err.message()).as(text).isNotBlank();
                    assertThat(err.line()).as(err.toString()).isBetween(0, (int) lines);
                    assertThat(err.column()).isNotNegative();
                }
            } catch (RuntimeException | Error t) {
                throw new AssertionError("unexpected " + t + " for:\n" + text, t);
            }
        }
        assertThat(refused).as("mutations mostly break the config").isGreaterThan(1000);
    }
}
