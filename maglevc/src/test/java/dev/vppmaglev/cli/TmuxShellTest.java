package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell on a real terminal: tmux (own server socket, {@code tmux -L}) runs bash, bash runs
 * maglevc against the fake daemon in this JVM; keys go in with send-keys and the screen comes
 * back with capture-pane. Proves Tab completion of a backend name, {@code ?} help, a command by
 * prefix, {@code watch events} stopped by a key, and Ctrl-D leaving with the terminal restored
 * (stty sane again, typed characters echo).
 */
class TmuxShellTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private FakeServer server;
    private final String socket = "maglevc-test-" + UUID.randomUUID();
    @TempDir
    Path home;

    @BeforeEach
    void start() throws Exception {
        server = FakeServer.tcp(new FakeMaglev(Cli.NOW));
        tmux("new-session", "-d", "-s", "t", "-x", "150", "-y", "60",
                "env -i PATH=/usr/bin:/bin HOME=" + home + " HISTFILE=/dev/null TERM=xterm-256color bash --norc --noprofile");
        tmux("send-keys", "-t", "t", "PS1='bash$ '; clear", "Enter");
        awaitScreen(s -> s.contains("bash$"));
        Path run = home.resolve("maglevc.sh");
        Files.writeString(run, "exec " + shellCommand() + "\n");
        tmux("send-keys", "-t", "t", "sh " + run, "Enter");
        awaitScreen(s -> s.contains("maglev@" + server.address() + ">"));
        assertThat(screen()).as("nothing but the banner before the prompt").doesNotContain("WARNING");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            tmux("kill-server");
        } finally {
            server.close();
        }
    }

    private String shellCommand() {
        List<String> cmd = Processes.maglevc("--server", server.address());
        List<String> quoted = new ArrayList<>();
        for (String c : cmd) {
            quoted.add("'" + c.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int status = p.waitFor();
        if (status != 0 && !args[0].equals("kill-server")) {
            throw new AssertionError(String.join(" ", cmd) + " -> " + status + ": " + out);
        }
        return out;
    }

    private String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", "t", "-S", "-200");
    }

    private interface ScreenCheck {
        boolean test(String screen);
    }

    private void awaitScreen(ScreenCheck check) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> check.test(screen()));
    }

    private void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    @Test
    void tabCompletesABackendNameFromTheDaemon() throws Exception {
        keys("show backend dn", "Tab");
        awaitScreen(s -> s.contains("show backend dns"));
        keys("Tab");
        awaitScreen(s -> s.contains("dns0") && s.contains("dns1"));
        keys("1", "Enter");
        awaitScreen(s -> s.contains("healthcheck  dns-tcp") && s.contains("name         dns1"));
    }

    @Test
    void questionMarkShowsHelpAndKeepsTheLine() throws Exception {
        keys("show vpp ?");
        awaitScreen(s -> Pattern.compile("show vpp \\?\\n  info +show VPP's version").matcher(s).find());
        assertThat(screen()).contains("  lb    show the lb plugin's VIPs, application servers or counters");
        keys("info", "Enter");
        awaitScreen(s -> s.contains("vpp-pid       4242"));
    }

    @Test
    void aCommandByPrefix() throws Exception {
        keys("sh fr", "Enter");
        awaitScreen(s -> s.contains("NAME  ADDRESS      PROTO  PORT  STATE  ACTIVE-POOL  UP/TOTAL")
                && s.contains("dns   192.0.2.53   udp    53    down   main         0/2"));
    }

    @Test
    void watchEventsStopsOnAKey() throws Exception {
        keys("watch events", "Enter");
        awaitScreen(s -> s.contains("frontend dns down -> up"));
        await().atMost(WAIT).until(() -> server.service.watchers() == 1);
        keys("q");
        await().atMost(WAIT).until(() -> server.service.watchers() == 0);
        keys("sh ver", "Enter");
        awaitScreen(s -> s.contains("maglevd-commit   70167439"));
        assertThat(screen()).doesNotContain("qsh ver");
    }

    @Test
    void ctrlDLeavesWithTheTerminalRestored() throws Exception {
        keys("sh ver", "Enter");
        awaitScreen(s -> s.contains("maglevd-commit"));
        keys("C-d");
        awaitScreen(s -> s.strip().endsWith("bash$"));
        keys("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e isig -e icrnl -e opost | sort | tr '\\n' ,", "Enter");
        awaitScreen(s -> s.contains("echo,icanon,icrnl,isig,opost,"));
        keys("echo typed-and-echoed", "Enter");
        awaitScreen(s -> s.contains("bash$ echo typed-and-echoed\ntyped-and-echoed"));
        // the history went to $HOME, not to the password file's home directory
        assertThat(Files.readString(home.resolve(".maglevc_history"))).contains("sh ver");
    }
}
