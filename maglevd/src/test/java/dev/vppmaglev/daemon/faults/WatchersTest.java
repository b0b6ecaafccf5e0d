package dev.vppmaglev.daemon.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.daemon.BuildInfo;
import dev.vppmaglev.daemon.ConfigManager;
import dev.vppmaglev.daemon.VppControl;
import dev.vppmaglev.daemon.events.EventHub;
import dev.vppmaglev.daemon.grpc.GrpcListen;
import dev.vppmaglev.daemon.grpc.GrpcServer;
import dev.vppmaglev.daemon.grpc.MaglevService;
import dev.vppmaglev.daemon.logging.LogLevel;
import dev.vppmaglev.daemon.logging.Logging;
import dev.vppmaglev.daemon.logging.SlogEncoder;
import dev.vppmaglev.daemon.metrics.DaemonMetrics;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.proto.BackendEvent;
import dev.vppmaglev.proto.BackendState;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 WatchEvents subscribers on the daemon's real gRPC server (the production
 * {@link GrpcServer} on a loopback port), one of which never reads. Events are published to the
 * hub in bursts of {@link #BURST} (the way the checker and the log stream publish them), until the
 * silent client is cut off and one burst beyond:
 * <ul>
 *   <li>the 999 readers receive the frontend snapshot and then every event, in order, and are
 *       never cut off;</li>
 *   <li>the silent one is dropped once {@link MaglevService#WATCH_QUEUE_CAPACITY} events wait
 *       for it; when it finally reads it gets an in-order prefix and then
 *       {@code RESOURCE_EXHAUSTED} saying why;</li>
 *   <li>memory stays bounded: the heap (measured after GC) grows by about one full queue while
 *       the silent client is connected and returns to its level once it is dropped.</li>
 * </ul>
 */
class WatchersTest {
    static final int SUBSCRIBERS = 1000;
    static final int BURST = 500;
    static final int CHANNELS = 4;
    static final long SEED = Long.getLong("maglev.faults.seed", 20261121L);

    @TempDir
    Path dir;

    /** One reading subscriber: what it got, checked as it arrives. */
    static final class Reader implements StreamObserver<Event> {
        volatile long received;
        volatile long next; // the next burst event expected
        volatile String broken;
        volatile Throwable error;
        volatile boolean snapshotSeen;

        @Override
        public void onNext(Event e) {
            if (!snapshotSeen) {
                snapshotSeen = true;
                if (!e.hasFrontend() || e.getFrontend().getFrom() != e.getFrontend().getTo()) {
                    broken = "first event is not the frontend snapshot: " + e;
                }
            } else if (e.getTimeNs() != next) {
                broken = broken != null ? broken : "expected event " + next + ", got " + e.getTimeNs();
            } else {
                next++;
            }
            received++;
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            error = new IllegalStateException("stream completed");
        }
    }

    /** The subscriber that reads nothing until told to. */
    static final class Silent implements ClientResponseObserver<WatchRequest, Event> {
        volatile ClientCallStreamObserver<WatchRequest> call;
        final List<Long> got = new ArrayList<>();
        final CompletableFuture<Status> closed = new CompletableFuture<>();

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(0);
        }

        @Override
        public synchronized void onNext(Event e) {
            got.add(e.hasFrontend() ? -1 : e.getTimeNs()); // -1: the frontend snapshot
        }

        @Override
        public void onError(Throwable t) {
            closed.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            closed.complete(Status.OK);
        }
    }

    @Test
    void aSilentSubscriberIsDroppedAndTheOther999KeepUp() throws Exception {
        Path config = dir.resolve("maglev.yaml");
        Files.writeString(config, """
                maglev:
                  vpp: { lb: { ipv4-src-address: 192.0.2.254 } }
                  healthchecks: { hc: { type: tcp, port: 80 } }
                  backends: { a: { address: 10.0.0.1, healthcheck: hc } }
                  frontends:
                    web:
                      address: 192.0.2.1
                      protocol: tcp
                      port: 80
                      pools: [ { name: p, backends: { a: {} } } ]
                """);
        Logging logging = Logging.configure(LogLevel.INFO, SlogEncoder.Format.JSON, OutputStream.nullOutputStream());
        EventHub hub = new EventHub(logging::subscriberDemand);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        Checker checker = new Checker((check, target) -> CompletableFuture.completedFuture(
                ProbeResult.pass("L4OK", "", Duration.ZERO)), timer, InstantSource.system(), new Random(SEED));
        ConfigManager configs = new ConfigManager(config, ConfigLoader.Options.DEFAULTS);
        checker.apply(configs.loadInitial());
        MaglevService service = new MaglevService(checker, configs, new VppControl.Disabled(), hub, logging,
                new BuildInfo("test", "test", "test"), Instant.now(), handlers);
        GrpcServer server = new GrpcServer(service, new DaemonMetrics(new PrometheusRegistry(), checker),
                GrpcListen.plain(new InetSocketAddress("127.0.0.1", 0)), handlers);
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            long heapBefore = heapAfterGc();
            WatchRequest request = WatchRequest.newBuilder().setBackend(true).setFrontend(true).build();
            List<Reader> readers = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++) {
                channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.tcpPort()).usePlaintext()
                        .directExecutor().build());
            }
            for (int i = 0; i < SUBSCRIBERS - 1; i++) {
                Reader r = new Reader();
                readers.add(r);
                MaglevGrpc.newStub(channels.get(i % CHANNELS)).watchEvents(request, r);
            }
            // The silent one: its own connection, a small HTTP/2 window, no messages requested.
            ManagedChannel silentChannel = NettyChannelBuilder.forAddress("127.0.0.1", server.tcpPort())
                    .usePlaintext().flowControlWindow(16 * 1024).directExecutor().build();
            channels.add(silentChannel);
            Silent silent = new Silent();
            MaglevGrpc.newStub(silentChannel).watchEvents(request, silent);
            await().atMost(Duration.ofSeconds(60)).until(() -> hub.subscriberCount() == SUBSCRIBERS
                    && readers.stream().allMatch(r -> r.snapshotSeen));
            long heapSubscribed = heapAfterGc();

            long published = 0;
            long publishNanos = 0;
            long heapPeak = heapSubscribed;
            long droppedAt = -1;
            int burstsAfterDrop = 0;
            long started = System.nanoTime();
            while (burstsAfterDrop < 1) {
                long t = System.nanoTime();
                for (int i = 0; i < BURST; i++) {
                    hub.publish(event(published++));
                }
                publishNanos += System.nanoTime() - t;
                long target = published;
                await().atMost(Duration.ofSeconds(60)).until(() -> readers.stream().allMatch(r -> r.next >= target
                        || r.broken != null || r.error != null));
                if (droppedAt < 0) {
                    heapPeak = Math.max(heapPeak, heapAfterGc());
                    if (hub.subscriberCount() < SUBSCRIBERS) {
                        droppedAt = published;
                    }
                } else {
                    burstsAfterDrop++;
                }
                assertThat(published).as("the silent subscriber was never dropped").isLessThan(40L * BURST);
            }
            long took = System.nanoTime() - started;

            for (Reader r : readers) {
                assertThat(r.broken).as("a reader saw its events out of order or lost one").isNull();
                assertThat(r.error).as("a reader was cut off").isNull();
                assertThat(r.received).isEqualTo(1 + published);
            }
            assertThat(hub.subscriberCount()).isEqualTo(SUBSCRIBERS - 1);
            long heapDropped = heapAfterGc();

            // Now it reads: what was in flight, in order, then the reason it was dropped.
            silent.call.request(Integer.MAX_VALUE);
            Status status = silent.closed.get(30, TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).isEqualTo("event stream dropped: the client read too slowly and "
                    + MaglevService.WATCH_QUEUE_CAPACITY + " events were pending");
            List<Long> got;
            synchronized (silent) {
                got = List.copyOf(silent.got);
            }
            assertThat(got.getFirst()).as("the snapshot comes first").isEqualTo(-1L);
            List<Long> burst = got.subList(1, got.size());
            for (int i = 0; i < burst.size(); i++) {
                assertThat(burst.get(i)).as("silent client event %d", i).isEqualTo(i);
            }
            assertThat((long) burst.size() + MaglevService.WATCH_QUEUE_CAPACITY).as("dropped when its queue was full")
                    .isLessThanOrEqualTo(droppedAt);

            double mib = 1024.0 * 1024.0;
            System.out.printf(Locale.ROOT, "FIGURE watchers: %d subscribers over %d+1 loopback HTTP/2 connections, "
                            + "bursts of %d, seed %d%n", SUBSCRIBERS, CHANNELS, BURST, SEED);
            System.out.printf(Locale.ROOT, "FIGURE   %d events published (%d messages delivered) in %.1f s; hub.publish "
                            + "%.1f us per event for %d subscribers (never blocks)%n", published,
                    published * (SUBSCRIBERS - 1), took / 1e9, publishNanos / 1e3 / published, SUBSCRIBERS);
            System.out.printf(Locale.ROOT, "FIGURE   silent subscriber dropped after %d events (queue cap %d); it had "
                            + "%d in flight in the transport; RESOURCE_EXHAUSTED%n", droppedAt,
                    MaglevService.WATCH_QUEUE_CAPACITY, burst.size());
            System.out.printf(Locale.ROOT, "FIGURE   heap after GC: %.1f MiB before, %.1f MiB with 1,000 subscribers "
                            + "(%.1f KiB each), %.1f MiB peak while the silent queue filled, %.1f MiB after the drop%n",
                    heapBefore / mib, heapSubscribed / mib, (heapSubscribed - heapBefore) / 1024.0 / SUBSCRIBERS,
                    heapPeak / mib, heapDropped / mib);
            assertThat(heapPeak - heapSubscribed).as("a full queue is a few MiB, not more").isLessThan(64L << 20);
            assertThat(heapDropped - heapSubscribed).as("memory returns after the drop").isLessThan(16L << 20);
        } finally {
            for (ManagedChannel c : channels) {
                c.shutdownNow();
            }
            server.close();
            handlers.shutdownNow();
            timer.shutdownNow();
            checker.close();
        }
    }

    private static Event event(long seq) {
        return Event.newBuilder().setTimeNs(seq).setBackend(BackendEvent.newBuilder()
                .setName(String.format(Locale.ROOT, "backend-%04d", seq % 5000))
                .setFrom(BackendState.BACKEND_STATE_UP).setTo(BackendState.BACKEND_STATE_DOWN)
                .setCode("L7TOUT").setDetail("no response within 1000 ms")).build();
    }

    private static long heapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
