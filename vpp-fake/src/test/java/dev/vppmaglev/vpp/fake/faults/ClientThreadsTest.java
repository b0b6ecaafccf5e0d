package dev.vppmaglev.vpp.fake.faults;

import ch.qos.logback.classic.Level;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.Direction;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppConnectionException;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.ControlPingReply;
import dev.vppmaglev.vpp.api.msg.Empty;
import dev.vppmaglev.vpp.api.msg.LbVipDump;
import dev.vppmaglev.vpp.api.msg.ShowVersionReply;
import dev.vppmaglev.vpp.fake.FakeVpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's own threads (reader, writer, timer) against failures that are not the wire's: an
 * {@link ApiObserver} that throws, an {@link Error} on one of the threads, a connection that drops
 * while thousands of requests are queued. The rule: a thread of the client never dies silently —
 * either the client goes on (a throwing observer is logged once and ignored) or the session ends
 * and every request learns it — and nothing ever escapes as an uncaught exception (a stack trace
 * on stderr).
 */
class ClientThreadsTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    FakeVpp fake;
    final List<VppApiClient> clients = new ArrayList<>();
    final Events events = new Events();

    @AfterEach
    void stop() {
        events.close();
        clients.forEach(VppApiClient::close);
        if (fake != null) {
            fake.close();
        }
    }

    private VppApiClient client(VppApiClientConfig cfg, ApiObserver observer) throws IOException {
        if (fake == null) {
            fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).pid(4242).build().start();
        }
        VppApiClient c = VppApiClient.connect(cfg, observer);
        clients.add(c);
        return c;
    }

    private VppApiClientConfig config() {
        return VppApiClientConfig.defaults(dir.resolve("api.sock")).withRequestTimeout(LONG);
    }

    private static VppException failure(CompletableFuture<?> f) {
        try {
            f.get(LONG.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            VppException v = VppException.unwrap(e);
            assertThat(v).as("a VppException, not " + e).isNotNull();
            return v;
        }
        throw new AssertionError("expected a failure");
    }

    private static VppException closeCause(VppApiClient c) throws Exception {
        return c.closeFuture().get(LONG.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void anObserverThatThrowsIsLoggedOnceAndTheClientGoesOn() throws Exception {
        // e.g. a metrics registry that refuses a label: the counter is lost, the VPP session is not
        AtomicInteger calls = new AtomicInteger();
        VppApiClient c = client(config(), (msg, dir, ok) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("metrics registry closed");
        });
        for (int i = 0; i < 20; i++) {
            assertThat(c.call(Api.SHOW_VERSION, Empty.INSTANCE).get(LONG.toSeconds(), TimeUnit.SECONDS).program())
                    .isEqualTo("vpe");
            assertThat(c.dump(Api.LB_VIP_DUMP, LbVipDump.ALL).get(LONG.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        }
        fake.sendKeepalive(); // the reader answers on the writer; both call the observer
        await().atMost(LONG).until(() -> fake.callCount("memclnt_keepalive_reply") == 1);
        assertThat(c.isOpen()).isTrue();
        assertThat(calls.get()).as("the observer still sees every message").isGreaterThanOrEqualTo(2 + 20 * 5 + 2);
        assertThat(events.named("vpp-api-observer-failed")).singleElement().satisfies(e -> {
            assertThat(e.level()).isEqualTo(Level.ERROR);
            assertThat(e.get("error")).contains("metrics registry closed");
        });
    }

    @Test
    void anErrorOnTheWriterThreadEndsTheSessionInsteadOfKillingTheWriter() throws Exception {
        // Before: the writer caught only IOException; anything else killed it while the client
        // stayed open, and every later request waited in the queue forever.
        VppApiClient c = client(config(), (msg, dir, ok) -> {
            if (dir == Direction.SEND && msg.equals("show_version")) {
                throw new AssertionError("boom on the writer"); // an Error: not for the observer guard
            }
        });
        CompletableFuture<ShowVersionReply> first = c.call(Api.SHOW_VERSION, Empty.INSTANCE);
        assertThat(closeCause(c)).isInstanceOf(VppConnectionException.class)
                .hasMessageContaining("vpp-api-writer").hasMessageContaining("boom on the writer");
        assertThat(c.isOpen()).isFalse();
        assertThat(first).isDone(); // answered before the session ended, or failed with it
        assertThat(failure(c.call(Api.CONTROL_PING, Empty.INSTANCE))).isInstanceOf(VppConnectionException.class);
        assertThat(events.named("vpp-api-writer-failed")).singleElement()
                .satisfies(e -> assertThat(e.level()).isEqualTo(Level.ERROR));
    }

    @Test
    void anErrorOnTheReaderThreadEndsTheSession() throws Exception {
        VppApiClient c = client(config(), (msg, dir, ok) -> {
            if (dir == Direction.RECV && msg.equals("show_version_reply")) {
                throw new AssertionError("boom on the reader");
            }
        });
        CompletableFuture<ShowVersionReply> call = c.call(Api.SHOW_VERSION, Empty.INSTANCE);
        assertThat(closeCause(c)).hasMessageContaining("vpp-api-reader").hasMessageContaining("boom on the reader");
        assertThat(failure(call)).isNotNull();
        assertThat(failure(c.call(Api.CONTROL_PING, Empty.INSTANCE))).isInstanceOf(VppConnectionException.class);
        assertThat(events.named("vpp-api-reader-failed")).singleElement()
                .satisfies(e -> assertThat(e.level()).isEqualTo(Level.ERROR));
    }

    @Test
    void anErrorOnTheTimerEndsTheSessionInsteadOfStoppingEveryTimeout() throws Exception {
        // Before: a scheduled task that throws is never run again: no request would ever time out.
        VppApiClient c = client(config().withRequestTimeout(Duration.ofMillis(200)), (msg, dir, ok) -> {
            if (dir == Direction.RECV && !ok && msg.equals("control_ping")) { // control_ping timed out
                throw new AssertionError("boom on the timer");
            }
        });
        fake.setReplyDelay(Duration.ofSeconds(2));
        CompletableFuture<ControlPingReply> ping = c.call(Api.CONTROL_PING, Empty.INSTANCE);
        assertThat(closeCause(c)).hasMessageContaining("vpp-api-timer").hasMessageContaining("boom on the timer");
        assertThat(failure(ping)).isNotNull();
        assertThat(events.named("vpp-api-timer-failed")).singleElement()
                .satisfies(e -> assertThat(e.level()).isEqualTo(Level.ERROR));
    }

    /**
     * The writer used to {@code peek()} the queue and then {@code poll()} it while a shutdown
     * drained the same queue from another thread: {@code poll()} could return {@code null}, and
     * the writer died with a NullPointerException. Rounds of a connection dropped (and, at the
     * same time, closed) under producers that keep queueing: every request completes, nothing
     * escapes as an uncaught exception, no thread of the client reports an internal failure.
     */
    @Test
    void aConnectionDroppedUnderAFullQueueFailsEveryRequestAndNoThreadDies() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(new AssertionError(t.getName(), e)));
        try {
            int rounds = 60;
            int answered = 0;
            int failed = 0;
            for (int round = 0; round < rounds; round++) {
                // a window as large as the queue: the writer is always taking from it
                VppApiClient c = client(config().withWindow(100_000), ApiObserver.NONE);
                List<CompletableFuture<ControlPingReply>> calls = new CopyOnWriteArrayList<>();
                Runnable produce = () -> {
                    for (int i = 0; i < 3_000 && c.isOpen(); i++) {
                        calls.add(c.call(Api.CONTROL_PING, Empty.INSTANCE));
                    }
                };
                Thread p1 = Thread.ofPlatform().start(produce);
                Thread p2 = Thread.ofPlatform().start(produce);
                await().atMost(LONG).until(() -> calls.size() > 500);
                if (round % 2 == 0) {
                    fake.dropConnections();
                } else {
                    c.close();
                }
                p1.join();
                p2.join();
                for (CompletableFuture<ControlPingReply> f : calls) {
                    try {
                        f.get(LONG.toSeconds(), TimeUnit.SECONDS);
                        answered++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(VppException.unwrap(e)).as("round " + round).isInstanceOf(VppConnectionException.class);
                        failed++;
                    }
                }
                clients.remove(c);
            }
            assertThat(uncaught).as("uncaught exceptions on the client's threads").isEmpty();
            assertThat(events.named("vpp-api-writer-failed")).isEmpty();
            assertThat(events.named("vpp-api-reader-failed")).isEmpty();
            assertThat(failed).as("the drops caught requests still queued").isPositive();
            System.out.printf("drop rounds: %d, answered: %d, failed with the connection: %d%n", rounds, answered,
                    failed);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
