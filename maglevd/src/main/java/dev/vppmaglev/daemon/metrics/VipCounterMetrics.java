package dev.vppmaglev.daemon.metrics;

import dev.vppmaglev.vpp.counters.CountersSnapshot;
import dev.vppmaglev.vpp.counters.VipCounters;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The per-VIP counters of the lb plugin and the FIB (spec README "Metrics and logs"), exported from
 * the counters loop's latest snapshot on every scrape: a scrape never talks to VPP and never
 * blocks. No series while there is no snapshot (VPP disconnected, stats disabled).
 *
 * <ul>
 *   <li>{@code maglev_vip_packets_total{prefix,protocol,port,kind}} — kind {@code first} (packets
 *       that opened a session), {@code next} (packets of existing sessions), {@code untracked},
 *       {@code no_server} (dropped: no AS with weight);</li>
 *   <li>{@code maglev_vip_route_packets_total}, {@code maglev_vip_route_bytes_total} — the VIP's
 *       host route ({@code /net/route/to}).</li>
 * </ul>
 */
public final class VipCounterMetrics {
    private VipCounterMetrics() {}

    /** Registers the three counters; {@code snapshot} is the counters loop's latest. */
    public static void register(PrometheusRegistry registry, Supplier<Optional<CountersSnapshot>> snapshot) {
        CounterWithCallback.builder().name("maglev_vip_packets_total")
                .help("Packets the lb plugin handled for a VIP, by kind: first (new session), next (existing "
                        + "session), untracked, no_server (no AS with weight).")
                .labelNames("prefix", "protocol", "port", "kind")
                .callback(cb -> snapshot.get().ifPresent(s -> {
                    for (VipCounters v : s.vips()) {
                        String prefix = v.prefix().toString();
                        String proto = protocol(v.protocol());
                        String port = Integer.toString(v.port());
                        cb.call(v.first(), prefix, proto, port, "first");
                        cb.call(v.next(), prefix, proto, port, "next");
                        cb.call(v.untracked(), prefix, proto, port, "untracked");
                        cb.call(v.noServer(), prefix, proto, port, "no_server");
                    }
                })).register(registry);
        CounterWithCallback.builder().name("maglev_vip_route_packets_total")
                .help("Packets forwarded on the VIP's host route (VPP FIB /net/route/to).")
                .labelNames("prefix", "protocol", "port")
                .callback(cb -> snapshot.get().ifPresent(s -> {
                    for (VipCounters v : s.vips()) {
                        cb.call(v.fibPackets(), v.prefix().toString(), protocol(v.protocol()), Integer.toString(v.port()));
                    }
                })).register(registry);
        CounterWithCallback.builder().name("maglev_vip_route_bytes_total")
                .help("Bytes forwarded on the VIP's host route (VPP FIB /net/route/to).")
                .labelNames("prefix", "protocol", "port")
                .callback(cb -> snapshot.get().ifPresent(s -> {
                    for (VipCounters v : s.vips()) {
                        cb.call(v.fibBytes(), v.prefix().toString(), protocol(v.protocol()), Integer.toString(v.port()));
                    }
                })).register(registry);
    }

    /** {@code tcp}, {@code udp}, {@code any}, or the number. */
    static String protocol(int p) {
        return switch (p) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 255 -> "any";
            default -> Integer.toString(p);
        };
    }
}
