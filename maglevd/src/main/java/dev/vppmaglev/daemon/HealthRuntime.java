package dev.vppmaglev.daemon;

import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.NetProber;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.random.RandomGenerator;

/**
 * The health-checking machinery the daemon owns: one Netty-based prober (tcp, http, https, icmp),
 * one timer thread for every backend's probe schedule, and the checker on top. Closing stops the
 * checker first, then the prober and the timer.
 */
final class HealthRuntime implements AutoCloseable {
    private final NetProber prober;
    private final ScheduledExecutorService timer;
    private final Checker checker;

    HealthRuntime(String version) {
        prober = NetProber.create(version);
        // Remove-on-cancel: every pause, disable, reload and close cancels timers, which would
        // otherwise stay in the delay queue until their (possibly far) due time.
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("probe-timer").factory());
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        checker = new Checker(prober, timer, InstantSource.system(), RandomGenerator.getDefault());
    }

    Checker checker() {
        return checker;
    }

    @Override
    public void close() {
        checker.close();
        prober.close();
        timer.shutdownNow();
    }
}
