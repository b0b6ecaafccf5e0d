package dev.vppmaglev.config.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.config.ConfigError;
import dev.vppmaglev.config.faults.HostileYamlCorpus.Entry;
import dev.vppmaglev.config.faults.HostileYamlCorpus.Stage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What "a clear error" means for a corpus entry, on every surface ({@code ConfigLoader},
 * {@code maglevd --check}, a refused reload): one place for the rule.
 */
public final class CorpusVerdicts {
    /** {@code file:line:col: rule: message}, the form every surface prints. */
    public static final Pattern ERROR_LINE = Pattern.compile("^(.+):(\\d+):(\\d+): ([a-z][a-z0-9-]*): (.+)$");
    /** Most errors one file may report: 100 and the {@code too-many-errors} line. */
    public static final int MAX_ERRORS = 101;
    /** What must never reach an operator. */
    private static final Pattern LEAK = Pattern.compile("Exception|\\bat [a-z]+\\.[a-zA-Z.]+\\(|java\\.|org\\.yaml|"
            + "snakeyaml|NullPointer|\\$[A-Z]");

    private CorpusVerdicts() {}

    /**
     * Checks one refused entry's errors: the form, positions inside the file, file order, the cap,
     * nothing leaked from inside the program, the stage, and the rule the damage implies.
     *
     * @param entry     the corpus entry
     * @param file      how the file was named to the loader
     * @param parse     whether the loader said parse ({@code --check} exit 1) rather than semantic (2)
     * @param errors    the errors as printed, one per line
     * @param seed      for failure messages
     */
    public static void assertClearRefusal(Entry entry, String file, boolean parse, List<String> errors, long seed) {
        String who = entry + " (seed " + seed + ")";
        assertThat(errors).as("%s: errors", who).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_ERRORS);
        long lines = entry.sparseSize() > 0 ? 1 : new String(entry.bytes(), StandardCharsets.ISO_8859_1)
                .chars().filter(c -> c == '\n').count() + 1;
        long previousLine = -1;
        long previousColumn = -1;
        for (String e : errors) {
            var m = ERROR_LINE.matcher(e);
            assertThat(m.matches()).as("%s: error form file:line:col: rule: message, got %s", who, e).isTrue();
            assertThat(m.group(1)).as("%s: names the file", who).isEqualTo(file);
            long line = Long.parseLong(m.group(2));
            long column = Long.parseLong(m.group(3));
            assertThat(line).as("%s: line inside the file: %s", who, e).isBetween(0L, lines);
            if (line == 0) {
                assertThat(column).as("%s: no column without a line: %s", who, e).isZero();
            }
            assertThat(line > previousLine || (line == previousLine && column >= previousColumn))
                    .as("%s: errors in file order, at %s", who, e).isTrue();
            previousLine = line;
            previousColumn = column;
            String message = m.group(5);
            assertThat(LEAK.matcher(message).find()).as("%s: internals in the message: %s", who, e).isFalse();
            assertThat(message.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\t'))
                    .as("%s: control characters printed raw: %s", who, e.replaceAll("\\p{Cntrl}", "\\\\x"))
                    .isTrue();
            assertThat(message.length()).as("%s: a message an operator can read: %.200s", who, e).isLessThan(1000);
        }
        if (entry.stage() != Stage.ANY) {
            assertThat(parse ? Stage.PARSE : Stage.SEMANTIC).as("%s: stage, errors %s", who, errors)
                    .isEqualTo(entry.stage());
        }
        if (entry.rule() != null) {
            assertThat(errors).as("%s: the rule broken is named", who)
                    .anyMatch(e -> e.contains(": " + entry.rule() + ": "));
        }
    }

    /** The errors of a {@link dev.vppmaglev.config.ConfigException} as the surfaces print them. */
    public static List<String> lines(List<ConfigError> errors) {
        return errors.stream().map(ConfigError::toString).toList();
    }

    /** {@code 12.3 ms} */
    public static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
