package dev.vppmaglev.vpp.fake;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.vpp.StatsSessionPart;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionConfig;
import dev.vppmaglev.vpp.VppConnectionListener;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.counters.CountedVip;
import dev.vppmaglev.vpp.counters.CountersLoop;
import dev.vppmaglev.vpp.counters.CountersSnapshot;
import dev.vppmaglev.vpp.counters.VipCounters;
import dev.vppmaglev.vpp.fake.stats.FakeStatsSegment;
import dev.vppmaglev.vpp.stats.StatsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The counters loop end to end: {@link FakeVpp} with its stats segment, {@link VppConnection}
 * with a {@link StatsSessionPart} over the real {@code stats.sock}, and {@link CountersLoop}
 * discovering lb and FIB stats indexes through the real API and reading the shared memory.
 */
class CountersLoopTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");
    private static final Instant BOOT = Instant.parse("2026-11-21T07:30:00Z");

    @TempDir
    Path dir;
    private FakeVpp fake;
    private VppConnection conn;
    private StatsSessionPart stats;
    private CountersLoop loop;
    private final AtomicReference<List<CountedVip>> configured = new AtomicReference<>(List.of());

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
        if (conn != null) {
            conn.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void fake(int threads) throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).statsSocket(dir.resolve("stats.sock"))
                .statsThreads(threads).bootTime(BOOT).pid(7000).build().start();
    }

    private void connect(StatsSessionPart part) {
        stats = part;
        VppConnectionConfig cfg = new VppConnectionConfig(VppApiClientConfig.defaults(dir.resolve("api.sock")),
                Duration.ofSeconds(10), 3, Duration.ofMillis(200));
        conn = new VppConnection(cfg, ApiObserver.NONE, part, Clock.fixed(T0, ZoneOffset.UTC));
        conn.start();
    }

    private void connect() {
        connect(StatsSessionPart.unixSocket(dir.resolve("stats.sock"), StatsOptions.DEFAULT));
        await().atMost(LONG).until(conn::isConnected);
    }

    /** A started loop over {@link #configured}. */
    private CountersLoop loop(Duration interval) {
        loop = new CountersLoop(conn, stats, configured::get, interval, Clock.fixed(T0, ZoneOffset.UTC));
        loop.start();
        return loop;
    }

    /** A loop that is not started: only {@link CountersLoop#scrapeNow()} runs cycles (deterministic counts). */
    private CountersLoop idleLoop() {
        return idleLoop(Duration.ofHours(1));
    }

    /** As {@link #idleLoop()} with {@code interval}: the discovery back-off is counted in cycles of it. */
    private CountersLoop idleLoop(Duration interval) {
        loop = new CountersLoop(conn, stats, configured::get, interval, Clock.fixed(T0, ZoneOffset.UTC));
        return loop;
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static CountedVip counted(String frontend, String address, int protocol, int port) throws Exception {
        return new CountedVip(frontend, LbVip.host(InetAddress.getByName(address), protocol, port));
    }

    private void addVip(CountedVip v) throws Exception {
        get(conn.lb().addVip(VipSpec.of(v.vip(), LbApi.greFor(v.vip().pfx().address()))));
    }

    private static VipCounters counters(String frontend, String prefix, int protocol, int port, long first, long next,
                                        long untracked, long noServer, long fibPackets, long fibBytes) {
        return new VipCounters(frontend, Prefix.parse(prefix), protocol, port, first, next, untracked, noServer,
                fibPackets, fibBytes);
    }

    private Optional<VipCounters> current(String frontend) {
        return loop.snapshot().flatMap(s -> s.frontend(frontend));
    }

    @Test
    void countersBumpedInVppAppearWithinACycle() throws Exception {
        fake(2);
        connect();
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        CountedVip dns = counted("dns", "192.0.2.1", 17, 53); // same address: shares the host route
        CountedVip v6 = counted("v6", "2001:db8::1", 6, 443);
        for (CountedVip v : List.of(web, dns, v6)) {
            addVip(v);
        }
        configured.set(List.of(web, dns, v6));
        loop(Duration.ofMillis(100));
        await().atMost(LONG).until(() -> loop.snapshot().isPresent());
        assertThat(loop.snapshot().orElseThrow().vips()).containsExactly(
                counters("web", "192.0.2.1/32", 6, 80, 0, 0, 0, 0, 0, 0),
                counters("dns", "192.0.2.1/32", 17, 53, 0, 0, 0, 0, 0, 0),
                counters("v6", "2001:db8::1/128", 6, 443, 0, 0, 0, 0, 0, 0));

        fake.bumpVip(web.vip(), 5, 40, 1, 0, 46, 46_000);
        fake.bumpVip(dns.vip(), 0, 0, 2, 4, 6, 384);
        fake.bumpVip(v6.vip(), 3, 3, 0, 0, 6, 504);
        await().atMost(LONG).untilAsserted(() -> assertThat(loop.snapshot().orElseThrow().vips()).containsExactly(
                counters("web", "192.0.2.1/32", 6, 80, 5, 40, 1, 0, 52, 46_384),
                counters("dns", "192.0.2.1/32", 17, 53, 0, 0, 2, 4, 52, 46_384),
                counters("v6", "2001:db8::1/128", 6, 443, 3, 3, 0, 0, 6, 504)));
        assertThat(loop.snapshot().orElseThrow().scrapedAt()).isEqualTo(T0);
        assertThat(loop.interval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void indexesAreDiscoveredOncePerVipSetNotEveryCycle() throws Exception {
        fake(1);
        connect();
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        addVip(web);
        configured.set(List.of(web));
        idleLoop();
        assertThat(loop.scrapeNow()).isPresent();
        int cli = fake.callCount("cli_inband");
        int lookups = fake.callCount("ip_route_lookup");
        assertThat(cli).isEqualTo(1);
        assertThat(lookups).isEqualTo(1);

        fake.bumpVip(web.vip(), 1, 0, 0, 0, 1, 100);
        for (int i = 0; i < 3; i++) {
            assertThat(loop.scrapeNow()).isPresent();
        }
        assertThat(current("web")).get().extracting(VipCounters::first).isEqualTo(1L);
        assertThat(fake.callCount("cli_inband")).as("no CLI scrape for an unchanged VIP set").isEqualTo(cli);
        assertThat(fake.callCount("ip_route_lookup")).isEqualTo(lookups);

        // An equal list (e.g. the config after a weight change) keeps the indexes.
        configured.set(List.copyOf(List.of(counted("web", "192.0.2.1", 6, 80))));
        loop.scrapeNow();
        assertThat(fake.callCount("cli_inband")).isEqualTo(cli);

        // invalidate(): the reconciler changed VPP's VIP table.
        loop.invalidate();
        loop.invalidate();
        loop.scrapeNow();
        assertThat(fake.callCount("cli_inband")).isEqualTo(cli + 1);

        // A new VIP set: discovered again.
        CountedVip api = counted("api", "192.0.2.2", 6, 443);
        addVip(api);
        configured.set(List.of(web, api));
        loop.scrapeNow();
        assertThat(fake.callCount("cli_inband")).isEqualTo(cli + 2);
        assertThat(loop.snapshot().orElseThrow().vips()).extracting(VipCounters::frontend).containsExactly("web", "api");
    }

    @Test
    void aVipNotYetInVppReadsZerosAndIsLookedForWithExponentialBackOff() throws Exception {
        fake(1);
        connect();
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        CountedVip late = counted("late", "192.0.2.7", 6, 80);
        addVip(web);
        fake.bumpVip(web.vip(), 2, 0, 0, 0, 2, 200);
        configured.set(List.of(web, late));
        idleLoop(CountersLoop.DEFAULT_INTERVAL); // 5 s cycles: the back-off may grow to 12 cycles
        CountersSnapshot first = loop.scrapeNow().orElseThrow();
        assertThat(first.frontend("late")).contains(counters("late", "192.0.2.7/32", 6, 80, 0, 0, 0, 0, 0, 0));
        assertThat(first.frontend("web")).get().extracting(VipCounters::first).isEqualTo(2L);
        assertThat(fake.callCount("cli_inband")).isEqualTo(1);
        assertThat(fake.callCount("ip_route_lookup")).as("only present VIPs have a route to look up").isEqualTo(1);

        // Not in VPP: looked for again 1, 2, 4, 8 ... cycles later, not on every cycle.
        int[] cliAfterCycle = new int[16];
        for (int cycle = 2; cycle <= 15; cycle++) {
            assertThat(loop.scrapeNow()).as("every cycle still publishes").isPresent();
            cliAfterCycle[cycle] = fake.callCount("cli_inband");
        }
        // lookups at cycles 1, 2, 4, 8 (gaps 1, 2, 4), the next would be 16
        assertThat(cliAfterCycle[2]).isEqualTo(2);
        assertThat(cliAfterCycle[3]).isEqualTo(2);
        assertThat(cliAfterCycle[4]).isEqualTo(3);
        assertThat(cliAfterCycle[7]).isEqualTo(3);
        assertThat(cliAfterCycle[8]).isEqualTo(4);
        assertThat(cliAfterCycle[15]).isEqualTo(4);

        // New information (the reconciler changed VPP's table) ends the back-off: found at once.
        addVip(late);
        fake.bumpVip(late.vip(), 7, 0, 0, 0, 7, 700);
        loop.invalidate();
        assertThat(loop.scrapeNow().orElseThrow().frontend("late"))
                .contains(counters("late", "192.0.2.7/32", 6, 80, 7, 0, 0, 0, 7, 700));
        int cli = fake.callCount("cli_inband");
        for (int i = 0; i < 5; i++) {
            loop.scrapeNow();
        }
        assertThat(fake.callCount("cli_inband")).as("complete now: no more lookups").isEqualTo(cli);
    }

    @Test
    void theBackOffIsCappedAtAMinute() throws Exception {
        fake(1);
        connect();
        configured.set(List.of(counted("late", "192.0.2.7", 6, 80)));
        // 10 s cycles: gaps of 1, 2, 4 cycles, then at most 6 (60 s)
        idleLoop(Duration.ofSeconds(10));
        List<Integer> lookupCycles = new java.util.ArrayList<>();
        for (int cycle = 1; cycle <= 40; cycle++) {
            int before = fake.callCount("cli_inband");
            loop.scrapeNow();
            if (fake.callCount("cli_inband") > before) {
                lookupCycles.add(cycle);
            }
        }
        assertThat(lookupCycles).containsExactly(1, 2, 4, 8, 14, 20, 26, 32, 38);
    }

    @Test
    void theReconcilersIndexesReplaceTheCliScrape() throws Exception {
        fake(1);
        connect();
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        CountedVip api = counted("api", "192.0.2.2", 6, 443);
        CountedVip late = counted("late", "192.0.2.7", 6, 80);
        addVip(web);
        addVip(api);
        fake.bumpVip(web.vip(), 2, 0, 0, 0, 2, 200);
        fake.bumpVip(api.vip(), 5, 0, 0, 0, 5, 500);
        configured.set(List.of(web, api, late));
        idleLoop();
        var session = conn.session().orElseThrow();
        // the reconciler's full sync read the table: late is not live (not a key)
        loop.lbIndexes(session, java.util.Map.of(web.vip(), fake.vipIndex(web.vip()).orElseThrow(),
                api.vip(), fake.vipIndex(api.vip()).orElseThrow()));
        for (int i = 0; i < 20; i++) {
            assertThat(loop.scrapeNow()).isPresent();
        }
        assertThat(fake.callCount("cli_inband")).as("no CLI scrape of the loop's own").isZero();
        assertThat(fake.callCount("ip_route_lookup")).as("one per present prefix, once").isEqualTo(2);
        assertThat(loop.snapshot().orElseThrow().vips()).containsExactly(
                counters("web", "192.0.2.1/32", 6, 80, 2, 0, 0, 0, 2, 200),
                counters("api", "192.0.2.2/32", 6, 443, 5, 0, 0, 0, 5, 500),
                counters("late", "192.0.2.7/32", 6, 80, 0, 0, 0, 0, 0, 0));

        // the reconciler creates late: live, index not known yet -> the loop looks it up at once
        addVip(late);
        fake.bumpVip(late.vip(), 7, 0, 0, 0, 7, 700);
        loop.lbIndexes(session, java.util.Map.of(web.vip(), fake.vipIndex(web.vip()).orElseThrow(),
                api.vip(), fake.vipIndex(api.vip()).orElseThrow(), late.vip(), -1));
        assertThat(loop.scrapeNow().orElseThrow().frontend("late"))
                .contains(counters("late", "192.0.2.7/32", 6, 80, 7, 0, 0, 0, 7, 700));
        assertThat(fake.callCount("cli_inband")).isEqualTo(1);

        // indexes of another (older) session are ignored
        loop.lbIndexes(new dev.vppmaglev.vpp.VppSession(session.client(), session.info(), session.lb()),
                java.util.Map.of());
        assertThat(loop.scrapeNow().orElseThrow().frontend("web")).get().extracting(VipCounters::first).isEqualTo(2L);
    }

    @Test
    void aVipThatMovedUnnoticedIsFollowedByTheNextHandOverWithoutACliScrape() throws Exception {
        fake(1);
        connect();
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        CountedVip api = counted("api", "192.0.2.2", 6, 443);
        addVip(web);
        addVip(api);
        configured.set(List.of(web, api));
        idleLoop();
        var session = conn.session().orElseThrow();
        loop.lbIndexes(session, java.util.Map.of(web.vip(), fake.vipIndex(web.vip()).orElseThrow(),
                api.vip(), fake.vipIndex(api.vip()).orElseThrow()));
        loop.scrapeNow();
        // A recreate whose calls timed out although VPP applied them: web moved, nobody said so.
        // Then web's old pool entry is collected and api's recreate takes it over (index reuse).
        int webOld = fake.vipIndex(web.vip()).orElseThrow();
        get(conn.lb().delVip(web.vip()));
        addVip(web);
        fake.collectGarbage();
        get(conn.lb().delVip(api.vip()));
        addVip(api);
        assertThat(fake.vipIndex(api.vip())).as("index reuse").hasValue(webOld);
        fake.bumpVip(web.vip(), 0, 9, 0, 0, 9, 900);
        fake.bumpVip(api.vip(), 0, 1, 0, 0, 1, 100);
        assertThat(loop.scrapeNow().orElseThrow().frontend("web")).as("stale: api's counters under web's name")
                .get().extracting(VipCounters::next).isEqualTo(1L);
        // the repair's (or the periodic) full sync reads the table and hands the indexes over
        loop.lbIndexes(session, java.util.Map.of(web.vip(), fake.vipIndex(web.vip()).orElseThrow(),
                api.vip(), fake.vipIndex(api.vip()).orElseThrow()));
        assertThat(loop.scrapeNow().orElseThrow().vips()).extracting(VipCounters::frontend, VipCounters::next)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", 9L), org.assertj.core.groups.Tuple.tuple("api", 1L));
        assertThat(fake.callCount("cli_inband")).isZero();
    }

    @Test
    void aDeletedAndRecreatedVipIsFollowedAfterInvalidate() throws Exception {
        fake(1);
        connect();
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        addVip(web);
        fake.bumpVip(web.vip(), 2, 0, 0, 0, 2, 200);
        configured.set(List.of(web));
        idleLoop();
        assertThat(loop.scrapeNow().orElseThrow().frontend("web")).get().extracting(VipCounters::first).isEqualTo(2L);
        // web is deleted and re-created (e.g. a src-ip-sticky flip): the old entry is "removed"
        // and still listed until garbage collection, the new one has another index.
        int oldIndex = fake.vipIndex(web.vip()).orElseThrow();
        get(conn.lb().delVip(web.vip()));
        addVip(web);
        assertThat(fake.vipIndex(web.vip()).orElseThrow()).isNotEqualTo(oldIndex);
        assertThat(fake.cli("show lb vips verbose")).contains("192.0.2.1/32 removed");
        fake.bumpVip(web.vip(), 9, 1, 0, 0, 10, 1000);
        assertThat(loop.scrapeNow().orElseThrow().frontend("web")).as("without invalidate: the old index")
                .get().extracting(VipCounters::first).isEqualTo(2L);
        loop.invalidate();
        assertThat(loop.scrapeNow().orElseThrow().frontend("web")).get()
                .extracting(VipCounters::first, VipCounters::next).containsExactly(9L, 1L);
    }

    @Test
    void disconnectClearsTheSnapshotAndReconnectRestoresIt() throws Exception {
        fake(1);
        connect();
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        addVip(web);
        fake.bumpVip(web.vip(), 4, 4, 0, 0, 8, 800);
        configured.set(List.of(web));
        loop(Duration.ofMillis(100));
        await().atMost(LONG).until(() -> current("web").map(VipCounters::first).orElse(0L) == 4L);
        // Registered after the loop: told of the disconnect after it, i.e. after it cleared.
        AtomicReference<Optional<CountersSnapshot>> atDisconnect = new AtomicReference<>();
        conn.addListener(new VppConnectionListener() {
            @Override
            public void onDisconnected(String reason) {
                atDisconnect.set(loop.snapshot());
            }
        });

        fake.dropConnections();
        await().atMost(LONG).until(() -> atDisconnect.get() != null);
        assertThat(atDisconnect.get()).as("cleared on disconnect").isEmpty();
        await().atMost(LONG).until(() -> conn.isConnected()
                && current("web").map(VipCounters::first).orElse(0L) == 4L);
    }

    @Test
    void afterAVppRestartNewIndexesAreDiscoveredAndTheBootTimeChanges() throws Exception {
        fake(1);
        connect();
        assertThat(conn.info().bootTime()).contains(BOOT);
        assertThat(conn.info().uptime(T0)).contains(Duration.ofMinutes(30));
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        CountedVip api = counted("api", "192.0.2.2", 6, 443);
        addVip(web);
        addVip(api);
        fake.bumpVip(web.vip(), 4, 4, 0, 0, 8, 800);
        fake.bumpVip(api.vip(), 1, 1, 0, 0, 2, 200);
        configured.set(List.of(web, api));
        loop(Duration.ofMillis(100));
        await().atMost(LONG).until(() -> current("api").map(VipCounters::first).orElse(0L) == 1L);
        int webIndex = fake.vipIndex(web.vip()).orElseThrow();

        fake.restart();
        await().atMost(LONG).until(() -> conn.isConnected() && conn.info().pid() == 7001);
        assertThat(conn.info().bootTime()).get().isNotEqualTo(BOOT).isEqualTo(fake.bootTime());
        // The reconciler re-creates the VIPs, in another order: api gets web's old index.
        addVip(api);
        addVip(web);
        assertThat(fake.vipIndex(api.vip())).hasValue(webIndex);
        fake.bumpVip(web.vip(), 0, 3, 0, 0, 3, 300);
        fake.bumpVip(api.vip(), 2, 0, 0, 0, 2, 200);
        await().atMost(LONG).untilAsserted(() -> assertThat(loop.snapshot().orElseThrow().vips()).containsExactly(
                counters("web", "192.0.2.1/32", 6, 80, 0, 3, 0, 0, 3, 300),
                counters("api", "192.0.2.2/32", 6, 443, 2, 0, 0, 0, 2, 200)));
    }

    @Test
    void aBusySegmentKeepsThePreviousSnapshotAndLogsAtDebug() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(CountersLoop.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try {
            fake(1);
            connect(StatsSessionPart.unixSocket(dir.resolve("stats.sock"),
                    StatsOptions.DEFAULT.withLockTimeout(Duration.ofMillis(50))));
            await().atMost(LONG).until(conn::isConnected);
            CountedVip web = counted("web", "192.0.2.1", 6, 80);
            CountedVip api = counted("api", "192.0.2.2", 6, 443);
            addVip(web);
            addVip(api);
            configured.set(List.of(web, api));
            idleLoop();
            CountersSnapshot good = loop.scrapeNow().orElseThrow();
            assertThat(logs.list.stream().filter(e -> e.getMessage().equals("vpp-lb-stats")).count())
                    .as("one DEBUG line per VIP per scrape").isEqualTo(2);
            ILoggingEvent line = logs.list.stream().filter(e -> e.getMessage().equals("vpp-lb-stats")).findFirst()
                    .orElseThrow();
            assertThat(kv(line, "frontend")).isEqualTo("web");
            assertThat(kv(line, "vip")).isEqualTo("192.0.2.1/32 tcp 80");

            FakeStatsSegment seg = fake.statsSegment().orElseThrow();
            try (FakeStatsSegment.HeldLock held = seg.holdLock()) { // VPP stuck holding the segment lock
                assertThat(loop.scrapeNow()).isEmpty();
                assertThat(loop.snapshot()).containsSame(good);
            }
            ILoggingEvent error = logs.list.stream().filter(e -> e.getMessage().equals("vpp-lb-stats-error"))
                    .findFirst().orElseThrow();
            assertThat(error.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(kv(error, "stage")).isEqualTo("read");
            assertThat((String) kv(error, "error")).contains("locked");
            assertThat(loop.scrapeNow()).as("the loop goes on").isPresent();
        } finally {
            logger.setLevel(level);
            logger.detachAppender(logs);
        }
    }

    private static Object kv(ILoggingEvent e, String key) {
        return e.getKeyValuePairs().stream().filter(p -> p.key.equals(key)).findFirst().orElseThrow().value;
    }

    @Test
    void anUnchangedScrapeReusesTheValuesOfThePreviousSnapshot() throws Exception {
        fake(1);
        connect();
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        addVip(web);
        configured.set(List.of(web));
        idleLoop();
        CountersSnapshot a = loop.scrapeNow().orElseThrow();
        CountersSnapshot b = loop.scrapeNow().orElseThrow();
        assertThat(b).isNotSameAs(a).isEqualTo(a);
        fake.bumpVip(web.vip(), 1, 0, 0, 0, 1, 60);
        CountersSnapshot c = loop.scrapeNow().orElseThrow();
        assertThat(c.vips().getFirst().first()).isEqualTo(1);
        assertThat(a.vips().getFirst().first()).as("published snapshots never change").isZero();
    }

    @Test
    void withStatsDisabledTheSessionIsApiOnlyAndNoSnapshotIsPublished() throws Exception {
        fake(1);
        connect(StatsSessionPart.disabled());
        await().atMost(LONG).until(conn::isConnected);
        assertThat(stats.enabled()).isFalse();
        assertThat(conn.info().bootTime()).isEmpty();
        assertThat(conn.info().uptime(T0)).isEmpty();
        CountedVip web = counted("web", "192.0.2.1", 6, 80);
        addVip(web);
        configured.set(List.of(web));
        loop(Duration.ofMillis(100));
        assertThat(loop.scrapeNow()).isEmpty();
        assertThat(loop.snapshot()).isEmpty();
        assertThat(fake.callCount("cli_inband")).as("nothing to read, nothing asked").isZero();
    }

    @Test
    void apiAndStatsAreOneUnitTheSessionWaitsForTheStatsSocket() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).pid(7000).build().start(); // no stats.sock
        Path statsSock = dir.resolve("late-stats.sock");
        connect(StatsSessionPart.unixSocket(statsSock, StatsOptions.DEFAULT));
        await().atMost(LONG).until(() -> fake.callCount("sockclnt_delete") >= 2);
        assertThat(conn.isConnected()).as("API session abandoned while stats.sock is missing").isFalse();
        try (FakeStatsSegment seg = FakeStatsSegment.create()) {
            seg.setBootTime(BOOT.getEpochSecond());
            seg.serve(statsSock);
            await().atMost(LONG).until(conn::isConnected);
            assertThat(conn.info().bootTime()).contains(BOOT);
            assertThat(stats.segment()).isPresent();
            conn.close();
            assertThat(stats.segment()).as("closed with the session").isEmpty();
            assertThat(stats.bootTime()).isEmpty();
        }
    }

    @Test
    void theLiveConfigIsTheVipSource() throws Exception {
        Config config = ConfigLoader.parse("""
                maglev:
                  vpp:
                    lb: { ipv4-src-address: 192.0.2.254 }
                  healthchecks:
                    t: { type: tcp, port: 80 }
                  backends:
                    b1: { address: 10.0.0.1, healthcheck: t }
                  frontends:
                    web:
                      address: 192.0.2.1
                      protocol: tcp
                      port: 80
                      pools: [ { name: p, backends: { b1: {} } } ]
                    all:
                      address: 192.0.2.3
                      pools: [ { name: p, backends: { b1: {} } } ]
                """, "maglev.yaml", ConfigLoader.Options.DEFAULTS);
        AtomicReference<Config> live = new AtomicReference<>(config);
        var source = CountedVip.fromLiveConfig(live::get);
        List<CountedVip> vips = source.get();
        assertThat(vips).containsExactly(counted("web", "192.0.2.1", 6, 80), counted("all", "192.0.2.3", 255, 0));
        assertThat(source.get()).as("same config, same list").isSameAs(vips);
        live.set(new Config(config.source(), config.healthchecker(), config.vppLb(), config.healthchecks(),
                config.backends(), config.frontends()));
        assertThat(source.get()).isNotSameAs(vips).isEqualTo(vips);

        fake(1);
        connect();
        for (CountedVip v : vips) {
            addVip(v);
        }
        fake.bumpVip(vips.get(1).vip(), 0, 0, 0, 3, 3, 180);
        loop = new CountersLoop(conn, stats, source, Duration.ofHours(1), Clock.fixed(T0, ZoneOffset.UTC));
        loop.start();
        await().atMost(LONG).untilAsserted(() -> assertThat(current("all"))
                .contains(counters("all", "192.0.2.3/32", 255, 0, 0, 0, 0, 3, 3, 180)));
    }
}
