package dev.vppmaglev.daemon.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.config.faults.CorpusVerdicts;
import dev.vppmaglev.config.faults.HostileYamlCorpus;
import dev.vppmaglev.config.faults.HostileYamlCorpus.Entry;
import dev.vppmaglev.daemon.BuildInfo;
import dev.vppmaglev.daemon.ConfigManager;
import dev.vppmaglev.daemon.Main;
import dev.vppmaglev.daemon.VppControl;
import dev.vppmaglev.daemon.events.EventHub;
import dev.vppmaglev.daemon.grpc.MaglevService;
import dev.vppmaglev.daemon.logging.LogLevel;
import dev.vppmaglev.daemon.logging.Logging;
import dev.vppmaglev.daemon.logging.SlogEncoder;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.BackendTransition;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.HealthListener;
import dev.vppmaglev.health.NetProber;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.ReloadConfigRequest;
import dev.vppmaglev.proto.ReloadConfigResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus ({@link HostileYamlCorpus}, 1,210 files from a seed) through the daemon's
 * two config surfaces, every file through both:
 * <ol>
 *   <li>{@code maglevd --check} ({@link Main#run} in this JVM): exit 1 or 2 with one
 *       {@code file:line:col: rule: message} line per error and a summary line that counts them,
 *       nothing on stdout, no stack trace; exit 0 ({@code ok (...)}) only for a random mutation
 *       that stayed valid;</li>
 *   <li>a reload ({@link ConfigManager#reload}, the path SIGHUP and the ReloadConfig RPC take) of
 *       the same file on a daemon whose checker is probing two real loopback HTTP backends, one
 *       of them paused by the operator: refused with exactly the errors {@code --check} printed,
 *       {@code config-reload-failed} logged, and nothing changes: the same config object, the
 *       same backend states and operator state, no transition and no apply in the whole run.
 *       A sample also goes through the ReloadConfig RPC.</li>
 * </ol>
 * Each file runs on a worker with a deadline of {@link #PER_FILE_LIMIT_S} s: a hang fails the test
 * instead of the build. The seed is {@code -Dmaglev.faults.seed} and is in every failure message.
 */
class ConfigCorpusTest {
    static final long PER_FILE_LIMIT_S = 10;
    private static final Pattern SUMMARY = Pattern.compile("^(.+): (\\d+) (parse|semantic) errors?$");

    @TempDir
    Path dir;

    @Test
    void everyHostileFileIsRefusedByCheckAndByReloadWithoutChangingTheRunningDaemon() throws Exception {
        long seed = HostileYamlCorpus.seed();
        List<Entry> corpus = HostileYamlCorpus.generate(seed, HostileYamlCorpus.example());
        Path config = dir.resolve("maglev.yaml");
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("corpus").unstarted(r));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        NetProber prober = NetProber.create("faults-test");
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        LineCounter logs = new LineCounter();
        Logging logging = Logging.configure(LogLevel.INFO, SlogEncoder.Format.JSON, logs);
        HttpPair backends = HttpPair.start();
        Server server = null;
        ManagedChannel channel = null;
        try {
            // A running daemon: checker probing real backends, config manager, gRPC service.
            String base = baseConfig(backends.port());
            Files.writeString(config, base);
            Checker checker = new Checker(prober, timer, InstantSource.system(), new Random(seed));
            ConfigManager configs = new ConfigManager(config, ConfigLoader.Options.DEFAULTS);
            configs.onApply(checker::apply);
            AtomicInteger applied = new AtomicInteger();
            List<BackendTransition> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
            checker.addListener(new HealthListener() {
                @Override
                public void onConfigApplied(Config c) {
                    applied.incrementAndGet();
                }

                @Override
                public void onBackendTransition(BackendTransition t) {
                    transitions.add(t);
                }
            });
            checker.apply(configs.loadInitial());
            await().atMost(Duration.ofSeconds(20)).until(() -> checker.state("a") == BackendState.UP
                    && checker.state("b") == BackendState.UP);
            checker.pause("b");
            EventHub hub = new EventHub(logging::subscriberDemand);
            MaglevService service = new MaglevService(checker, configs, new VppControl.Disabled(), hub, logging,
                    new BuildInfo("test", "test", "test"), Instant.now(), handlers);
            String name = InProcessServerBuilder.generateName();
            server = InProcessServerBuilder.forName(name).addService(service).executor(handlers).build().start();
            channel = InProcessChannelBuilder.forName(name).build();
            MaglevGrpc.MaglevBlockingStub stub = MaglevGrpc.newBlockingStub(channel);

            Config running = checker.config();
            Config current = configs.current();
            Map<String, BackendState> states = checker.backendStates();
            int appliedBefore = applied.get();
            int transitionsBefore = transitions.size();
            assertThat(states).containsExactly(Map.entry("a", BackendState.UP), Map.entry("b", BackendState.PAUSED));

            long[] checkTimes = new long[corpus.size()];
            long[] reloadTimes = new long[corpus.size()];
            int accepted = 0;
            int refused = 0;
            int viaRpc = 0;
            List<Entry> sample = HostileYamlCorpus.sample(corpus, 2);
            for (int i = 0; i < corpus.size(); i++) {
                Entry e = corpus.get(i);
                String who = e + " (seed " + seed + ")";
                Files.deleteIfExists(config);
                e.writeTo(dir);
                Files.move(dir.resolve(e.name()), config);

                // 1. maglevd --check
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                long start = System.nanoTime();
                int exit = deadline(worker, who + " --check", () -> Main.run(
                        new String[] {"--check", "--config", config.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
                checkTimes[i] = System.nanoTime() - start;
                String stdout = out.toString(StandardCharsets.UTF_8);
                String stderr = err.toString(StandardCharsets.UTF_8);
                assertThat(stderr).as("%s: no stack trace", who).doesNotContain("\tat ").doesNotContain("Exception");
                if (exit == 0) {
                    assertThat(e.mayBeValid()).as("%s: --check said ok: %s", who, stdout).isTrue();
                    assertThat(stdout).as(who).startsWith(config + ": ok (");
                    assertThat(stderr).as(who).isEmpty();
                    accepted++;
                    continue;
                }
                refused++;
                assertThat(exit).as("%s: exit, stderr %s", who, stderr).isIn(1, 2);
                assertThat(stdout).as("%s: nothing on stdout", who).isEmpty();
                List<String> lines = stderr.lines().toList();
                Matcher summary = SUMMARY.matcher(lines.getLast());
                assertThat(summary.matches()).as("%s: summary line, got %s", who, lines.getLast()).isTrue();
                List<String> errors = lines.subList(0, lines.size() - 1);
                assertThat(summary.group(1)).isEqualTo(config.toString());
                assertThat(Integer.parseInt(summary.group(2))).as("%s: summary counts the errors", who)
                        .isEqualTo(errors.size());
                assertThat(summary.group(3)).as(who).isEqualTo(exit == 1 ? "parse" : "semantic");
                CorpusVerdicts.assertClearRefusal(e, config.toString(), exit == 1, errors, seed);

                // 2. the same file as a reload of the running daemon
                start = System.nanoTime();
                ConfigManager.Outcome o = deadline(worker, who + " reload", () -> configs.reload("corpus"));
                reloadTimes[i] = System.nanoTime() - start;
                assertThat(o.ok()).as("%s: reload refused", who).isFalse();
                String reloadErrors = exit == 1 ? o.parseError() : o.semanticError();
                assertThat(exit == 1 ? o.semanticError() : o.parseError()).as(who).isEmpty();
                assertThat(reloadErrors).as("%s: reload gives the errors --check printed", who)
                        .isEqualTo(String.join("\n", errors));
                if (sample.contains(e)) {
                    viaRpc++;
                    ReloadConfigResponse r = stub.reloadConfig(ReloadConfigRequest.getDefaultInstance());
                    assertThat(r.getOk()).as(who).isFalse();
                    assertThat(exit == 1 ? r.getParseError() : r.getSemanticError())
                            .as("%s: the RPC gives the same errors", who).isEqualTo(String.join("\n", errors));
                }
                assertThat(checker.config()).as("%s: the running config is the same object", who).isSameAs(running);
                assertThat(configs.current()).as(who).isSameAs(current);
            }

            assertThat(applied.get()).as("no refused reload applied anything").isEqualTo(appliedBefore);
            assertThat(transitions).as("no backend changed state").hasSize(transitionsBefore);
            assertThat(checker.backendStates()).isEqualTo(states);
            assertThat(checker.status("b").enabled()).isTrue();
            assertThat(logs.count("config-reload-failed")).as("every refused reload is logged")
                    .isEqualTo(refused + viaRpc);
            assertThat(refused).as("refused files").isGreaterThanOrEqualTo(1000);

            // The reload path itself still works: the good file comes back and is applied.
            Files.writeString(config, base.replace("weight: 50", "weight: 60"));
            ConfigManager.Outcome ok = configs.reload("corpus");
            assertThat(ok.ok()).as("%s", ok).isTrue();
            assertThat(applied.get()).isEqualTo(appliedBefore + 1);
            assertThat(checker.backendStates()).as("operator state survives a good reload").isEqualTo(states);

            System.out.printf(Locale.ROOT, "FIGURE config-corpus (maglevd): seed %d, %d files: %d refused, %d accepted "
                            + "(random mutations that stayed valid)%n", seed, corpus.size(), refused, accepted);
            System.out.println("FIGURE   --check (Main.run): " + summary(checkTimes));
            System.out.println("FIGURE   reload (ConfigManager): " + summary(reloadTimes));
            System.out.printf(Locale.ROOT, "FIGURE   running config unchanged, 0 applies, 0 transitions; %d via the "
                    + "ReloadConfig RPC too%n", viaRpc);
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            if (server != null) {
                server.shutdownNow();
            }
            worker.shutdownNow();
            timer.shutdownNow();
            handlers.shutdownNow();
            prober.close();
            backends.close();
        }
    }

    private static <T> T deadline(ExecutorService worker, String what, Callable<T> task) throws Exception {
        var f = worker.submit(task);
        try {
            return f.get(PER_FILE_LIMIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException t) {
            f.cancel(true);
            throw new AssertionError(what + " took more than " + PER_FILE_LIMIT_S + " s");
        } catch (ExecutionException x) {
            throw new AssertionError(what + " escaped as " + x.getCause(), x.getCause());
        }
    }

    private static String summary(long[] nanos) {
        long[] sorted = Arrays.stream(nanos).filter(n -> n > 0).sorted().toArray();
        return String.format(Locale.ROOT, "%d files, total %s, median %s, p99 %s, max %s", sorted.length,
                CorpusVerdicts.ms(Arrays.stream(sorted).sum()), CorpusVerdicts.ms(sorted[sorted.length / 2]),
                CorpusVerdicts.ms(sorted[sorted.length * 99 / 100]), CorpusVerdicts.ms(sorted[sorted.length - 1]));
    }

    private static String baseConfig(int port) {
        return """
                maglev:
                  vpp:
                    lb:
                      ipv4-src-address: 192.0.2.254
                      startup-min-delay: 0
                      startup-max-delay: 0
                  healthchecks:
                    web:
                      type: http
                      port: %d
                      interval: 200ms
                      timeout: 2s
                      rise: 2
                      fall: 3
                      params: { path: /healthz, expect-body: "ok" }
                  backends:
                    a: { address: 127.0.0.1, healthcheck: web }
                    b: { address: 127.0.0.2, healthcheck: web }
                  frontends:
                    web:
                      address: 192.0.2.10
                      protocol: tcp
                      port: 80
                      pools:
                        - name: primary
                          backends: { a: {}, b: { weight: 50 } }
                """.formatted(port);
    }

    /** Two healthy HTTP backends on 127.0.0.1 and 127.0.0.2, same port. */
    record HttpPair(HttpServer one, HttpServer two) implements AutoCloseable {
        static HttpPair start() throws IOException {
            for (int attempt = 0; ; attempt++) {
                HttpServer one = serve(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                try {
                    HttpServer two = serve(new InetSocketAddress(InetAddress.getByName("127.0.0.2"),
                            one.getAddress().getPort()));
                    return new HttpPair(one, two);
                } catch (BindException e) {
                    one.stop(0);
                    if (attempt == 10) {
                        throw e;
                    }
                }
            }
        }

        private static HttpServer serve(InetSocketAddress at) throws IOException {
            HttpServer s = HttpServer.create(at, 0);
            s.createContext("/", ex -> {
                byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            s.start();
            return s;
        }

        int port() {
            return one.getAddress().getPort();
        }

        @Override
        public void close() {
            one.stop(0);
            two.stop(0);
        }
    }

    /** Counts JSON log lines by their {@code msg}, keeping nothing else. */
    static final class LineCounter extends OutputStream {
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private static final Pattern MSG = Pattern.compile("\"msg\":\"([^\"]+)\"");

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String l = line.toString(StandardCharsets.UTF_8);
                Matcher m = MSG.matcher(l.length() > 400 ? l.substring(0, 400) : l);
                if (m.find()) {
                    counts.merge(m.group(1), 1, Integer::sum);
                }
                line.reset();
            } else if (line.size() < 400) {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        synchronized int count(String msg) {
            return counts.getOrDefault(msg, 0);
        }
    }
}
