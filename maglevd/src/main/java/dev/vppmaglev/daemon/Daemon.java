package dev.vppmaglev.daemon;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.ConfigException;
import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.daemon.events.EventHub;
import dev.vppmaglev.daemon.grpc.GrpcListen;
import dev.vppmaglev.daemon.grpc.GrpcServer;
import dev.vppmaglev.daemon.grpc.MutationPolicy;
import dev.vppmaglev.daemon.grpc.MaglevService;
import dev.vppmaglev.daemon.grpc.ProtoMapper;
import dev.vppmaglev.daemon.http.HttpEndpoints;
import dev.vppmaglev.daemon.logging.Logging;
import dev.vppmaglev.daemon.metrics.DaemonMetrics;
import dev.vppmaglev.daemon.metrics.VipCounterMetrics;
import dev.vppmaglev.daemon.metrics.VppMetrics;
import dev.vppmaglev.health.BackendTransition;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.FrontendTransition;
import dev.vppmaglev.health.HealthListener;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running maglevd: config, checker, event hub, metrics, gRPC and HTTP listeners, wired
 * together. {@link #start} brings them up in dependency order; {@link #close} takes them down in
 * reverse.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Deque<AutoCloseable> closers = new ArrayDeque<>();
    private final ConfigManager configs;
    private final Checker checker;
    private final EventHub hub;
    private final GrpcServer grpc;
    private final HttpEndpoints http;
    private final ExecutorService handlers;
    private final VppIntegration vppIntegration;
    /** Set once the first config is applied: /readiness and grpc.health.v1 say so. */
    private volatile boolean running;

    private Daemon(Flags flags, BuildInfo build, Logging logging, Instant startedAt) throws ConfigException, IOException {
        GrpcListen listen = grpcListen(flags); // bad flag combinations fail before anything starts
        configs = new ConfigManager(flags.config, new ConfigLoader.Options(flags.vppEnabled()));
        Config config = configs.loadInitial();

        try {
            hub = new EventHub(logging::subscriberDemand);
            logging.streamTo(hub::publish);

            HealthRuntime health = new HealthRuntime(build.version());
            closers.push(health);
            checker = health.checker();
            checker.addListener(new HealthListener() {
                @Override
                public void onBackendTransition(BackendTransition t) {
                    hub.publish(ProtoMapper.event(t));
                }

                @Override
                public void onFrontendTransition(FrontendTransition t) {
                    hub.publish(ProtoMapper.event(t));
                }
            });
            PrometheusRegistry registry = new PrometheusRegistry();
            DaemonMetrics metrics = new DaemonMetrics(registry, checker);
            checker.addListener(metrics);
            configs.onApply(checker::apply);

            VppControl vpp;
            Supplier<String> vppNotReady = () -> null;
            if (flags.vppEnabled()) {
                Path statsSocket = flags.vppStatsAddr == null || flags.vppStatsAddr.isBlank()
                        ? null : Path.of(flags.vppStatsAddr);
                VppMetrics vppMetrics = new VppMetrics(registry);
                VppIntegration integration = new VppIntegration(Path.of(flags.vppApiAddr), statsSocket, checker,
                        vppMetrics, vppMetrics, startedAt, Clock.systemUTC());
                VppMetrics.registerGauges(registry, integration::vppInfo, integration::bootTime, Clock.systemUTC());
                VipCounterMetrics.register(registry, integration::countersSnapshot);
                vpp = integration;
                vppNotReady = integration::notReadyReason;
                vppIntegration = integration;
            } else {
                vpp = new VppControl.Disabled();
                vppIntegration = null;
            }

            handlers = Executors.newVirtualThreadPerTaskExecutor();
            closers.push(handlers::shutdownNow);
            MaglevService service = new MaglevService(checker, configs, vpp, hub, logging, build, startedAt, handlers);

            grpc = new GrpcServer(service, metrics, listen, handlers);
            closers.push(grpc);
            // Runs just before grpc.close(): open WatchEvents streams end with "maglevd is shutting
            // down" instead of being cancelled (RST_STREAM) when the server's drain gives up.
            closers.push(service::endWatches);

            if (flags.metricsAddr.isBlank()) {
                http = null;
            } else {
                Supplier<String> vppReadiness = vppNotReady;
                Supplier<String> notReady = () -> !running ? "starting" : vppReadiness.get();
                http = new HttpEndpoints(ListenAddress.parse(flags.metricsAddr), registry, notReady);
                closers.push(http);
            }

            // Listeners first: a check may probe maglevd's own endpoints, and operators can watch
            // the very first transitions.
            checker.apply(config);
            if (vppIntegration != null) {
                // After the first apply: the reconciler never syncs before the checker has a config.
                vppIntegration.start();
                closers.push(vppIntegration);
            }
        } catch (IOException | RuntimeException e) {
            // A listener that cannot bind: stop what already started (checker, handlers, the
            // other listener) so a failed start leaves nothing running.
            close();
            throw e;
        }
        running = true;
        grpc.serving();
    }

    /**
     * The gRPC listener settings from the flags.
     *
     * @throws IllegalArgumentException for an unusable combination, naming the flags
     */
    static GrpcListen grpcListen(Flags flags) {
        InetSocketAddress tcp = flags.grpcAddr.isBlank() ? null : ListenAddress.parse(flags.grpcAddr);
        return new GrpcListen(tcp, path(flags.grpcSocket), flags.grpcSocketGroup, path(flags.grpcTlsCert),
                path(flags.grpcTlsKey), path(flags.grpcClientCa), MutationPolicy.parse(flags.grpcMutations),
                flags.reflection);
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    /**
     * Loads the config and starts every part.
     *
     * @throws ConfigException when the config does not load
     * @throws IOException     when a listener cannot bind
     */
    public static Daemon start(Flags flags, BuildInfo build, Logging logging, Instant startedAt)
            throws ConfigException, IOException {
        return new Daemon(flags, build, logging, startedAt);
    }

    /** The one reload path (SIGHUP, ReloadConfig). */
    public ConfigManager configs() {
        return configs;
    }

    /** Bound gRPC TCP port, -1 when none. */
    public int grpcPort() {
        return grpc.tcpPort();
    }

    /** Bound metrics port, -1 when disabled. */
    public int metricsPort() {
        return http == null ? -1 : http.port();
    }

    /** Stops everything in reverse start order. */
    @Override
    public void close() {
        while (!closers.isEmpty()) {
            AutoCloseable c = closers.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.atWarn().setMessage("shutdown-error").addKeyValue("error", String.valueOf(e)).log();
            }
        }
    }
}
