package dev.vppmaglev.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell in a real terminal (tmux: own server socket, send-keys, capture-pane)
 * against a running bin/maglevd with real loopback backends: Tab completes a backend name from
 * the daemon's live data, {@code ?} lists what may follow without touching the line, a command
 * runs by prefix, {@code watch events} shows a real transition and stops on a key, and Ctrl-D
 * leaves with the terminal restored.
 */
class ShellE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private final String socket = "maglev-e2e-" + UUID.randomUUID();
    private Backends backends;
    private HttpServer fra;
    private Programs.Maglevd daemon;

    @BeforeEach
    void start() throws Exception {
        backends = new Backends("127.0.0.2", "127.0.0.3");
        backends.start("127.0.0.2");
        fra = backends.start("127.0.0.3");
        Path cfg = dir.resolve("maglev.yaml");
        Files.writeString(cfg, """
                maglev:
                  healthchecks:
                    http:
                      type: http
                      port: %d
                      interval: 300ms
                      fast-interval: 100ms
                      timeout: 500ms
                      rise: 2
                      fall: 2
                  backends:
                    nginx0-ams: { address: 127.0.0.2, healthcheck: http }
                    nginx0-fra: { address: 127.0.0.3, healthcheck: http }
                  frontends:
                    web:
                      address: 192.0.2.1
                      protocol: tcp
                      port: 80
                      pools:
                        - name: primary
                          backends: { nginx0-ams: {}, nginx0-fra: {} }
                """.formatted(backends.port));
        daemon = new Programs.Maglevd(List.of("--config", cfg.toString(), "--grpc-addr", "127.0.0.1:0",
                "--metrics-addr", "", "--vpp-api-addr", ""));
        daemon.awaitStarted(Duration.ofSeconds(60));
        await().atMost(WAIT).until(() -> Programs.maglevc(daemon.server(), "show", "frontends").stdout()
                .contains("2/2"));

        tmux("new-session", "-d", "-s", "t", "-x", "150", "-y", "50",
                "env -i PATH=/usr/bin:/bin HOME=" + dir + " HISTFILE=/dev/null TERM=xterm-256color bash --norc --noprofile");
        keys("PS1='bash$ '; clear", "Enter");
        awaitScreen(s -> s.contains("bash$"));
        keys("'" + Programs.bin("maglevc") + "' --server " + daemon.server(), "Enter");
        awaitScreen(s -> s.contains(">") && s.contains("maglevd"));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            tmux("kill-server");
        } finally {
            if (daemon != null) {
                daemon.close();
            }
            backends.close();
        }
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
        return tmux("capture-pane", "-p", "-t", "t", "-S", "-300");
    }

    private void awaitScreen(Predicate<String> check) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(150)).until(() -> check.test(screen()));
    }

    private void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    @Test
    void anOperatorSession() throws Exception {
        // Tab completes a backend name from the daemon's live data, after a prefixed command.
        keys("sh ba nginx0-a", "Tab");
        awaitScreen(s -> s.contains("sh ba nginx0-ams"));
        keys("Enter");
        awaitScreen(s -> s.contains("address      127.0.0.2") || s.matches("(?s).*nginx0-ams\\s+127\\.0\\.0\\.2\\s+up.*"));

        // ? lists what may follow and leaves the line as it was.
        keys("show ?");
        awaitScreen(s -> s.contains("show ?") && s.contains("backends") && s.contains("frontends") && s.contains("vpp"));
        keys("C-u");

        // A command by prefix.
        keys("sh fr", "Enter");
        awaitScreen(s -> s.matches("(?s).*web\\s+192\\.0\\.2\\.1\\s+tcp\\s+80\\s+up\\s+primary\\s+2/2.*"));

        // watch events shows a real transition, then a key stops it and the prompt is back.
        keys("watch events backend", "Enter");
        Thread.sleep(500);
        fra.stop(0);
        awaitScreen(s -> s.contains("backend nginx0-fra up -> down"));
        keys("q");
        keys("sh ba", "Enter");
        awaitScreen(s -> s.matches("(?s).*nginx0-fra\\s+127\\.0\\.0\\.3\\s+down.*"));
        assertThat(screen()).doesNotContain("qsh ba");

        // Ctrl-D leaves; the terminal is back in cooked mode with echo.
        keys("C-d");
        awaitScreen(s -> s.strip().endsWith("bash$"));
        keys("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e isig -e icrnl -e opost | sort | tr '\\n' ,", "Enter");
        awaitScreen(s -> s.contains("echo,icanon,icrnl,isig,opost,"));
    }
}
