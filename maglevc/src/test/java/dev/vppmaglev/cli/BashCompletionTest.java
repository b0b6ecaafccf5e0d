package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bash completion: the shipped script is the generated one, and real bash, sourcing it,
 * completes keywords, flags and the daemon's live names through {@code maglevc --complete}.
 */
class BashCompletionTest {
    private static FakeServer server;
    @TempDir
    static Path bin;

    @BeforeAll
    static void start() throws IOException {
        server = FakeServer.tcp(new FakeMaglev(Cli.NOW));
        List<String> cmd = Processes.maglevc();
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
        for (String c : cmd) {
            script.append(" '").append(c.replace("'", "'\\''")).append('\'');
        }
        script.append(" \"$@\"\n");
        Path maglevc = bin.resolve("maglevc");
        Files.writeString(maglevc, script);
        Files.setPosixFilePermissions(maglevc, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shippedScriptIsTheGeneratedOne() throws IOException {
        Path shipped = Processes.top().resolve("maglevc/src/main/dist/maglevc.bash-completion");
        assertThat(Files.readString(shipped))
                .as("regenerate with: java -jar maglevc/target/maglevc.jar --bash-completion > " + shipped)
                .isEqualTo(BashCompletion.script());
    }

    /** COMPREPLY after sourcing the shipped script and completing {@code line} (cursor at the end). */
    private static List<String> complete(String line) {
        Path script = Processes.top().resolve("maglevc/src/main/dist/maglevc.bash-completion");
        String program = "source '" + script + "'\n"
                + "COMP_LINE='" + line + "'\nCOMP_POINT=${#COMP_LINE}\n_maglevc\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Processes.Result r = Processes.run(List.of("env", "PATH=" + bin + ":/usr/bin:/bin", "bash", "--norc",
                "--noprofile", "-c", program), "", Duration.ofSeconds(60));
        assertThat(r.status()).as(r.err()).isZero();
        List<String> out = new ArrayList<>(r.out().lines().filter(l -> !l.isEmpty()).toList());
        return out;
    }

    @Test
    void completesKeywordsWithoutShellOnlyCommands() {
        assertThat(complete("maglevc ")).containsExactly("config", "help", "set", "show", "sync", "watch");
        assertThat(complete("maglevc sh")).containsExactly("show");
        assertThat(complete("maglevc show ba")).containsExactly("backend", "backends");
        assertThat(complete("maglevc sh vp l ")).containsExactly("counters", "state");
    }

    @Test
    void completesLiveNamesFromTheDaemonNamedByTheFlag() {
        String server = "maglevc --server " + BashCompletionTest.server.address();
        assertThat(complete(server + " show backend ng")).containsExactly("nginx0", "nginx1", "nginx2", "nginx3");
        assertThat(complete(server + " set frontend web pool ")).containsExactly("primary", "fallback");
        assertThat(complete(server + " set frontend web6 pool m")).containsExactly("main");
        // the backend of "set frontend F pool P backend" is one of that pool's members
        assertThat(complete(server + " set frontend web pool primary backend ")).containsExactly("nginx0", "nginx1");
        assertThat(complete(server + " set frontend web6 pool main backend ng")).containsExactly("nginx0", "nginx3");
    }

    @Test
    void completesFlags() {
        assertThat(complete("maglevc --se")).containsExactly("--server");
        assertThat(complete("maglevc show frontends --j")).containsExactly("--json");
    }

    @Test
    void anUnreachableDaemonGivesNoNamesAndNoNoise() {
        assertThat(complete("maglevc --server unix:/nonexistent/x.sock show backend ")).isEmpty();
        assertThat(complete("maglevc --server unix:/nonexistent/x.sock show ba")).containsExactly("backend", "backends");
    }
}
