package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/maglevc as an operator runs it, after {@code package}: the shaded jar with the AOT cache
 * the build trained, against the fake daemon in this JVM.
 */
class BinMaglevcIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static FakeServer server;

    @BeforeAll
    static void start() {
        server = FakeServer.tcp(new FakeMaglev(Instant.now()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Processes.Result binMaglevc(List<String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env"));
        cmd.addAll(env);
        cmd.add(Processes.top().resolve("bin/maglevc").toString());
        cmd.addAll(List.of(args));
        return Processes.run(cmd, "", TIMEOUT);
    }

    @Test
    void oneShotAnswersAndExitStatuses() {
        Processes.Result ok = binMaglevc(List.of(), "--server", server.address(), "show", "frontends");
        assertThat(ok.err()).isEmpty();
        assertThat(ok.status()).isZero();
        assertThat(ok.out()).startsWith("NAME  ADDRESS").contains("web6  2001:db8::1  tcp    443");

        Processes.Result notFound = binMaglevc(List.of(), "--server", server.address(), "sh", "ba", "nope");
        assertThat(notFound.status()).isEqualTo(ExitStatus.SERVER_ERROR);
        assertThat(notFound.err()).isEqualTo("backend \"nope\" not found\n");

        Processes.Result usage = binMaglevc(List.of(), "--server", server.address(), "sh", "v");
        assertThat(usage.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(usage.err()).isEqualTo("ambiguous word \"v\" after \"show\"; could be: version, vpp\n");

        Processes.Result unreachable = binMaglevc(List.of("MAGLEV_SERVER=unix:/nonexistent.sock"), "show", "backends");
        assertThat(unreachable.status()).isEqualTo(ExitStatus.UNREACHABLE);
        assertThat(unreachable.err()).isEqualTo("cannot reach maglevd at unix:/nonexistent.sock: no such socket\n");
    }

    @Test
    void jsonAndVersion() {
        Processes.Result json = binMaglevc(List.of(), "--server", server.address(), "--json", "show", "vpp", "info");
        assertThat(json.status()).isZero();
        assertThat(json.out()).startsWith("{\n").contains("\"lbV2\": true").endsWith("}\n");
        assertThat(binMaglevc(List.of(), "--version").out()).isEqualTo("maglevc " + Version.maglevc() + "\n");
    }

    @Test
    void theAotCacheTheBuildTrainedIsUsed(@TempDir Path dir) throws Exception {
        Path aot = Processes.top().resolve("maglevc/target/maglevc.aot");
        assertThat(aot).as("the package phase trains it").exists();
        Path log = dir.resolve("classes.log");
        Processes.Result r = binMaglevc(List.of("MAGLEV_JAVA_OPTS=-Xlog:class+load=info:file=" + log),
                "--server", server.address(), "show", "frontends");
        assertThat(r.status()).isZero();
        assertThat(Files.readAllLines(log)).anySatisfy(line -> assertThat(line)
                .contains("dev.vppmaglev.cli.Main source: shared objects file"));
    }
}
