package dev.vppmaglev.vpp.fake.faults;

import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.health.Prober;
import dev.vppmaglev.health.ResultCodes;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link Prober} that answers at once, pass or fail as the test decides per address (pass by default). */
final class ScriptedHealth implements Prober {
    private static final ProbeResult PASS = ProbeResult.pass(ResultCodes.L7OK, "status 200", Duration.ofMillis(1));
    private static final ProbeResult FAIL = ProbeResult.fail(ResultCodes.L4CON, "connection refused",
            Duration.ofMillis(1));

    private final Map<InetAddress, Boolean> healthy = new ConcurrentHashMap<>();

    void healthy(InetAddress address, boolean ok) {
        healthy.put(address, ok);
    }

    boolean isHealthy(InetAddress address) {
        return healthy.getOrDefault(address, true);
    }

    @Override
    public CompletableFuture<ProbeResult> probe(HealthCheck check, InetAddress target) {
        return CompletableFuture.completedFuture(isHealthy(target) ? PASS : FAIL);
    }
}
