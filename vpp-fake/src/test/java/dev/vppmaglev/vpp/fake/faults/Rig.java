package dev.vppmaglev.vpp.fake.faults;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.ConfigException;
import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.vpp.StatsSessionPart;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionConfig;
import dev.vppmaglev.vpp.VppConnectionListener;
import dev.vppmaglev.vpp.VppSession;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.counters.CountedVip;
import dev.vppmaglev.vpp.counters.CountersLoop;
import dev.vppmaglev.vpp.lb.LbIndexListener;
import dev.vppmaglev.vpp.lb.LbReconciler;
import dev.vppmaglev.vpp.lb.SyncResult;
import dev.vppmaglev.vpp.stats.StatsOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * maglevd's VPP side as {@code VppIntegration} wires it — real {@link Checker} (scripted prober),
 * real {@link VppConnection} (optionally with the stats part), the {@link LbReconciler} and the
 * {@link CountersLoop} — with intervals short enough for many faults per second.
 */
final class Rig implements AutoCloseable {
    /** One {@code onSync} call of the reconciler. */
    record Sync(String scope, SyncResult result) {}

    final ScriptedHealth health = new ScriptedHealth();
    final ScheduledExecutorService probeTimers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-probe-timers");
        t.setDaemon(true);
        return t;
    });
    final Checker checker;
    final StatsSessionPart stats;
    final VppConnection connection;
    final LbReconciler reconciler;
    final CountersLoop counters; // null without a stats socket
    final List<Sync> syncs = new CopyOnWriteArrayList<>();
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();

    private Rig(Builder b) {
        checker = new Checker(health, probeTimers, Clock.systemUTC(), new Random(1));
        checker.apply(b.config);
        stats = b.statsSocket == null ? StatsSessionPart.disabled()
                : StatsSessionPart.unixSocket(b.statsSocket, StatsOptions.DEFAULT);
        VppApiClientConfig api = VppApiClientConfig.defaults(b.apiSocket).withRequestTimeout(b.requestTimeout)
                .withConnectTimeout(b.connectTimeout);
        connection = new VppConnection(new VppConnectionConfig(api, b.pingInterval, b.pingMisses, b.reconnectInterval),
                ApiObserver.NONE, stats, Clock.systemUTC());
        connection.addListener(new VppConnectionListener() {
            @Override
            public void onConnected(VppSession session) {
                connects.incrementAndGet();
            }

            @Override
            public void onDisconnected(String reason) {
                disconnects.incrementAndGet();
            }
        });
        counters = b.statsSocket == null ? null : new CountersLoop(connection, stats,
                CountedVip.fromLiveConfig(checker::config), b.countersInterval, Clock.systemUTC());
        LbIndexListener indexes = counters == null ? LbIndexListener.NONE
                : LbIndexListener.of(counters::lbIndexes, session -> counters.invalidate()); // as VppIntegration does
        reconciler = new LbReconciler(connection, checker, (scope, r) -> syncs.add(new Sync(scope, r)), indexes,
                Clock.systemUTC(), Instant.now());
        connection.start();
        reconciler.start();
        if (counters != null) {
            counters.start();
        }
    }

    static Builder builder(Path apiSocket, Config config) {
        return new Builder(apiSocket, config);
    }

    static final class Builder {
        private final Path apiSocket;
        private final Config config;
        private Path statsSocket;
        private Duration requestTimeout = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration pingInterval = Duration.ofSeconds(1);
        private int pingMisses = 2;
        private Duration reconnectInterval = Duration.ofMillis(50);
        private Duration countersInterval = Duration.ofMillis(100);

        private Builder(Path apiSocket, Config config) {
            this.apiSocket = apiSocket;
            this.config = config;
        }

        /** Also map the stats segment from {@code socket} and run the counters loop. */
        Builder stats(Path socket) {
            this.statsSocket = socket;
            return this;
        }

        Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        Builder ping(Duration interval, int misses) {
            this.pingInterval = interval;
            this.pingMisses = misses;
            return this;
        }

        Builder reconnectInterval(Duration d) {
            this.reconnectInterval = d;
            return this;
        }

        Builder countersInterval(Duration d) {
            this.countersInterval = d;
            return this;
        }

        Rig start() {
            return new Rig(this);
        }
    }

    static Config parse(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "maglev.yaml", ConfigLoader.Options.DEFAULTS);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Live backend states, one lookup per name. */
    Map<String, BackendState> states() {
        return checker.backendStates();
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
