package dev.vppmaglev.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.Checker;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The daemon's probe timer: cancelled probe timers leave its queue at once. */
class HealthRuntimeTest {
    @Test
    void cancelledProbeTimersDoNotPileUpInTheQueue() throws Exception {
        try (HealthRuntime runtime = new HealthRuntime("test")) {
            ScheduledExecutorService timer = timer(runtime);
            assertThat(timer).isInstanceOf(ScheduledThreadPoolExecutor.class);
            ScheduledThreadPoolExecutor pool = (ScheduledThreadPoolExecutor) timer;

            Thread t = timer.submit(Thread::currentThread).get(30, TimeUnit.SECONDS);
            assertThat(t.getName()).isEqualTo("probe-timer");
            assertThat(t.isDaemon()).isTrue();

            // A check whose first probe is due up to an hour out: every enable schedules that
            // timer, every disable cancels it.
            Checker checker = runtime.checker();
            checker.apply(ConfigLoader.parse("""
                    maglev:
                      healthchecks:
                        slow: { type: tcp, port: 9, interval: 1h }
                      backends:
                        a: { address: 127.0.0.1, healthcheck: slow, enabled: false }
                    """, "maglev.yaml", ConfigLoader.Options.DEFAULTS));
            for (int i = 0; i < 1000; i++) {
                checker.enable("a");
                checker.disable("a");
            }
            assertThat(checker.state("a")).isEqualTo(BackendState.DISABLED);
            assertThat(pool.getQueue()).as("timers left in the delay queue after 1,000 cancels").isEmpty();
        }
    }

    /** The runtime's timer (a private detail: the daemon hands it to no one else). */
    private static ScheduledExecutorService timer(HealthRuntime runtime) throws ReflectiveOperationException {
        Field f = HealthRuntime.class.getDeclaredField("timer");
        f.setAccessible(true);
        return (ScheduledExecutorService) f.get(runtime);
    }
}
