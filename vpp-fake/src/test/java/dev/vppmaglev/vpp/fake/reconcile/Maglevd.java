package dev.vppmaglev.vpp.fake.reconcile;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.ConfigException;
import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.vpp.StatsSessionPart;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionConfig;
import dev.vppmaglev.vpp.VppSessionPart;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.counters.CountedVip;
import dev.vppmaglev.vpp.counters.CountersLoop;
import dev.vppmaglev.vpp.lb.LbIndexListener;
import dev.vppmaglev.vpp.lb.LbReconciler;
import dev.vppmaglev.vpp.lb.LbSyncObserver;
import dev.vppmaglev.vpp.lb.SyncResult;
import dev.vppmaglev.vpp.stats.StatsOptions;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One maglevd as the daemon wires it (checker + VPP connection + reconciler), with a scripted
 * prober, against a fake VPP's API socket.
 */
final class Maglevd implements AutoCloseable {
    static final Duration LONG = Duration.ofSeconds(30);

    /** One {@link LbSyncObserver#onSync} call. */
    record Sync(String scope, SyncResult result) {}

    final ScriptedProber prober = new ScriptedProber();
    final List<Sync> syncs = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService probeTimers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-probe-timers");
        t.setDaemon(true);
        return t;
    });
    final Checker checker;
    final VppConnection connection;
    final LbReconciler reconciler;
    /** With {@link Builder#stats}: the counters loop, wired to the reconciler as the daemon wires it. */
    final CountersLoop counters;

    private Maglevd(Builder b) {
        checker = new Checker(prober, probeTimers, Clock.systemUTC(), new Random(1));
        if (b.prepare != null) {
            b.prepare.accept(prober);
        }
        checker.apply(b.config);
        StatsSessionPart stats = b.statsSocket == null ? null
                : StatsSessionPart.unixSocket(b.statsSocket, StatsOptions.DEFAULT);
        connection = new VppConnection(VppConnectionConfig.defaults(b.socket)
                .withReconnectInterval(Duration.ofMillis(200)).withApi(
                        dev.vppmaglev.vpp.api.VppApiClientConfig.defaults(b.socket).withRequestTimeout(b.requestTimeout)),
                b.apiObserver, stats == null ? VppSessionPart.NONE : stats, Clock.systemUTC());
        counters = stats == null ? null : new CountersLoop(connection, stats, CountedVip.fromLiveConfig(checker::config),
                b.countersInterval, Clock.systemUTC());
        LbIndexListener indexes = counters == null ? LbIndexListener.NONE
                : LbIndexListener.of(counters::lbIndexes, session -> counters.invalidate()); // as VppIntegration does
        reconciler = new LbReconciler(connection, checker, (scope, result) -> syncs.add(new Sync(scope, result)),
                indexes, b.clock, b.startedAt);
        reconciler.start();
        if (counters != null) {
            counters.start();
        }
        if (b.connectAfterUp) {
            awaitStates(BackendState.UP, b.config.backends().keySet().toArray(String[]::new));
        }
        connection.start();
    }

    static Builder builder(Path socket, String yaml) {
        return new Builder(socket, parse(yaml));
    }

    static Builder builder(Path socket, Config config) {
        return new Builder(socket, config);
    }

    static final class Builder {
        private final Path socket;
        private final Config config;
        private InstantSource clock = Clock.systemUTC();
        private Instant startedAt = Instant.now();
        private boolean connectAfterUp;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private ApiObserver apiObserver = ApiObserver.NONE;
        private java.util.function.Consumer<ScriptedProber> prepare;
        private Path statsSocket;
        private Duration countersInterval;

        Builder(Path socket, Config config) {
            this.socket = socket;
            this.config = config;
        }

        /** The warmup's clock and the process start it measures from. */
        Builder clock(InstantSource clock, Instant startedAt) {
            this.clock = clock;
            this.startedAt = startedAt;
            return this;
        }

        /** Start the VPP connection only once every backend is up. */
        Builder connectAfterUp() {
            this.connectAfterUp = true;
            return this;
        }

        Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        Builder apiObserver(ApiObserver o) {
            this.apiObserver = o;
            return this;
        }

        /** Scripts the prober before the first config is applied (before any probe). */
        Builder prober(java.util.function.Consumer<ScriptedProber> prepare) {
            this.prepare = prepare;
            return this;
        }

        /** Also map the stats segment served on {@code socket} and run the counters loop every {@code interval}. */
        Builder stats(Path socket, Duration interval) {
            this.statsSocket = socket;
            this.countersInterval = interval;
            return this;
        }

        Maglevd start() {
            return new Maglevd(this);
        }
    }

    static Config parse(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "maglev.yaml", ConfigLoader.Options.DEFAULTS);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** {@code yaml} with {@code from} replaced by {@code to}; fails when {@code from} is not there. */
    static String edit(String yaml, String from, String to) {
        if (!yaml.contains(from)) {
            throw new IllegalArgumentException("not in the config: '" + from + "'");
        }
        return yaml.replace(from, to);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    void reload(String yaml) {
        checker.apply(parse(yaml));
    }

    void healthy(String address, boolean ok) {
        prober.healthy(ip(address), ok);
    }

    void awaitStates(BackendState state, String... backends) {
        await().atMost(LONG).untilAsserted(() -> {
            Map<String, BackendState> now = checker.backendStates();
            for (String b : backends) {
                assertThat(now.get(b)).as(b).isEqualTo(state);
            }
        });
    }

    void awaitConnected() {
        await().atMost(LONG).until(connection::isConnected);
    }

    /** Syncs that ran with {@code scope}. */
    long syncCount(String scope) {
        return syncs.stream().filter(s -> s.scope().equals(scope)).count();
    }

    @Override
    public void close() {
        if (counters != null) {
            counters.close();
        }
        reconciler.close();
        connection.close();
        checker.close();
        probeTimers.shutdownNow();
    }
}
