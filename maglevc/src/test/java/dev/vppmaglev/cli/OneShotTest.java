package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.ListFrontendsResponse;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.ListFrontendsRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-shot mode end to end against the fake daemon over loopback gRPC: exit statuses, error lines, JSON, colour. */
class OneShotTest {
    private FakeServer server;

    @BeforeEach
    void start() {
        server = FakeServer.tcp(new FakeMaglev(Cli.NOW));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void unknownNameIsOneLineWithoutGrpcBoilerplateAndStatus1() {
        Cli.Result r = Cli.oneShot(server, "show", "backend", "nope");
        assertThat(r.status()).isEqualTo(ExitStatus.SERVER_ERROR);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("backend \"nope\" not found\n");
    }

    @Test
    void refusedTransitionIsStatus1() {
        Cli.Result r = Cli.oneShot(server, "set", "backend", "nginx3", "pause");
        assertThat(r.status()).isEqualTo(ExitStatus.SERVER_ERROR);
        assertThat(r.err()).isEqualTo("backend \"nginx3\" is disabled; enable it first\n");
    }

    @Test
    void daemonSaysVppUnavailableIsAServerErrorNotUnreachable() {
        server.service.vppConnected(false);
        Cli.Result r = Cli.oneShot(server, "show", "vpp", "info");
        assertThat(r.status()).isEqualTo(ExitStatus.SERVER_ERROR);
        assertThat(r.err()).isEqualTo("VPP is not connected\n");
    }

    @Test
    void usageErrorsAreStatus2AndNeverReachTheDaemon() {
        int before = server.service.calls.get();
        Cli.Result r = Cli.oneShot(server, "sh", "fronted");
        assertThat(r.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(r.err()).isEqualTo("unknown word \"fronted\" after \"show\"; expected one of: backend, backends, "
                + "frontend, frontends, healthcheck, healthchecks, version, vpp\n");
        Cli.Result weight = Cli.oneShot(server, "set", "frontend", "web", "pool", "primary", "backend", "nginx0",
                "weight", "101");
        assertThat(weight.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(weight.err()).isEqualTo("<0-100> must be 0..100, got 101\n");
        Cli.Result quit = Cli.oneShot(server, "quit");
        assertThat(quit.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(quit.err()).isEqualTo("\"quit\" only works in the shell\n");
        assertThat(server.service.calls.get()).isEqualTo(before);
    }

    @Test
    void badFlagIsStatus2WithUsageHint() {
        Cli.Result r = Cli.oneShot(server, "--color=maybe", "show", "version");
        assertThat(r.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(r.err()).startsWith("bad value \"maybe\" for --color; expected true or false\nusage: maglevc ");
        assertThat(Cli.oneShot(server, "--frobnicate").err()).startsWith("unknown flag \"--frobnicate\"");
    }

    @Test
    void unreachableDaemonIsStatus3NamingTheAddress() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Cli.Result r = Cli.run("", Map.of(), false, "--server", "127.0.0.1:" + closed, "show", "frontends");
        assertThat(r.status()).isEqualTo(ExitStatus.UNREACHABLE);
        assertThat(r.err()).isEqualTo("cannot reach maglevd at 127.0.0.1:" + closed + ": connection refused\n");
    }

    @Test
    void missingUnixSocketIsStatus3(@TempDir Path dir) {
        Path socket = dir.resolve("none.sock");
        Cli.Result r = Cli.run("", Map.of(), false, "--server", "unix:" + socket, "show", "frontends");
        assertThat(r.status()).isEqualTo(ExitStatus.UNREACHABLE);
        assertThat(r.err()).isEqualTo("cannot reach maglevd at unix:" + socket + ": no such socket\n");
    }

    @Test
    void talksOverAUnixSocket(@TempDir Path dir) {
        try (FakeServer unix = FakeServer.unix(new FakeMaglev(Cli.NOW), dir.resolve("maglev.sock"))) {
            Cli.Result r = Cli.run("", Map.of(), false, "--server", unix.address(), "show", "frontends");
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).startsWith("NAME  ADDRESS").contains("web6  2001:db8::1");
        }
    }

    @Test
    void maglevServerEnvIsUsedAndTheFlagWins() {
        Map<String, String> env = new HashMap<>(Map.of("MAGLEV_SERVER", server.address()));
        assertThat(Cli.run("", env, false, "show", "frontends").out()).startsWith("NAME  ADDRESS");
        Cli.Result flag = Cli.run("", env, false, "--server", "unix:/nonexistent/x.sock", "show", "frontends");
        assertThat(flag.status()).isEqualTo(ExitStatus.UNREACHABLE);
        assertThat(flag.err()).contains("unix:/nonexistent/x.sock");
    }

    @Test
    void jsonIsOneProtobufDocumentThatParsesBack() throws Exception {
        Cli.Result r = Cli.oneShot(server, "--json", "show", "frontends");
        assertThat(r.status()).isZero();
        ListFrontendsResponse.Builder parsed = ListFrontendsResponse.newBuilder();
        JsonFormat.parser().merge(r.out(), parsed);
        try (Connection c = new Connection(ServerAddress.parse(server.address()), TlsSettings.PLAINTEXT, Duration.ofSeconds(10))) {
            MaglevGrpc.MaglevBlockingStub stub = c.blocking();
            assertThat(parsed.build()).isEqualTo(stub.listFrontends(ListFrontendsRequest.getDefaultInstance()));
        }
        assertThat(r.out()).contains("\"srcIpSticky\": false").endsWith("}\n");
        assertThat(Cli.oneShot(server, "show", "frontends", "--json").out()).isEqualTo(r.out());
    }

    @Test
    void jsonWatchPrintsOneCompactObjectPerEvent() throws Exception {
        Cli.Result r = Cli.oneShot(server, "--json", "watch", "events", "num", "4");
        assertThat(r.status()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        for (String line : lines) {
            assertThat(line).startsWith("{").endsWith("}").doesNotContain("\": ").doesNotContain(", \"");
            Event.Builder e = Event.newBuilder();
            JsonFormat.parser().merge(line, e);
            assertThat(e.getEventCase()).isNotEqualTo(Event.EventCase.EVENT_NOT_SET);
        }
        assertThat(lines.get(3)).contains("\"backend\":{\"name\":\"nginx1\"");
    }

    @Test
    void watchFiltersByKindAndLevelAndCancelsTheStreamAfterNum() {
        Cli.Result backend = Cli.oneShot(server, "watch", "events", "backend", "num", "1");
        assertThat(backend.out()).isEqualTo(
                "2026-11-21 08:00:01.500 backend nginx1 down -> up code=L7OK detail=\"HTTP 200\"\n");
        Cli.Result debug = Cli.oneShot(server, "watch", "events", "log", "level", "debug", "num", "2");
        assertThat(debug.out()).isEqualTo("""
                2026-11-21 08:00:01.501 log info backend-transition backend=nginx1 from=down to=up
                2026-11-21 08:00:01.502 log debug probe-done backend=nginx0 code=L7OK detail="HTTP 200 in 1.2ms"
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.service.watchers() == 0);
        assertThat(server.service.watchCancels.get()).isEqualTo(2);
    }

    @Test
    void configCheckAndReloadReportErrorsWithStatus1() {
        server.service.configError("maglev.yaml:12:5: unknown-reference: backend \"nginx9\" is not defined");
        Cli.Result check = Cli.oneShot(server, "config", "check");
        assertThat(check.status()).isEqualTo(ExitStatus.SERVER_ERROR);
        assertThat(check.out()).isEmpty();
        assertThat(check.err()).isEqualTo("""
                maglev.yaml:12:5: unknown-reference: backend "nginx9" is not defined
                config check failed
                """);
        Cli.Result reload = Cli.oneShot(server, "config", "reload");
        assertThat(reload.status()).isEqualTo(ExitStatus.SERVER_ERROR);
        assertThat(reload.err()).endsWith("config reload refused; the running config stays\n");
        server.service.configError("");
        assertThat(Cli.oneShot(server, "config", "reload").out()).isEqualTo("config reloaded\n");
    }

    @Test
    void actionsPrintTheNewState() {
        assertThat(Cli.oneShot(server, "set", "backend", "nginx0", "pause").out())
                .isEqualTo("backend nginx0: state paused, enabled\n");
        assertThat(Cli.oneShot(server, "set", "backend", "nginx0", "disable").out())
                .isEqualTo("backend nginx0: state disabled, disabled\n");
        assertThat(Cli.oneShot(server, "set", "backend", "nginx0", "enable").out())
                .isEqualTo("backend nginx0: state unknown, enabled\n");
        assertThat(Cli.oneShot(server, "se", "fr", "web", "po", "primary", "ba", "nginx1", "we", "0").out())
                .isEqualTo("frontend web pool primary backend nginx1: weight 0, effective 0\n");
        assertThat(Cli.oneShot(server, "set", "log", "level", "warn").out()).isEqualTo("log level warn (was info)\n");
        assertThat(Cli.oneShot(server, "sync", "vpp", "lb", "state", "web").out()).contains("as-weight-updated  1");
        Cli.Result missing = Cli.oneShot(server, "sync", "vpp", "lb", "state", "nope");
        assertThat(missing.err()).isEqualTo("frontend \"nope\" not found\n");
    }

    @Test
    void colourOnlyWhenAskedOnATerminalWithoutNoColor() {
        String[] cmd = {"--server", server.address(), "--color=true", "show", "backends"};
        assertThat(Cli.run("", Map.of(), true, cmd).out()).contains("\u001b[32mup\u001b[0m")
                .contains("\u001b[1;34mNAME\u001b[0m");
        assertThat(Cli.run("", Map.of(), false, cmd).out()).doesNotContain("\u001b");
        assertThat(Cli.run("", Map.of("NO_COLOR", "1"), true, cmd).out()).doesNotContain("\u001b");
        assertThat(Cli.run("", Map.of(), true, "--server", server.address(), "show", "backends").out())
                .as("one-shot default is off").doesNotContain("\u001b");
        Cli.Result err = Cli.run("", Map.of(), true, "--server", server.address(), "--color", "show", "backend", "x");
        assertThat(err.err()).isEqualTo("\u001b[31mbackend \"x\" not found\u001b[0m\n");
    }

    @Test
    void colouredTablesStayAligned() {
        String plain = Cli.oneShot(server, "show", "backends").out();
        String coloured = Cli.run("", Map.of(), true, "--server", server.address(), "--color=true", "show",
                "backends").out();
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(plain);
    }

    @Test
    void scriptOnStdinPrintsTheSameBytesAsOneShot() {
        String script = """
                # a comment
                show frontends

                sh ba nginx1
                show backend nope
                show vpp lb counters
                """;
        Cli.Result r = Cli.run(script, Map.of(), false, "--server", server.address());
        String expected = Cli.oneShot(server, "show", "frontends").out()
                + Cli.oneShot(server, "show", "backends", "nginx1").out()
                + Cli.oneShot(server, "show", "vpp", "lb", "counters").out();
        assertThat(r.out()).isEqualTo(expected);
        assertThat(r.err()).isEqualTo("backend \"nope\" not found\n");
        assertThat(r.status()).isEqualTo(ExitStatus.SERVER_ERROR);
    }

    @Test
    void helpAndVersionNeedNoDaemon() {
        Cli.Result help = Cli.run("", Map.of(), false, "--server", "unix:/nonexistent", "--help");
        assertThat(help.status()).isZero();
        for (CommandTree.Command c : Commands.tree().commands()) {
            if (!c.shellOnly()) {
                assertThat(help.out()).contains(c.synopsis());
            }
        }
        assertThat(help.out()).doesNotContain("\nquit");
        Cli.Result version = Cli.run("", Map.of(), false, "--version");
        assertThat(version.out()).isEqualTo("maglevc " + Version.maglevc() + "\n");
    }
}
