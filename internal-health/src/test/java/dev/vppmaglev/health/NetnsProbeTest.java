package dev.vppmaglev.health;

import static dev.vppmaglev.health.Fixtures.backend;
import static dev.vppmaglev.health.Fixtures.check;
import static dev.vppmaglev.health.Fixtures.http;
import static dev.vppmaglev.health.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.HealthCheckerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code healthchecker.netns} against the real kernel (root; CI runs as root): real namespaces
 * made with {@code ip netns add}, real servers listening on 127.0.0.1 <em>inside</em> them (their
 * sockets made on a thread that entered the namespace), real setns through FFM, a real EPERM.
 * The root namespace has nothing on the chosen port, so where a probe ran shows in its result.
 */
class NetnsProbeTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final InetAddress LOOPBACK = ip("127.0.0.1");

    private final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    private final List<String> namespaces = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ExecutorService> inside = new ArrayList<>();
    private final List<AutoCloseable> closers = new ArrayList<>();
    private LogCapture logs;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(TestNetns.root(), "network namespaces need root (CI runs as root)");
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort(); // free here, in the root namespace, and nothing will listen on it here
        }
        logs = new LogCapture(NetProber.class);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closers.reversed()) {
            c.close();
        }
        servers.forEach(s -> s.stop(0));
        inside.forEach(ExecutorService::shutdownNow);
        namespaces.forEach(TestNetns::deleteQuietly);
        if (logs != null) {
            logs.close();
        }
    }

    /** A unique namespace name, deleted after the test (whether or not the test creates it). */
    private String name(String tag) {
        String ns = "mgtest-" + tag + "-" + suffix;
        namespaces.add(ns);
        return ns;
    }

    /** Creates {@code ns}; with {@code loUp} 127.0.0.1 works inside it, without it nothing does. */
    private void create(String ns, boolean loUp) {
        TestNetns.ip("netns", "add", ns);
        if (loUp) {
            TestNetns.ip("-n", ns, "link", "set", "lo", "up");
        }
    }

    /** An HTTP server on 127.0.0.1:{@link #port} inside {@code ns} ({@code null}: the root namespace). */
    private HttpServer serve(String ns, int status, CountDownLatch hold, CountDownLatch arrived) throws Exception {
        ExecutorService where = null;
        if (ns != null) {
            where = TestNetns.executorIn(ns);
            inside.add(where);
        }
        CompletableFuture<HttpServer> made = new CompletableFuture<>();
        Runnable make = () -> {
            try {
                made.complete(HttpServer.create(new InetSocketAddress(LOOPBACK, port), 0));
            } catch (IOException e) {
                made.completeExceptionally(e);
            }
        };
        if (where != null) {
            where.execute(make);
        } else {
            make.run();
        }
        HttpServer s = made.get(20, TimeUnit.SECONDS);
        s.createContext("/", ex -> {
            if (arrived != null) {
                arrived.countDown();
            }
            if (hold != null) {
                try {
                    hold.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = ("in " + ns + "\n").getBytes();
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        s.start();
        servers.add(s);
        return s;
    }

    private HttpServer serve(String ns) throws Exception {
        return serve(ns, 200, null, null);
    }

    private NetProber prober() {
        NetProber p = NetProber.create("test", Netns.LIBC, Duration.ofMillis(100));
        closers.add(p);
        return p;
    }

    private HealthCheck tcp() {
        return check("tcp", CheckType.TCP).port(port).build();
    }

    private HealthCheck httpCheck() {
        return check("http", CheckType.HTTP).port(port).params(http("/")).build();
    }

    private static HealthCheck icmp() {
        return check("ping", CheckType.ICMP).timeout(Duration.ofSeconds(2)).build();
    }

    private static ProbeResult probe(Prober p, HealthCheck c) throws Exception {
        return p.probe(c, LOOPBACK).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aBackendOnlyInsideTheNamespaceIsUpFromThereAndDownFromHere() throws Exception {
        String a = name("a");
        String empty = name("empty");
        create(a, true);
        create(empty, false); // lo down: 127.0.0.1 is unreachable in there, even for ICMP
        serve(a);
        NetProber p = prober();

        assertThat(p.useNetns(a)).isEqualTo(new NetnsStatus(a, null));
        assertThat(probe(p, tcp()).code()).isEqualTo(ResultCodes.L4OK);
        ProbeResult h = probe(p, httpCheck());
        assertThat(h.code()).isEqualTo(ResultCodes.L7OK);
        assertThat(h.detail()).isEqualTo("status 200");
        assertThat(probe(p, icmp()).code()).isEqualTo(ResultCodes.ICMPOK);
        assertThat(p.namespaceThread().getName()).isEqualTo("netns-" + a);
        assertThat(logs.events("netns-entered")).extracting(e -> e.keys().get("namespace")).containsExactly(a);

        assertThat(p.useNetns("")).isEqualTo(NetnsStatus.OWN);
        ProbeResult here = probe(p, tcp());
        assertThat(here.code()).isEqualTo(ResultCodes.L4CON);
        assertThat(here.detail()).isEqualTo("connection refused");
        assertThat(probe(p, httpCheck()).code()).isEqualTo(ResultCodes.L4CON);
        assertThat(probe(p, icmp()).code()).as("our own loopback answers pings").isEqualTo(ResultCodes.ICMPOK);

        // ICMP sockets follow the namespace too: in one whose loopback is down nothing answers
        assertThat(p.useNetns(empty).ok()).isTrue();
        ProbeResult ping = probe(p, icmp());
        assertThat(ping.ok()).isFalse();
        assertThat(ping.code()).isEqualTo(ResultCodes.ICMPUNR);
        assertThat(ping.detail()).isEqualTo("cannot send echo request: Network is unreachable");
        ProbeResult t = probe(p, tcp());
        assertThat(t.code()).isEqualTo(ResultCodes.L4CON);
        assertThat(t.detail()).isEqualTo("network unreachable");
    }

    @Test
    void aBackendOnlyHereIsDownFromTheNamespace() throws Exception {
        String a = name("a");
        create(a, true);
        serve(null);
        NetProber p = prober();

        assertThat(probe(p, tcp()).code()).isEqualTo(ResultCodes.L4OK);
        assertThat(probe(p, httpCheck()).code()).isEqualTo(ResultCodes.L7OK);
        p.useNetns(a);
        ProbeResult t = probe(p, tcp());
        assertThat(t.code()).isEqualTo(ResultCodes.L4CON);
        assertThat(t.detail()).isEqualTo("connection refused");
        assertThat(probe(p, httpCheck()).code()).isEqualTo(ResultCodes.L4CON);
    }

    @Test
    void aMissingNamespaceFailsEveryProbeWithL4conUntilItIsCreated() throws Exception {
        String late = name("late");
        NetProber p = prober();
        String why = "enter netns \"" + late + "\": open /run/netns/" + late + ": no such file or directory";

        assertThat(p.useNetns(late)).isEqualTo(new NetnsStatus(late, why));
        assertThat(logs.events("netns-error")).singleElement().satisfies(e -> {
            assertThat(e.level()).isEqualTo("ERROR");
            assertThat(e.keys()).containsEntry("namespace", late).containsEntry("error", why);
        });
        for (HealthCheck c : List.of(tcp(), httpCheck(), icmp())) {
            ProbeResult r = probe(p, c);
            assertThat(r.code()).as(c.type().keyword()).isEqualTo(ResultCodes.L4CON);
            assertThat(r.detail()).as(c.type().keyword()).isEqualTo(why);
        }

        create(late, true);
        serve(late);
        await().atMost(PATIENCE).until(() -> probe(p, tcp()).code().equals(ResultCodes.L4OK));
        assertThat(probe(p, httpCheck()).code()).isEqualTo(ResultCodes.L7OK);
        assertThat(probe(p, icmp()).code()).isEqualTo(ResultCodes.ICMPOK);
        assertThat(p.netnsStatus()).isEqualTo(new NetnsStatus(late, null));
        assertThat(logs.events("netns-entered")).extracting(e -> e.keys().get("namespace")).containsExactly(late);
    }

    @Test
    void aDeletedNamespaceIsNotProbedFromAndARecreatedOneIsEntered() throws Exception {
        String a = name("a");
        create(a, true);
        serve(a); // keeps running in the orphaned namespace after the delete: it must not be reached
        NetProber p = prober();
        p.useNetns(a);
        assertThat(probe(p, tcp()).code()).isEqualTo(ResultCodes.L4OK);
        Thread first = p.namespaceThread();

        TestNetns.ip("netns", "del", a);
        String why = "enter netns \"" + a + "\": open /run/netns/" + a + ": no such file or directory";
        await().atMost(PATIENCE).until(() -> probe(p, tcp()).detail().equals(why));
        assertThat(probe(p, icmp()).code()).isEqualTo(ResultCodes.L4CON);
        assertThat(logs.events("netns-changed")).anySatisfy(e ->
                assertThat(e.keys()).containsEntry("detail", "/run/netns/" + a + " was deleted"));
        await().atMost(PATIENCE).until(() -> !first.isAlive());

        create(a, true); // a new namespace under the old name, with nothing listening yet
        await().atMost(PATIENCE).until(() -> probe(p, tcp()).detail().equals("connection refused"));
        serve(a);
        await().atMost(PATIENCE).until(() -> probe(p, tcp()).code().equals(ResultCodes.L4OK));
        assertThat(p.namespaceThread()).isNotSameAs(first);
    }

    @Test
    void withoutCapSysAdminEnteringIsNotPermitted() throws Exception {
        String a = name("a");
        create(a, true);
        serve(a);
        // The thread that enters drops CAP_SYS_ADMIN first (capabilities are per thread): a real
        // EPERM from the kernel, as for a daemon started without AmbientCapabilities=CAP_SYS_ADMIN.
        Netns.Sys withoutCap = new Netns.Sys() {
            @Override
            public int open(String path) {
                TestNetns.dropSysAdminOnThisThread();
                return Netns.LIBC.open(path);
            }

            @Override
            public int setns(int fd) {
                return Netns.LIBC.setns(fd);
            }

            @Override
            public int close(int fd) {
                return Netns.LIBC.close(fd);
            }
        };
        NetProber p = NetProber.create("test", withoutCap, Duration.ofMillis(100));
        closers.add(p);
        String why = "enter netns \"" + a + "\": operation not permitted (setns needs CAP_SYS_ADMIN)";

        assertThat(p.useNetns(a)).isEqualTo(new NetnsStatus(a, why));
        assertThat(logs.events("netns-error")).extracting(e -> e.keys().get("error")).containsExactly(why);
        for (HealthCheck c : List.of(tcp(), httpCheck(), icmp())) {
            ProbeResult r = probe(p, c);
            assertThat(r.code()).as(c.type().keyword()).isEqualTo(ResultCodes.L4CON);
            assertThat(r.detail()).as(c.type().keyword()).isEqualTo(why);
        }
        // only that thread lost the capability: the same namespace is fine for a prober that keeps it
        NetProber ok = prober();
        assertThat(ok.useNetns(a).ok()).isTrue();
        assertThat(probe(ok, tcp()).code()).isEqualTo(ResultCodes.L4OK);
    }

    @Test
    void aProbeInFlightFinishesInTheNamespaceItStartedIn() throws Exception {
        String a = name("a");
        String b = name("b");
        create(a, true);
        create(b, true);
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        serve(a, 200, hold, arrived);
        NetProber p = prober();
        p.useNetns(a);
        Thread threadA = p.namespaceThread();

        HealthCheck slow = check("http", CheckType.HTTP).port(port).params(http("/"))
                .timeout(Duration.ofSeconds(20)).build();
        CompletableFuture<ProbeResult> inFlight = p.probe(slow, LOOPBACK);
        assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.useNetns(b)).isEqualTo(new NetnsStatus(b, null));
        assertThat(probe(p, tcp()).detail()).as("new probes: in b, where nothing listens")
                .isEqualTo("connection refused");
        assertThat(threadA.isAlive()).as("a stays while its probe is in flight").isTrue();

        hold.countDown();
        ProbeResult r = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(r.code()).isEqualTo(ResultCodes.L7OK);
        await().atMost(PATIENCE).until(() -> !threadA.isAlive());
    }

    // ---------------------------------------------------------------------------------------------
    // The checker: config and reloads

    private static Config withNetns(Config c, String netns) {
        return new Config(c.source(), new HealthCheckerConfig(c.healthchecker().transitionHistory(), netns),
                c.vppLb(), c.healthchecks(), c.backends(), c.frontends());
    }

    @Test
    void reloadsSwitchTheNamespaceWithoutRestartingWorkers() throws Exception {
        String a = name("a");
        String b = name("b");
        create(a, true);
        create(b, false);
        serve(a);
        NetProber p = prober();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        timer.setRemoveOnCancelPolicy(true);
        closers.add(timer::shutdownNow);
        Checker checker = new Checker(p, timer, Clock.systemUTC(), new SplittableRandom());
        closers.add(checker);
        RecordingListener events = new RecordingListener();
        checker.addListener(events);
        java.util.Set<String> listenerThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        checker.addListener(new HealthListener() {
            @Override
            public void onProbe(String backend, HealthCheck check, ProbeResult r) {
                listenerThreads.add(Thread.currentThread().getName());
            }
        });

        Duration fast = Duration.ofMillis(100);
        HealthCheck tcp = check("tcp", CheckType.TCP).port(port).interval(fast).timeout(Duration.ofSeconds(2))
                .riseFall(2, 2).build();
        HealthCheck web = check("http", CheckType.HTTP).port(port).params(http("/")).interval(fast)
                .timeout(Duration.ofSeconds(2)).riseFall(2, 2).build();
        HealthCheck ping = check("ping", CheckType.ICMP).interval(fast).timeout(Duration.ofSeconds(2))
                .riseFall(2, 2).build();
        Config base = Fixtures.config(List.of(tcp, web, ping), List.of(backend("t", "127.0.0.1", "tcp"),
                backend("h", "127.0.0.1", "http"), backend("i", "127.0.0.1", "ping")), List.of());
        List<String> names = List.of("t", "h", "i");

        checker.apply(withNetns(base, a));
        assertThat(checker.netnsStatus()).isEqualTo(new NetnsStatus(a, null));
        await().atMost(PATIENCE).until(() -> names.stream().allMatch(n -> checker.state(n) == BackendState.UP));
        Thread inA = p.namespaceThread();

        checker.apply(withNetns(base, a)); // unchanged: the same namespace thread, nothing restarts
        assertThat(p.namespaceThread()).isSameAs(inA);

        checker.apply(withNetns(base, b)); // lo down in b: every backend goes down
        assertThat(checker.netnsStatus()).isEqualTo(new NetnsStatus(b, null));
        await().atMost(PATIENCE).until(() -> names.stream().allMatch(n -> checker.state(n) == BackendState.DOWN));
        assertThat(checker.status("t").lastResult().code()).isEqualTo(ResultCodes.L4CON);
        assertThat(checker.status("h").lastResult().code()).isEqualTo(ResultCodes.L4CON);
        assertThat(checker.status("i").lastResult().code()).isEqualTo(ResultCodes.ICMPUNR);

        checker.apply(withNetns(base, "")); // our own namespace: nothing on the port, but ping answers
        assertThat(checker.netnsStatus()).isEqualTo(NetnsStatus.OWN);
        await().atMost(PATIENCE).until(() -> checker.state("i") == BackendState.UP);
        assertThat(checker.state("t")).isEqualTo(BackendState.DOWN);

        String missing = name("missing");
        checker.apply(withNetns(base, missing));
        assertThat(checker.netnsStatus().error()).isEqualTo("enter netns \"" + missing + "\": open /run/netns/"
                + missing + ": no such file or directory");
        await().atMost(PATIENCE).until(() -> checker.state("i") == BackendState.DOWN);
        assertThat(checker.status("i").lastResult().code()).as("icmp too: the probe could not start")
                .isEqualTo(ResultCodes.L4CON);

        checker.apply(withNetns(base, a));
        await().atMost(PATIENCE).until(() -> names.stream().allMatch(n -> checker.state(n) == BackendState.UP));

        // A namespace change is not a check change: no worker restarted, counters ran through
        assertThat(events.backendTransitions).noneMatch(t -> t.to() == BackendState.UNKNOWN);
        Map<String, List<String>> path = new java.util.HashMap<>();
        events.backendTransitions.forEach(t -> path.computeIfAbsent(t.backend(), k -> new ArrayList<>())
                .add(t.to().keyword()));
        assertThat(path.get("t")).containsExactly("up", "down", "up");
        assertThat(path.get("i")).containsExactly("up", "down", "up", "down", "up");
        assertThat(listenerThreads).as("results reach the checker outside the namespace threads")
                .isNotEmpty().noneMatch(n -> n.startsWith("netns-"));
    }
}
