package dev.vppmaglev.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class SlogEncoderTest {
    private static LoggingEvent event(String logger, Level level, String msg, List<KeyValuePair> kvs) {
        LoggerContext ctx = new LoggerContext();
        LoggingEvent e = new LoggingEvent("x", ctx.getLogger(logger), level, msg, null, null);
        e.setInstant(Instant.parse("2026-11-21T08:00:00.123456789Z"));
        kvs.forEach(e::addKeyValuePair);
        return e;
    }

    @Test
    void jsonLineHasSlogShapeWithTypedValues() {
        LoggingEvent e = event("dev.vppmaglev.health.Checker", Level.INFO, "backend-transition",
                List.of(new KeyValuePair("backend", "nginx0"), new KeyValuePair("to", "down"),
                        new KeyValuePair("counter", 1), new KeyValuePair("detail", "said \"no\"\n")));
        String line = new String(new SlogEncoder(SlogEncoder.Format.JSON).encode(e), StandardCharsets.UTF_8);
        assertThat(line).isEqualTo("{\"time\":\"2026-11-21T08:00:00.123456789Z\",\"level\":\"INFO\","
                + "\"msg\":\"backend-transition\",\"backend\":\"nginx0\",\"to\":\"down\",\"counter\":1,"
                + "\"detail\":\"said \\\"no\\\"\\n\"}\n");
    }

    @Test
    void textLineQuotesOnlyWhatNeedsIt() {
        LoggingEvent e = event("dev.vppmaglev.x", Level.DEBUG, "probe-done",
                List.of(new KeyValuePair("code", "L7STS"), new KeyValuePair("detail", "status 503, expected 200-399")));
        String line = new String(new SlogEncoder(SlogEncoder.Format.TEXT).encode(e), StandardCharsets.UTF_8);
        assertThat(line).isEqualTo("time=2026-11-21T08:00:00.123456789Z level=DEBUG msg=probe-done code=L7STS "
                + "detail=\"status 503, expected 200-399\"\n");
    }

    @Test
    void libraryRecordsNameTheirLogger() {
        LoggingEvent e = event("io.grpc.netty.Foo", Level.WARN, "something odd", List.of());
        String line = new String(new SlogEncoder(SlogEncoder.Format.JSON).encode(e), StandardCharsets.UTF_8);
        assertThat(line).contains("\"level\":\"WARN\"").contains("\"logger\":\"io.grpc.netty.Foo\"");
    }

    @Test
    void anErrorAttributeIsWrittenAsItIsUnlessAThrowableBringsItsOwn() {
        LoggingEvent plain = event("dev.vppmaglev.vpp.X", Level.WARN, "vpp-connect-failed",
                List.of(new KeyValuePair("error", "connection refused")));
        String line = new String(new SlogEncoder(SlogEncoder.Format.JSON).encode(plain), StandardCharsets.UTF_8);
        assertThat(line).contains("\"error\":\"connection refused\"").doesNotContain("attr_error");

        LoggingEvent thrown = event("dev.vppmaglev.vpp.X", Level.WARN, "vpp-connect-failed",
                List.of(new KeyValuePair("error", "connection refused")));
        thrown.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(new java.io.IOException("boom")));
        line = new String(new SlogEncoder(SlogEncoder.Format.JSON).encode(thrown), StandardCharsets.UTF_8);
        assertThat(line).contains("\"attr_error\":\"connection refused\"")
                .contains("\"error\":\"java.io.IOException: boom\"");
    }

    @Test
    void attributesNeverShadowTheRecordsOwnFields() {
        LoggingEvent e = event("dev.vppmaglev.vpp.X", Level.WARN, "vpp-api-timeout",
                List.of(new KeyValuePair("msg", "lb_conf"), new KeyValuePair("level", "x")));
        String line = new String(new SlogEncoder(SlogEncoder.Format.JSON).encode(e), StandardCharsets.UTF_8);
        assertThat(line).contains("\"msg\":\"vpp-api-timeout\"").contains("\"attr_msg\":\"lb_conf\"")
                .contains("\"attr_level\":\"x\"");
        assertThat(line.split("\"msg\":", -1)).hasSize(2);
    }

    @Test
    void errorsCarryTheirStackOnOneLine() {
        LoggerContext ctx = new LoggerContext();
        LoggingEvent e = new LoggingEvent("x", ctx.getLogger("dev.vppmaglev.x"), Level.ERROR, "grpc-internal-error",
                new IllegalStateException("boom", new java.io.IOException("disk")), null);
        e.setInstant(Instant.parse("2026-11-21T08:00:00Z"));
        String line = new String(new SlogEncoder(SlogEncoder.Format.JSON).encode(e), StandardCharsets.UTF_8);
        assertThat(line).contains("\"error\":\"java.lang.IllegalStateException: boom\"")
                .contains("\"stack\":\"dev.vppmaglev.daemon.logging.SlogEncoderTest.errorsCarryTheirStackOnOneLine(")
                .contains("caused by java.io.IOException: disk")
                .endsWith("}\n");
        assertThat(line.strip()).doesNotContain("\n");
    }
}
