package dev.vppmaglev.daemon.metrics;

import dev.vppmaglev.vpp.VppInfo;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.Direction;
import dev.vppmaglev.vpp.lb.LbSyncObserver;
import dev.vppmaglev.vpp.lb.SyncResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * VPP metrics (behaviour.md §8): connection gauges computed on scrape (skipped while VPP is
 * disconnected, as the reference does), {@code maglev_vpp_api_total} counted for every
 * binary-API message and {@code maglev_vpp_lbsync_total} for every change the reconciler made.
 */
public final class VppMetrics implements ApiObserver, LbSyncObserver {
    private final Counter api;
    private final Counter lbsync;

    /** Registers the counters; the gauges come with {@link #registerGauges} once the connection exists. */
    public VppMetrics(PrometheusRegistry registry) {
        api = Counter.builder().name("maglev_vpp_api_total")
                .help("VPP binary-API messages by message, direction (send|recv) and result (success|failure).")
                .labelNames("msg", "direction", "result").register(registry);
        lbsync = Counter.builder().name("maglev_vpp_lbsync_total")
                .help("Changes the lb reconciler made in VPP, by scope (all = full sync, vip = one frontend) and kind.")
                .labelNames("scope", "kind").register(registry);
    }

    /**
     * Registers the connection gauges, computed on scrape and skipped while disconnected.
     *
     * @param info     what is known about the connected VPP now
     * @param bootTime VPP's boot time from the stats segment, or {@code null} when unknown
     */
    public static void registerGauges(PrometheusRegistry registry, Supplier<VppInfo> info, Supplier<Instant> bootTime,
                                      Clock clock) {
        GaugeWithCallback.builder().name("maglev_vpp_connected")
                .help("1 while maglevd has a session with VPP's binary API, else 0.")
                .callback(cb -> cb.call(info.get().connected() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("maglev_vpp_info")
                .help("Always 1 while connected; labels describe the connected VPP.")
                .labelNames("version", "build_date", "pid")
                .callback(cb -> {
                    VppInfo i = info.get();
                    if (i.connected()) {
                        cb.call(1, i.version(), i.buildDate(), Integer.toString(i.pid()));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("maglev_vpp_connected_seconds")
                .help("Seconds since maglevd connected to VPP.")
                .callback(cb -> {
                    VppInfo i = info.get();
                    if (i.connected()) {
                        cb.call(seconds(Duration.between(i.connectedSince(), clock.instant())));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("maglev_vpp_uptime_seconds")
                .help("Seconds since VPP booted (stats segment /sys/boottime).")
                .callback(cb -> {
                    Instant boot = bootTime.get();
                    if (info.get().connected() && boot != null) {
                        cb.call(seconds(Duration.between(boot, clock.instant())));
                    }
                }).register(registry);
    }

    private static double seconds(Duration d) {
        return Math.max(0, d.toNanos() / 1e9);
    }

    /** Counts a sync's changes; kinds with zero changes are not emitted (behaviour.md §5.4). */
    @Override
    public void onSync(String scope, SyncResult r) {
        add(scope, "vip_added", r.vipAdded());
        add(scope, "vip_removed", r.vipRemoved());
        add(scope, "as_added", r.asAdded());
        add(scope, "as_removed", r.asRemoved());
        add(scope, "as_weight_updated", r.asWeightUpdated());
    }

    private void add(String scope, String kind, int n) {
        if (n > 0) {
            lbsync.labelValues(scope, kind).inc(n);
        }
    }

    @Override
    public void onMessage(String msg, Direction dir, boolean success) {
        api.labelValues(msg, dir.name().toLowerCase(Locale.ROOT), success ? "success" : "failure").inc();
    }
}
