package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.vppmaglev.proto.FrontendInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * maglevc as its own process (java ... dev.vppmaglev.cli.Main with bin/maglevc's JVM options)
 * against the fake daemon in this JVM: exit statuses, one error line on stderr and nothing else,
 * --json, stdin scripts, and Ctrl-C (SIGINT) ending {@code watch events} with status 130.
 */
class ProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private FakeServer server;

    @BeforeEach
    void start() {
        server = FakeServer.tcp(new FakeMaglev(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Processes.Result maglevc(String stdin, String... args) {
        return Processes.run(Processes.maglevc(args), stdin, TIMEOUT);
    }

    @Test
    void showPrintsTheTableAndExits0() {
        Processes.Result r = maglevc("", "--server", server.address(), "sh", "fr");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("NAME  ADDRESS      PROTO  PORT  STATE  ACTIVE-POOL  UP/TOTAL\n")
                .doesNotContain("\u001b");
    }

    @Test
    void exitStatusesAndOneErrorLine() {
        Processes.Result notFound = maglevc("", "--server", server.address(), "show", "backend", "nope");
        assertThat(notFound.status()).isEqualTo(ExitStatus.SERVER_ERROR);
        assertThat(notFound.out()).isEmpty();
        assertThat(notFound.err()).isEqualTo("backend \"nope\" not found\n");

        Processes.Result usage = maglevc("", "--server", server.address(), "show", "fronted");
        assertThat(usage.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(usage.err()).startsWith("unknown word \"fronted\" after \"show\";").hasLineCount(1);

        Processes.Result unreachable = maglevc("", "--server", "unix:/nonexistent/maglevd.sock", "show", "frontends");
        assertThat(unreachable.status()).isEqualTo(ExitStatus.UNREACHABLE);
        assertThat(unreachable.err()).isEqualTo(
                "cannot reach maglevd at unix:/nonexistent/maglevd.sock: no such socket\n");
    }

    @Test
    void unixSocketPrintsNothingButTheAnswer(@TempDir Path dir) {
        try (FakeServer unix = FakeServer.unix(new FakeMaglev(Instant.now()), dir.resolve("g.sock"))) {
            Processes.Result r = maglevc("", "--server", unix.address(), "show", "frontends");
            assertThat(r.err()).as("no Netty/gRPC log lines").isEmpty();
            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("web6  2001:db8::1");
        }
    }

    @Test
    void jsonIsTheProtobufMessage() throws Exception {
        Processes.Result r = maglevc("", "--server", server.address(), "--json", "show", "frontend", "web");
        assertThat(r.status()).isZero();
        FrontendInfo.Builder f = FrontendInfo.newBuilder();
        JsonFormat.parser().merge(r.out(), f);
        assertThat(f.getName()).isEqualTo("web");
        assertThat(f.getPools(1).getBackends(0).getName()).isEqualTo("nginx2");
    }

    @Test
    void scriptOnStdinIsByteIdenticalToOneShot() {
        // commands that print no ages: the fake's data is relative to the real clock here
        Processes.Result script = maglevc("show frontends\nshow vpp lb state\n", "--server", server.address());
        String oneShot = maglevc("", "--server", server.address(), "show", "frontends").out()
                + maglevc("", "--server", server.address(), "show", "vpp", "lb", "state").out();
        assertThat(script.status()).isZero();
        assertThat(script.out()).isEqualTo(oneShot);
    }

    @Test
    void ctrlCEndsWatchEventsWithStatus130AndNoStackTrace() throws Exception {
        Process p = Processes.start(Processes.maglevc("--server", server.address(), "watch", "events"));
        Processes.Drain out = new Processes.Drain(p.getInputStream());
        Processes.Drain err = new Processes.Drain(p.getErrorStream());
        await().atMost(TIMEOUT).until(() -> out.text().contains("frontend dns down -> up"));
        await().atMost(TIMEOUT).until(() -> server.service.watchers() == 1);
        Processes.interrupt(p);
        assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        out.thread.join();
        err.thread.join();
        assertThat(p.exitValue()).isEqualTo(ExitStatus.INTERRUPTED);
        assertThat(err.text()).isEmpty();
        assertThat(out.text()).contains("frontend web up\n").endsWith("frontend dns down -> up\n");
        await().atMost(TIMEOUT).until(() -> server.service.watchers() == 0);
    }

    @Test
    void watchEventsEndsWhenItsReaderGoesAway() throws Exception {
        Process p = Processes.start(Processes.maglevc("--server", server.address(), "watch", "events"));
        Processes.Drain err = new Processes.Drain(p.getErrorStream());
        java.io.InputStream out = p.getInputStream();
        byte[] first = new byte[16];
        assertThat(out.read(first)).isPositive();
        await().atMost(TIMEOUT).until(() -> server.service.watchers() == 1);
        out.close(); // as `maglevc watch events | head -1` once head has exited
        server.service.emit(dev.vppmaglev.proto.Event.newBuilder().setTimeNs(1).setFrontend(
                dev.vppmaglev.proto.FrontendEvent.newBuilder().setName("web")).build());
        assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("exits once a write fails").isTrue();
        err.thread.join();
        assertThat(p.exitValue()).isZero();
        assertThat(err.text()).isEmpty();
        await().atMost(TIMEOUT).until(() -> server.service.watchers() == 0);
    }

    @Test
    void watchEventsNumEndsByItselfWithStatus0() {
        Processes.Result r = maglevc("", "--server", server.address(), "watch", "events", "frontend", "num", "3");
        assertThat(r.status()).isZero();
        assertThat(r.out().lines()).hasSize(3);
        assertThat(r.err()).isEmpty();
    }
}
