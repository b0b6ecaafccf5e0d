package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vppmaglev.proto.BackendState;
import dev.vppmaglev.proto.GetBackendRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JLine shell without a tty: a stream terminal fed key by key, against the fake daemon over
 * loopback gRPC. Proves Tab completion of live names, {@code ?} help, prefix commands, Ctrl-C,
 * Ctrl-D, {@code watch events} stopped by a key, history, and that the shell prints the same
 * bytes as one-shot mode.
 */
class ShellTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private FakeServer server;
    private PipedOutputStream keys;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private Terminal terminal;
    private Thread thread;
    private volatile int status = -1;
    private Attributes original;
    @TempDir
    Path home;

    @BeforeEach
    void start() throws IOException {
        server = FakeServer.tcp(new FakeMaglev(Cli.NOW));
        keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 64 * 1024);
        // The exec provider gives an ExternalTerminal, which emulates the line discipline (Ctrl-C
        // raises INT); the ffm provider would open a pty whose SIGINT reaches no process.
        terminal = TerminalBuilder.builder().system(false).provider("exec").streams(in, screen).type("xterm")
                .size(new org.jline.terminal.Size(160, 50)).build();
        // Output processing off: the bytes maglevc writes reach the screen unchanged (no \r added).
        Attributes a = terminal.getAttributes();
        a.setOutputFlags(EnumSet.of(Attributes.OutputFlag.OPOST), false);
        terminal.setAttributes(a);
        original = terminal.getAttributes();
        Connection connection = new Connection(ServerAddress.parse(server.address()), TlsSettings.PLAINTEXT, Main.DEADLINE);
        Shell shell = new Shell(terminal, connection, Style.PLAIN, false, Cli.CLOCK, home.resolve(".maglevc_history"));
        thread = Thread.ofPlatform().name("shell-under-test").start(() -> {
            try {
                status = shell.run();
            } finally {
                connection.close();
            }
        });
        awaitScreen("maglev@" + server.address() + "> ");
    }

    @AfterEach
    void stop() throws Exception {
        if (thread.isAlive()) {
            type("\u0015\u0004"); // Ctrl-U empties the line, Ctrl-D on an empty line leaves

            thread.join(WAIT.toMillis());
        }
        terminal.close();
        server.close();
    }

    private void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    /** The screen without ANSI escapes and carriage-return redraws. */
    private String plain() {
        return screen().replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replaceAll("\u001b[=>]", "");
    }

    private void awaitScreen(String text) {
        await().atMost(WAIT).until(() -> plain().contains(text));
    }

    private int prompts() {
        return plain().split("maglev@", -1).length - 1;
    }

    private int mark() {
        return screen.size();
    }

    private String since(int mark) {
        return screen().substring(mark);
    }

    @Test
    void bannerNamesBothVersionsAndThePromptNamesTheServer() {
        assertThat(plain()).contains("maglevc " + Version.maglevc() + ", maglevd 1.0.2 at " + server.address());
    }

    @Test
    void tabCompletesKeywordsAndLiveBackendNames() throws Exception {
        type("se\tba\tnginx\t");
        awaitScreen("nginx0");
        assertThat(plain()).contains("set backend nginx").contains("backend 10.0.0.2 down");
        type("1 pa\t\r");
        awaitScreen("backend nginx1: state paused, enabled");
        try (Connection c = new Connection(ServerAddress.parse(server.address()), TlsSettings.PLAINTEXT, Main.DEADLINE)) {
            assertThat(c.blocking().getBackend(GetBackendRequest.newBuilder().setName("nginx1").build()).getState())
                    .isEqualTo(BackendState.BACKEND_STATE_PAUSED);
        }
    }

    @Test
    void tabCompletesPoolsOfTheFrontendTypedBefore() throws Exception {
        type("set frontend web pool f\t");
        awaitScreen("set frontend web pool fallback ");
    }

    @Test
    void questionMarkEchoesTheLineListsCandidatesAndIsNotInserted() throws Exception {
        type("show vpp lb ?");
        awaitScreen("state     show the VIPs and application servers programmed in VPP");
        assertThat(plain()).contains("show vpp lb ?\n  counters  show the lb plugin's per-VIP packet and FIB counters\n");
        int m = mark();
        type("state\r");
        awaitScreen("conf  ip4-src 192.0.2.254");
        assertThat(since(m)).doesNotContain("unknown word");
    }

    @Test
    void questionMarkOnASlotListsTheLiveNames() throws Exception {
        type("show backend ?");
        awaitScreen("<backend>  name of a backend (nginx0, nginx1, nginx2, nginx3, dns0, dns1)");
    }

    @Test
    void commandsByPrefixPrintTheSameBytesAsOneShot() throws Exception {
        int m = mark();
        type("sh ba\r");
        String oneShot = Cli.oneShot(server, "show", "backends").out();
        await().atMost(WAIT).until(() -> since(m).contains(oneShot));
        int m2 = mark();
        type("sh fr web\r");
        String frontend = Cli.oneShot(server, "show", "frontend", "web").out();
        await().atMost(WAIT).until(() -> since(m2).contains(frontend));
    }

    @Test
    void errorsAreOneLineAndTheShellGoesOn() throws Exception {
        type("show backend nope\r");
        awaitScreen("backend \"nope\" not found\n");
        type("sh fronted\r");
        awaitScreen("unknown word \"fronted\" after \"show\"; expected one of:");
        type("sh ver\r");
        awaitScreen("maglevd-commit   70167439");
        assertThat(thread.isAlive()).isTrue();
    }

    @Test
    void ctrlCClearsTheLine() throws Exception {
        type("show garbage here");
        awaitScreen("show garbage here");
        int before = prompts();
        type("\u0003");
        await().atMost(WAIT).until(() -> prompts() > before);
        type("sh ver\r");
        awaitScreen("maglevd-commit   70167439");
        assertThat(plain()).doesNotContain("unknown word \"garbage\"");
    }

    @Test
    void watchEventsStreamsUntilAKeyThenReturnsToThePrompt() throws Exception {
        type("watch events\r");
        awaitScreen("frontend dns down -> up");
        await().atMost(WAIT).until(() -> server.service.watchers() == 1);
        server.service.emit(dev.vppmaglev.proto.Event.newBuilder().setTimeNs(server.service.ns(Cli.NOW.plusSeconds(5)))
                .setBackend(dev.vppmaglev.proto.BackendEvent.newBuilder().setName("nginx2")
                        .setFrom(BackendState.BACKEND_STATE_UP).setTo(BackendState.BACKEND_STATE_DOWN)
                        .setCode("L7STS").setDetail("HTTP 503"))
                .build());
        awaitScreen("2026-11-21 08:00:05.000 backend nginx2 up -> down code=L7STS detail=\"HTTP 503\"");
        type("x");
        await().atMost(WAIT).until(() -> server.service.watchers() == 0);
        int m = mark();
        type("sh ver\r");
        awaitScreen("maglevd-commit");
        assertThat(since(m)).as("the key that stopped the watch is not typed").doesNotContain("xsh ver");
    }

    @Test
    void watchEventsStopsOnCtrlC() throws Exception {
        type("watch events frontend\r");
        awaitScreen("frontend dns down -> up");
        type("\u0003");
        await().atMost(WAIT).until(() -> server.service.watchers() == 0);
        type("sh ver\r");
        awaitScreen("maglevd-commit");
        assertThat(thread.isAlive()).isTrue();
    }

    @Test
    void watchEventsWithNumReturnsByItself() throws Exception {
        type("watch events num 2\r");
        awaitScreen("frontend web6 up");
        type("sh ver\r");
        awaitScreen("maglevd-commit");
    }

    @Test
    void ctrlDLeavesAndTheHistoryIsSaved() throws Exception {
        type("sh fr\r");
        awaitScreen("UP/TOTAL");
        type("\u0004");
        thread.join(WAIT.toMillis());
        assertThat(thread.isAlive()).isFalse();
        assertThat(status).isZero();
        assertThat(terminal.getAttributes().toString()).as("terminal restored").isEqualTo(original.toString());
        assertThat(Files.readString(home.resolve(".maglevc_history"))).contains("sh fr");
    }

    @Test
    void quitLeaves() throws Exception {
        type("q\r");
        thread.join(WAIT.toMillis());
        assertThat(thread.isAlive()).isFalse();
        assertThat(status).isZero();
    }
}
