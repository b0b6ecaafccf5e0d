package dev.vppmaglev.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2's end-to-end walk: bin/maglevd as a process on a temp config with real loopback HTTP
 * backends, read with bin/maglevc as a process; a backend stops and the transition shows in
 * {@code watch events}, {@code show backends} and {@code /metrics}; the file is edited and SIGHUP
 * makes maglevd probe the new backend while the unchanged one keeps its state and history.
 */
class MaglevdE2ETest {
    @TempDir
    Path dir;

    private static String config(int port, boolean withC) {
        return """
                maglev:
                  healthchecks:
                    web:
                      type: http
                      port: %d
                      interval: 300ms
                      fast-interval: 100ms
                      down-interval: 300ms
                      timeout: 500ms
                      rise: 2
                      fall: 2
                      params: { path: /healthz }
                  backends:
                    a: { address: 127.0.0.2, healthcheck: web }
                    b: { address: 127.0.0.3, healthcheck: web }
                %s  frontends:
                    site:
                      address: 192.0.2.10
                      protocol: tcp
                      port: 80
                      pools:
                        - name: main
                          backends: { a: {}, b: { weight: 50 } }
                """.formatted(port, withC ? "    c: { address: 127.0.0.4, healthcheck: web }\n" : "");
    }


    /** The {@code lastTransitionNs} of {@code maglevc --json show backend NAME}. */
    private static String lastTransition(String server, String backend) throws Exception {
        Programs.Result r = Programs.maglevc(server, "--json", "show", "backend", backend);
        assertThat(r.exit()).as(r.stderr()).isZero();
        Matcher m = Pattern.compile("\"lastTransitionNs\": \"(\\d+)\"").matcher(r.stdout());
        assertThat(m.find()).as(r.stdout()).isTrue();
        return m.group(1);
    }

    @Test
    void probesReportsTransitionsAndReloadsOnSighup() throws Exception {
        try (Backends backends = new Backends("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
            backends.start("127.0.0.2");
            HttpServer b = backends.start("127.0.0.3");
            Path cfg = dir.resolve("maglev.yaml");
            Files.writeString(cfg, config(backends.port, false));

            try (Programs.Maglevd d = new Programs.Maglevd(List.of("--config", cfg.toString(),
                    "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--vpp-api-addr", ""))) {
                d.awaitStarted(Duration.ofSeconds(60));
                String server = d.server();

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    Programs.Result r = Programs.maglevc(server, "show", "backends");
                    assertThat(r.exit()).as(r.stderr()).isZero();
                    assertThat(r.stdout()).containsPattern("(?m)^a\\s+127\\.0\\.0\\.2\\s+up\\s")
                            .containsPattern("(?m)^b\\s+127\\.0\\.0\\.3\\s+up\\s");
                });
                String aSince = lastTransition(server, "a");

                // Watch backend and frontend events in a separate maglevc process; stop b.
                Process watch = new ProcessBuilder(Programs.bin("maglevc").toString(), "--server", server,
                        "watch", "events", "backend", "frontend").start();
                Programs.StreamCollector watched = new Programs.StreamCollector(watch.getInputStream());
                try {
                    // Subscribed once the frontend snapshot is printed: a later transition reaches it.
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(watched.text())
                            .containsPattern("frontend site up\\n"));
                    b.stop(0);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(watched.text())
                            .containsPattern("backend b up -> down code=L4CON"));
                } finally {
                    watch.destroy();
                    watch.waitFor();
                }
                Programs.Result shown = Programs.maglevc(server, "show", "backends");
                assertThat(shown.stdout()).containsPattern("(?m)^b\\s+127\\.0\\.0\\.3\\s+down\\s+0/3\\s+web\\s+L4CON");
                String m = d.metrics();
                assertThat(m).contains("maglev_backend_state{backend=\"b\"} 2.0")
                        .contains("maglev_backend_state{backend=\"a\"} 1.0")
                        .containsPattern("maglev_backend_transitions_total\\{backend=\"b\",from=\"up\",to=\"down\"\\} 1\\.0");

                // The frontend keeps working on a alone.
                Programs.Result fe = Programs.maglevc(server, "show", "frontends");
                assertThat(fe.stdout()).containsPattern("(?m)^site\\s+192\\.0\\.2\\.10\\s+tcp\\s+80\\s+up\\s+main\\s+1/2");

                // Edit the file, add c, SIGHUP.
                backends.start("127.0.0.4");
                Files.writeString(cfg, config(backends.port, true));
                d.signal("HUP");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                        assertThat(Programs.maglevc(server, "show", "backends").stdout())
                                .containsPattern("(?m)^c\\s+127\\.0\\.0\\.4\\s+up\\s"));
                assertThat(d.logLines(l -> l.contains("\"msg\":\"config-reload\"") && l.contains("\"trigger\":\"sighup\"")))
                        .as(d.out.text()).hasSize(1);
                // a's check did not change: same state, same last transition, no restart.
                assertThat(lastTransition(server, "a")).isEqualTo(aSince);
                Programs.Result a = Programs.maglevc(server, "show", "backend", "a");
                assertThat(a.stdout()).containsPattern("(?m)^state\\s+up").doesNotContain("restarted");

                // A watcher open at SIGTERM is told why its stream ended, in one line, and exits 1.
                Process last = new ProcessBuilder(Programs.bin("maglevc").toString(), "--server", server,
                        "watch", "events", "frontend").start();
                last.getOutputStream().close();
                Programs.StreamCollector lastOut = new Programs.StreamCollector(last.getInputStream());
                Programs.StreamCollector lastErr = new Programs.StreamCollector(last.getErrorStream());
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(lastOut.text())
                        .containsPattern("frontend site up\\n"));

                assertThat(d.stop()).isZero();
                assertThat(d.logLines(l -> l.contains("\"msg\":\"stopped\""))).as(d.out.text() + d.err.text()).hasSize(1);
                assertThat(last.waitFor(30, TimeUnit.SECONDS)).as("maglevc watch ends with the daemon").isTrue();
                lastErr.join();
                assertThat(lastErr.lines()).containsExactly("maglevd is shutting down");
                assertThat(last.exitValue()).isEqualTo(1);
            }
        }
    }

    @Test
    void aBadReloadKeepsTheRunningConfigAndSaysWhy() throws Exception {
        try (Backends backends = new Backends("127.0.0.2", "127.0.0.3")) {
            backends.start("127.0.0.2");
            backends.start("127.0.0.3");
            Path cfg = dir.resolve("maglev.yaml");
            Files.writeString(cfg, config(backends.port, false));
            try (Programs.Maglevd d = new Programs.Maglevd(List.of("--config", cfg.toString(),
                    "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "", "--vpp-api-addr", ""))) {
                d.awaitStarted(Duration.ofSeconds(60));
                Files.writeString(cfg, config(backends.port, false).replace("weight: 50", "weight: 500"));
                Programs.Result r = Programs.maglevc(d.server(), "config", "reload");
                assertThat(r.exit()).isEqualTo(1);
                assertThat(r.stdout() + r.stderr()).contains("maglev.yaml:").contains("weight-range")
                        .contains("500");
                d.signal("HUP");
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        d.logLines(l -> l.contains("config-reload-failed") && l.contains("sighup")).size() == 1);
                Programs.Result fe = Programs.maglevc(d.server(), "show", "frontend", "site");
                assertThat(fe.stdout()).containsPattern("b\\s+weight\\s+50");
            }
        }
    }

    @Test
    void underNohupItSaysSighupWillNotReloadAndTheRpcStillDoes() throws Exception {
        try (Backends backends = new Backends("127.0.0.2", "127.0.0.3")) {
            backends.start("127.0.0.2");
            backends.start("127.0.0.3");
            Path cfg = dir.resolve("maglev.yaml");
            Files.writeString(cfg, config(backends.port, false));
            // nohup starts maglevd with SIGHUP ignored; the JVM keeps it so.
            try (Programs.Maglevd d = new Programs.Maglevd(List.of("nohup"), List.of("--config", cfg.toString(),
                    "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "", "--vpp-api-addr", ""))) {
                d.awaitStarted(Duration.ofSeconds(60));
                assertThat(d.logLines(l -> l.contains("\"msg\":\"sighup-unavailable\"")))
                        .as(d.out.text()).singleElement().satisfies(l -> assertThat(l)
                                .contains("\"level\":\"WARN\"").contains("nohup").contains("maglevc config reload"));
                d.signal("HUP"); // ignored: neither a reload nor the end of maglevd
                Programs.Result r = Programs.maglevc(d.server(), "config", "reload");
                assertThat(r.exit()).as(r.stderr()).isZero();
                assertThat(d.logLines(l -> l.contains("\"msg\":\"config-reload\""))).as(d.out.text())
                        .singleElement().satisfies(l -> assertThat(l).doesNotContain("sighup"));
                assertThat(d.process.isAlive()).isTrue();
            }
        }
    }
}
