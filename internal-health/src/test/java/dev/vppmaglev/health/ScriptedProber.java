package dev.vppmaglev.health;

import dev.vppmaglev.config.HealthCheck;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Prober} whose results the test decides: per address healthy (L7OK) or not (L4CON), or
 * held (the future stays open until the test completes it).
 */
final class ScriptedProber implements Prober {
    record Call(InetAddress target, HealthCheck check, Instant at, CompletableFuture<ProbeResult> future) {}

    static final ProbeResult PASS = ProbeResult.pass(ResultCodes.L7OK, "status 200", Duration.ofMillis(1));
    static final ProbeResult FAIL = ProbeResult.fail(ResultCodes.L4CON, "connection refused", Duration.ofMillis(1));

    private final InstantSource clock;
    private final Map<InetAddress, Boolean> healthy = new ConcurrentHashMap<>();
    private final Set<InetAddress> held = ConcurrentHashMap.newKeySet();
    final List<Call> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    ScriptedProber(InstantSource clock) {
        this.clock = clock;
    }

    void healthy(String address, boolean ok) {
        healthy.put(Fixtures.ip(address), ok);
    }

    void hold(String address, boolean hold) {
        if (hold) {
            held.add(Fixtures.ip(address));
        } else {
            held.remove(Fixtures.ip(address));
        }
    }

    List<Call> callsTo(String address) {
        InetAddress a = Fixtures.ip(address);
        synchronized (calls) {
            return calls.stream().filter(c -> c.target().equals(a)).toList();
        }
    }

    /** Seconds since {@code start} of each call to {@code address}. */
    List<Double> callTimes(String address, Instant start) {
        return callsTo(address).stream().map(c -> Duration.between(start, c.at()).toMillis() / 1000.0).toList();
    }

    @Override
    public CompletableFuture<ProbeResult> probe(HealthCheck check, InetAddress target) {
        CompletableFuture<ProbeResult> f = new CompletableFuture<>();
        calls.add(new Call(target, check, clock.instant(), f));
        if (!held.contains(target)) {
            f.complete(healthy.getOrDefault(target, true) ? PASS : FAIL);
        }
        return f;
    }
}
