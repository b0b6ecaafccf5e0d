package dev.vppmaglev.daemon.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.daemon.BuildInfo;
import dev.vppmaglev.daemon.ConfigManager;
import dev.vppmaglev.daemon.VppControl;
import dev.vppmaglev.daemon.events.EventHub;
import dev.vppmaglev.daemon.logging.LogLevel;
import dev.vppmaglev.daemon.logging.Logging;
import dev.vppmaglev.daemon.logging.SlogEncoder;
import dev.vppmaglev.health.BackendTransition;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.FrontendTransition;
import dev.vppmaglev.health.HealthListener;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a WatchEvents subscribe took the hub's lock and then the checker's (for the
 * frontend snapshot) while probe results took the checker's and then the hub's (publishing the
 * transition) — a deadlock that froze probing for good. Here 200 backends flap as fast as the
 * checker allows while clients keep subscribing and cancelling; no thread may deadlock and
 * probing must go on.
 */
class WatchSubscribeRaceTest {
    @TempDir
    Path dir;

    @Test
    void subscribingWhileBackendsFlapNeverDeadlocks() throws Exception {
        StringBuilder yaml = new StringBuilder("""
                maglev:
                  healthchecks:
                    hc: { type: tcp, port: 80, interval: 100ms, fast-interval: 100ms, down-interval: 100ms, rise: 1, fall: 1 }
                  backends:
                """);
        for (int i = 0; i < 200; i++) {
            yaml.append("    b").append(i).append(": { address: 10.0.").append(i / 250).append('.').append(i % 250 + 1)
                    .append(", healthcheck: hc }\n");
        }
        yaml.append("  frontends:\n");
        for (int f = 0; f < 20; f++) {
            yaml.append("    f").append(f).append(":\n      address: 192.0.2.").append(f + 1)
                    .append("\n      protocol: tcp\n      port: 80\n      pools:\n        - name: p\n          backends: {");
            for (int i = f * 10; i < f * 10 + 10; i++) {
                yaml.append(i == f * 10 ? "" : ", ").append('b').append(i).append(": {}");
            }
            yaml.append("}\n");
        }
        Path cfg = dir.resolve("maglev.yaml");
        Files.writeString(cfg, yaml);

        AtomicLong probes = new AtomicLong();
        // Every probe flips a coin: transitions on (almost) every probe, published under the lock.
        java.util.function.BiFunction<Object, Object, CompletableFuture<ProbeResult>> coin = (c, t) -> {
            probes.incrementAndGet();
            return CompletableFuture.completedFuture(ThreadLocalRandom.current().nextBoolean()
                    ? ProbeResult.pass("L4OK", "", Duration.ZERO) : ProbeResult.fail("L4CON", "refused", Duration.ZERO));
        };
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        Checker checker = new Checker((c, t) -> coin.apply(c, t), timer, InstantSource.system(), RandomGenerator.getDefault());
        Logging logging = Logging.configure(LogLevel.INFO, SlogEncoder.Format.JSON, new ByteArrayOutputStream());
        EventHub hub = new EventHub(logging::subscriberDemand);
        logging.streamTo(hub::publish);
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
        ConfigManager configs = new ConfigManager(cfg, new ConfigLoader.Options(false));
        checker.apply(configs.loadInitial());
        MaglevService service = new MaglevService(checker, configs, new VppControl.Disabled(), hub, logging,
                new BuildInfo("t", "t", "t"), Instant.now(), handlers);
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).addService(service).executor(handlers).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            int subscribes = 0;
            while (System.nanoTime() < end) {
                var ctx = io.grpc.Context.current().withCancellation();
                Iterator<Event> it = ctx.call(() -> MaglevGrpc.newBlockingStub(channel)
                        .watchEvents(WatchRequest.newBuilder().setFrontend(true).setLog(true).setLogLevel("debug").build()));
                assertThat(it.next().hasFrontend()).isTrue(); // the snapshot arrives
                ctx.cancel(null);
                subscribes++;
                assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).as("deadlocked threads").isNull();
            }
            long before = probes.get();
            Thread.sleep(500);
            assertThat(probes.get()).as("probing goes on after %d subscribes", subscribes).isGreaterThan(before);
            assertThat(subscribes).isGreaterThan(20);
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
            checker.close();
            timer.shutdownNow();
            handlers.shutdownNow();
        }
    }
}
