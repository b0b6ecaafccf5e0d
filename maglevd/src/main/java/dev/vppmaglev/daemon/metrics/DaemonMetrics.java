package dev.vppmaglev.daemon.metrics;

import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.health.BackendStatus;
import dev.vppmaglev.health.BackendTransition;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.HealthListener;
import dev.vppmaglev.health.MemberWeight;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.health.Weights;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Objects;

/**
 * maglevd's Prometheus metrics (behaviour.md §8, spec README "Metrics and logs").
 *
 * <p>Gauges are computed on scrape from the checker's live state (no stale label sets after a
 * reload); counters and the probe histogram are updated as probes and transitions happen.
 */
public final class DaemonMetrics implements HealthListener {

    /** Probe duration buckets in seconds (the reference's). */
    static final double[] PROBE_BUCKETS = {.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5};

    private final PrometheusRegistry registry;
    private final Counter probes;
    private final Histogram probeDuration;
    private final Counter transitions;
    private final Counter grpcRequests;

    /** One scrape reads the backends' statuses once, however many gauges use them. */
    private static final long STATUS_REUSE_NANOS = 250_000_000L;

    private record Statuses(long takenNanos, List<BackendStatus> list) {}

    private final Checker checker;
    private volatile Statuses statuses;

    public DaemonMetrics(PrometheusRegistry registry, Checker checker) {
        this.registry = Objects.requireNonNull(registry);
        this.checker = Objects.requireNonNull(checker);
        probes = Counter.builder().name("maglev_probe_total")
                .help("Health-check probes by backend, check type, result (success|failure) and result code.")
                .labelNames("backend", "type", "result", "code").register(registry);
        probeDuration = Histogram.builder().name("maglev_probe_duration_seconds")
                .help("Duration of health-check probes in seconds.")
                .labelNames("backend", "type").classicUpperBounds(PROBE_BUCKETS).classicOnly()
                .register(registry);
        transitions = Counter.builder().name("maglev_backend_transitions_total")
                .help("Backend state transitions.")
                .labelNames("backend", "from", "to").register(registry);
        grpcRequests = Counter.builder().name("maglev_grpc_requests_total")
                .help("gRPC requests by method and status code.")
                .labelNames("method", "code").register(registry);

        GaugeWithCallback.builder().name("maglev_backend_state")
                .help("Backend state: 0 unknown, 1 up, 2 down, 3 paused, 4 disabled, 5 removed.")
                .labelNames("backend")
                .callback(cb -> {
                    for (BackendStatus s : statuses()) {
                        cb.call(s.state().ordinal(), s.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("maglev_backend_health")
                .help("Backend rise/fall counter (healthy when >= rise).")
                .labelNames("backend")
                .callback(cb -> {
                    for (BackendStatus s : statuses()) {
                        cb.call(s.counter(), s.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("maglev_backend_enabled")
                .help("1 when the backend is enabled, 0 when an operator or the config disabled it.")
                .labelNames("backend")
                .callback(cb -> {
                    for (BackendStatus s : statuses()) {
                        cb.call(s.enabled() ? 1 : 0, s.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("maglev_frontend_pool_backend_weight")
                .help("Effective weight (0-100) maglevd programs for a backend in a frontend's pool.")
                .labelNames("frontend", "pool", "backend")
                .callback(cb -> {
                    Checker.View view = checker.view();
                    for (Frontend f : view.config().frontends().values()) {
                        for (MemberWeight w : Weights.effectiveWeights(f, view::state)) {
                            cb.call(w.effective().weight(), f.name(), w.pool(), w.backend());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("maglev_frontend_pool_backend_configured_weight")
                .help("Configured weight (0-100) of a backend in a frontend's pool.")
                .labelNames("frontend", "pool", "backend")
                .callback(cb -> {
                    for (Frontend f : checker.config().frontends().values()) {
                        for (dev.vppmaglev.config.Pool p : f.pools()) {
                            for (dev.vppmaglev.config.PoolBackend pb : p.backends()) {
                                cb.call(pb.weight(), f.name(), p.name(), pb.backend());
                            }
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("maglev_frontend_state")
                .help("Frontend state: 0 unknown, 1 up, 2 down.")
                .labelNames("frontend")
                .callback(cb -> checker.frontendStates().forEach((name, st) -> cb.call(st.ordinal(), name)))
                .register(registry);
    }

    /** The backends' statuses, taken at most once per scrape (reused for 250 ms). */
    private List<BackendStatus> statuses() {
        Statuses s = statuses;
        long now = System.nanoTime();
        if (s == null || now - s.takenNanos() > STATUS_REUSE_NANOS) {
            s = new Statuses(now, checker.statuses());
            statuses = s;
        }
        return s.list();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void onProbe(String backend, HealthCheck check, ProbeResult r) {
        String type = check.type().keyword();
        probes.labelValues(backend, type, r.ok() ? "success" : "failure", r.code()).inc();
        probeDuration.labelValues(backend, type).observe(r.duration().toNanos() / 1e9);
    }

    @Override
    public void onBackendTransition(BackendTransition t) {
        transitions.labelValues(t.backend(), t.from().keyword(), t.to().keyword()).inc();
    }

    /** Counts one finished gRPC call. */
    public void grpcRequest(String method, String code) {
        grpcRequests.labelValues(method, code).inc();
    }
}
