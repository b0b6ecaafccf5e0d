package dev.vppmaglev.vpp.fake.reconcile;

import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.health.Prober;
import dev.vppmaglev.health.ResultCodes;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Prober} whose answers the test decides per backend address: pass (default) or fail,
 * answered at once; or held (the probe stays open, the backend stays where it is) until released.
 */
final class ScriptedProber implements Prober {
    static final ProbeResult PASS = ProbeResult.pass(ResultCodes.L7OK, "status 200", Duration.ofMillis(1));
    static final ProbeResult FAIL = ProbeResult.fail(ResultCodes.L4CON, "connection refused", Duration.ofMillis(1));

    private final Map<InetAddress, Boolean> healthy = new ConcurrentHashMap<>();
    private final Set<InetAddress> held = ConcurrentHashMap.newKeySet();
    private final List<Map.Entry<InetAddress, CompletableFuture<ProbeResult>>> open = new ArrayList<>();
    private volatile boolean holdAll;

    void healthy(InetAddress address, boolean ok) {
        healthy.put(address, ok);
    }

    /** Holds (true) or answers (false) probes of {@code address}. */
    void hold(InetAddress address, boolean hold) {
        if (hold) {
            held.add(address);
        } else {
            held.remove(address);
        }
    }

    /** Holds every probe until {@link #releaseAll()}. */
    void holdAll() {
        holdAll = true;
    }

    /** Answers every held probe (pass/fail as scripted) and stops holding. */
    void releaseAll() {
        holdAll = false;
        held.clear();
        List<Map.Entry<InetAddress, CompletableFuture<ProbeResult>>> waiting;
        synchronized (open) {
            waiting = List.copyOf(open);
            open.clear();
        }
        waiting.forEach(e -> e.getValue().complete(healthy.getOrDefault(e.getKey(), true) ? PASS : FAIL));
    }

    @Override
    public CompletableFuture<ProbeResult> probe(HealthCheck check, InetAddress target) {
        if (holdAll || held.contains(target)) {
            CompletableFuture<ProbeResult> f = new CompletableFuture<>();
            synchronized (open) {
                open.add(Map.entry(target, f));
            }
            return f;
        }
        return CompletableFuture.completedFuture(healthy.getOrDefault(target, true) ? PASS : FAIL);
    }
}
