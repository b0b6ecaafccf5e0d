package dev.vppmaglev.vpp.lb;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vpp-lb-cli-parse-error}: a WARN once per distinct problem per quiet period, DEBUG in between. */
class CliParseWarningsTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(CliParseWarnings.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level level;

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
        logger.setLevel(level);
    }

    private static Object kv(ILoggingEvent e, String key) {
        return e.getKeyValuePairs().stream().filter(p -> p.key.equals(key)).findFirst().orElseThrow().value;
    }

    private List<Level> levels() {
        return logs.list.stream().map(ILoggingEvent::getLevel).toList();
    }

    @Test
    void theSameProblemOnOtherLinesWarnsOncePerQuietPeriod() {
        AtomicLong now = new AtomicLong();
        CliParseWarnings w = new CliParseWarnings(now::get);
        String head = "show lb vips verbose, line %d: expected ' <type> [<index>] <prefix>[ src_ip_sticky][ removed]', "
                + "got ' ip4-gre4 [%d] 192.0.2.%d/32 punt'";
        w.report("show lb vips verbose", List.of(head.formatted(1, 1, 1), head.formatted(14, 2, 2)), 2);
        now.addAndGet(CliParseWarnings.QUIET.toNanos() / 2);
        w.report("show lb vips verbose", List.of(head.formatted(27, 3, 3)), 1); // the table grew: same problem
        w.report("show lb vips verbose", List.of("show lb vips verbose, line 3: expected '  new_size:<n>', got 'x'"), 1);
        assertThat(levels()).containsExactly(Level.WARN, Level.DEBUG, Level.WARN);
        ILoggingEvent first = logs.list.getFirst();
        assertThat(first.getMessage()).isEqualTo("vpp-lb-cli-parse-error");
        assertThat(kv(first, "errors")).isEqualTo(2);
        assertThat(kv(first, "vips_unparsed")).isEqualTo("2");
        assertThat((String) kv(first, "error")).contains("line 1").contains("punt");

        now.addAndGet(CliParseWarnings.QUIET.toNanos());
        w.report("show lb vips verbose", List.of(head.formatted(40, 4, 4)), 1);
        assertThat(levels()).containsExactly(Level.WARN, Level.DEBUG, Level.WARN, Level.WARN);
        assertThat(kv(logs.list.getLast(), "suppressed_since_last")).as("the repeat in between").isEqualTo(1);
    }

    @Test
    void aRefusedCommandCountsAsTheWholeText() {
        CliParseWarnings w = new CliParseWarnings(() -> 0);
        w.report("show lb vips verbose", List.of("VPP refused the command: retval -1"), -1);
        assertThat(kv(logs.list.getFirst(), "vips_unparsed")).isEqualTo("all");
    }
}
