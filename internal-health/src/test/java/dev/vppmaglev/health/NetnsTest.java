package dev.vppmaglev.health;

import static dev.vppmaglev.health.Fixtures.check;
import static dev.vppmaglev.health.Fixtures.http;
import static dev.vppmaglev.health.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Entering a namespace with the system calls faked: the errno → message rule, that a thread that
 * failed to enter never runs a task, and how the prober fails, logs, retries and recovers. (The
 * real kernel, real namespaces and a real EPERM are in {@link NetnsProbeTest}.)
 */
class NetnsTest {
    private static final int ENOSYS = 38;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** A scripted open/setns/close: errno for open and setns (0 = success), every call recorded. */
    static final class FakeSys implements Netns.Sys {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile int openErrno;
        volatile int setnsErrno;
        final AtomicInteger opens = new AtomicInteger();

        FakeSys(int openErrno, int setnsErrno) {
            this.openErrno = openErrno;
            this.setnsErrno = setnsErrno;
        }

        @Override
        public int open(String path) {
            opens.incrementAndGet();
            calls.add("open " + path + " on " + Thread.currentThread().getName());
            return openErrno == 0 ? 42 : -openErrno;
        }

        @Override
        public int setns(int fd) {
            calls.add("setns " + fd);
            return setnsErrno == 0 ? 0 : -setnsErrno;
        }

        @Override
        public int close(int fd) {
            calls.add("close " + fd);
            return 0;
        }
    }

    @Nested
    class Messages {
        private String enterError(FakeSys sys, String name) {
            Netns.EnterException e = org.junit.jupiter.api.Assertions.assertThrows(Netns.EnterException.class,
                    () -> Netns.enter(name, sys));
            return e.getMessage();
        }

        @Test
        void withoutCapSysAdminSetnsIsNotPermitted() {
            FakeSys sys = new FakeSys(0, Native.EPERM);
            assertThat(enterError(sys, "dataplane"))
                    .isEqualTo("enter netns \"dataplane\": operation not permitted (setns needs CAP_SYS_ADMIN)")
                    .startsWith("enter netns \"dataplane\": operation not permitted"); // the reference's words
            assertThat(sys.calls).as("the fd is closed after setns")
                    .containsExactly("open /run/netns/dataplane on " + Thread.currentThread().getName(),
                            "setns 42", "close 42");
        }

        @Test
        void aMissingNamespaceNamesTheFile() {
            FakeSys sys = new FakeSys(Native.ENOENT, 0);
            assertThat(enterError(sys, "dataplane"))
                    .isEqualTo("enter netns \"dataplane\": open /run/netns/dataplane: no such file or directory");
            assertThat(sys.calls).as("no setns without an fd").hasSize(1);
        }

        @Test
        void otherFailuresSayWhichCallAndWhy() {
            assertThat(enterError(new FakeSys(Native.EACCES, 0), "x"))
                    .isEqualTo("enter netns \"x\": open /run/netns/x: permission denied");
            assertThat(enterError(new FakeSys(0, Native.EINVAL), "x"))
                    .isEqualTo("enter netns \"x\": /run/netns/x is not a network namespace");
            assertThat(enterError(new FakeSys(0, Native.ENOMEM), "x"))
                    .isEqualTo("enter netns \"x\": setns: cannot allocate memory");
            assertThat(enterError(new FakeSys(Native.EMFILE, 0), "x"))
                    .isEqualTo("enter netns \"x\": open /run/netns/x: too many open files");
            assertThat(enterError(new FakeSys(0, ENOSYS), "x"))
                    .as("an errno without a fixed text: libc's, lower-cased, with the number")
                    .isEqualTo("enter netns \"x\": setns: function not implemented (errno 38)");
        }

        @Test
        void theErrnoIsKept() throws Exception {
            try {
                Netns.enter("x", new FakeSys(0, Native.EPERM));
            } catch (Netns.EnterException e) {
                assertThat(e.errno()).isEqualTo(Native.EPERM);
                return;
            }
            throw new AssertionError("entering did not fail");
        }
    }

    @Nested
    class Threads {
        @Test
        void aThreadThatCannotEnterRunsNothingAndEnds() {
            FakeSys sys = new FakeSys(0, Native.EPERM);
            CompletableFuture<NetnsThread> f = NetnsThread.start("dataplane", sys);
            assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(Netns.EnterException.class)
                    .hasMessage("enter netns \"dataplane\": operation not permitted (setns needs CAP_SYS_ADMIN)");
            assertThat(sys.calls.getFirst()).as("entered on its own platform thread")
                    .isEqualTo("open /run/netns/dataplane on netns-dataplane");
            // there is no executor to give a task to: the future is the only handle, and it failed
            assertThat(f.isCompletedExceptionally()).isTrue();
        }

        @Test
        void anEnteredThreadRunsTasksInOrderUntilClosed() throws Exception {
            NetnsThread t = NetnsThread.start("ok", new FakeSys(0, 0)).get(20, TimeUnit.SECONDS);
            List<String> ran = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            t.execute(() -> ran.add("1 " + Thread.currentThread().getName()));
            t.execute(() -> {
                throw new IllegalStateException("a failing task does not stop the thread");
            });
            t.execute(() -> ran.add("2 " + Thread.currentThread().isVirtual()));
            t.execute(() -> done.complete(null));
            done.get(20, TimeUnit.SECONDS);
            assertThat(ran).containsExactly("1 netns-ok", "2 false");
            t.close();
            await().atMost(PATIENCE).until(() -> !t.thread().isAlive());
            assertThatThrownBy(() -> t.execute(() -> { }))
                    .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                    .hasMessage("the thread in netns \"ok\" has stopped");
        }
    }

    /** NetProber with entering faked: failure, retry, logs and recovery (probes go to loopback here). */
    @Nested
    class Probing {
        private HttpServer server;
        private int port;
        private NetProber prober;
        private LogCapture logs;

        @BeforeEach
        void start() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.createContext("/", ex -> {
                ex.sendResponseHeaders(200, 3);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write("ok\n".getBytes());
                }
            });
            server.start();
            port = server.getAddress().getPort();
            logs = new LogCapture(NetProber.class);
        }

        @AfterEach
        void stop() {
            if (prober != null) {
                prober.close();
            }
            server.stop(0);
            logs.close();
        }

        private ProbeResult probe(HealthCheck c) throws Exception {
            return prober.probe(c, ip("127.0.0.1")).get(20, TimeUnit.SECONDS);
        }

        private HealthCheck tcp() {
            return check("tcp", CheckType.TCP).port(port).build();
        }

        @Test
        void everyProbeTypeFailsWithL4conAndTheReasonThenRecovers() throws Exception {
            FakeSys sys = new FakeSys(0, Native.EPERM);
            prober = NetProber.create("test", sys, Duration.ofMillis(200));
            String why = "enter netns \"dataplane\": operation not permitted (setns needs CAP_SYS_ADMIN)";

            NetnsStatus s = prober.useNetns("dataplane");
            assertThat(s).isEqualTo(new NetnsStatus("dataplane", why));
            assertThat(prober.netnsStatus()).isEqualTo(s);
            assertThat(logs.events("netns-error")).singleElement().satisfies(e -> {
                assertThat(e.level()).isEqualTo("ERROR");
                assertThat(e.keys()).containsEntry("namespace", "dataplane").containsEntry("error", why);
            });

            for (HealthCheck c : List.of(tcp(), check("http", CheckType.HTTP).port(port).params(http("/")).build(),
                    check("ping", CheckType.ICMP).build())) {
                ProbeResult r = probe(c);
                assertThat(r.ok()).as(c.type().keyword()).isFalse();
                assertThat(r.code()).as(c.type().keyword()).isEqualTo(ResultCodes.L4CON);
                assertThat(r.detail()).as(c.type().keyword()).isEqualTo(why);
            }

            // The next probe cycle retries (rate-limited to one attempt per recheck period) and
            // recovers once entering works; the same error is not logged again meanwhile.
            int opens = sys.opens.get();
            await().atMost(PATIENCE).until(() -> {
                probe(tcp());
                return sys.opens.get() > opens;
            });
            assertThat(logs.events("netns-error")).as("same reason, within the log period: not repeated").hasSize(1);
            sys.setnsErrno = 0;
            await().atMost(PATIENCE).until(() -> probe(tcp()).code().equals(ResultCodes.L4OK));
            assertThat(prober.netnsStatus()).isEqualTo(new NetnsStatus("dataplane", null));
            assertThat(logs.events("netns-entered")).singleElement()
                    .satisfies(e -> assertThat(e.keys()).containsEntry("namespace", "dataplane"));
            assertThat(sys.calls).as("sockets are made on the namespace thread")
                    .contains("open /run/netns/dataplane on netns-dataplane");
            assertThat(prober.namespaceThread().getName()).isEqualTo("netns-dataplane");
        }

        @Test
        void retriesAreRateLimited() throws Exception {
            FakeSys sys = new FakeSys(Native.ENOENT, 0);
            prober = NetProber.create("test", sys, Duration.ofHours(1));
            prober.useNetns("gone");
            for (int i = 0; i < 20; i++) {
                assertThat(probe(tcp()).detail())
                        .isEqualTo("enter netns \"gone\": open /run/netns/gone: no such file or directory");
            }
            assertThat(sys.opens.get()).as("one attempt by the reload, none by the 20 probes within the period")
                    .isEqualTo(1);
        }

        @Test
        void aChangedReasonIsLoggedAndReloadRetriesAtOnce() throws Exception {
            FakeSys sys = new FakeSys(Native.ENOENT, 0);
            prober = NetProber.create("test", sys, Duration.ofHours(1));
            prober.useNetns("dp");
            sys.openErrno = 0;
            sys.setnsErrno = Native.EPERM;
            // the same name again (a reload of an unchanged file) retries now, and logs
            assertThat(prober.useNetns("dp").error()).endsWith("operation not permitted (setns needs CAP_SYS_ADMIN)");
            assertThat(logs.events("netns-error")).extracting(e -> e.keys().get("error")).containsExactly(
                    "enter netns \"dp\": open /run/netns/dp: no such file or directory",
                    "enter netns \"dp\": operation not permitted (setns needs CAP_SYS_ADMIN)");
            sys.setnsErrno = 0;
            assertThat(prober.useNetns("dp")).isEqualTo(new NetnsStatus("dp", null));
            int opens = sys.opens.get();
            assertThat(prober.useNetns("dp").ok()).isTrue();
            assertThat(sys.opens.get()).as("unchanged and healthy: nothing to do").isEqualTo(opens);
        }

        @Test
        void backToTheOwnNamespaceProbesHereAgain() throws Exception {
            prober = NetProber.create("test", new FakeSys(Native.ENOENT, 0), Duration.ofHours(1));
            assertThat(prober.netnsStatus()).isEqualTo(NetnsStatus.OWN);
            prober.useNetns("gone");
            assertThat(probe(tcp()).code()).isEqualTo(ResultCodes.L4CON);
            assertThat(prober.useNetns("")).isEqualTo(NetnsStatus.OWN);
            assertThat(probe(tcp()).code()).isEqualTo(ResultCodes.L4OK);
            assertThat(logs.events("netns-changed")).extracting(e -> e.keys().get("from") + "->" + e.keys().get("to"))
                    .containsExactly("->gone", "gone->");
        }
    }

    @Test
    void aProberWithoutNamespacesSaysSo() {
        dev.vppmaglev.health.Prober scripted = (c, t) -> CompletableFuture.completedFuture(ScriptedProber.PASS);
        assertThat(scripted.useNetns("")).isEqualTo(NetnsStatus.OWN);
        assertThat(scripted.useNetns("dp").error())
                .isEqualTo("enter netns \"dp\": this prober cannot probe from a network namespace");
    }
}
