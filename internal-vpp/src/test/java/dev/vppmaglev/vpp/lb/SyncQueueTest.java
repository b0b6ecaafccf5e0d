package dev.vppmaglev.vpp.lb;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SyncQueueTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final SyncQueue queue = new SyncQueue(executor, new SyncQueue.Runner() {
        @Override
        public void runAll(String trigger) {
            ran.add("all:" + trigger);
        }

        @Override
        public void runVip(String frontend, String trigger) {
            ran.add("vip:" + frontend + ":" + trigger);
        }
    });

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Occupies the sync thread until {@link #gate} opens, like a long sync. */
    private void busy() {
        CountDownLatch started = new CountDownLatch(1);
        queue.execute(() -> {
            started.countDown();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void drain() throws Exception {
        gate.countDown();
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.execute(() -> done.complete(null));
        done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aQueuedVipRequestIsNotQueuedTwice() throws Exception {
        busy();
        assertThat(queue.requestVip("web", "t1")).isTrue();
        assertThat(queue.requestVip("web", "t2")).isFalse();
        assertThat(queue.requestVip("api", "t3")).isTrue();
        assertThat(queue.queued()).isEqualTo(2);
        drain();
        assertThat(ran).containsExactly("vip:web:t1", "vip:api:t3");
    }

    @Test
    void aFullSyncAbsorbsQueuedAndLaterVipRequests() throws Exception {
        busy();
        queue.requestVip("web", "before");
        assertThat(queue.requestAll("reload")).isTrue();
        assertThat(queue.requestAll("periodic")).isFalse();
        assertThat(queue.requestVip("api", "after")).isFalse();
        drain();
        assertThat(ran).containsExactly("all:reload");
    }

    @Test
    void aRequestDuringARunningSyncRunsAfterIt() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SyncQueue q = new SyncQueue(executor, new SyncQueue.Runner() {
            @Override
            public void runAll(String trigger) {
                ran.add("all:" + trigger);
                inside.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void runVip(String frontend, String trigger) {
                ran.add("vip:" + frontend);
            }
        });
        q.requestAll("connect");
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(q.requestVip("web", "event")).isTrue();   // the running sync may have read before
        assertThat(q.requestAll("periodic")).isTrue();       // not coalesced into the running one
        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> ran.size() == 2);
        // the queued full absorbed the vip request
        assertThat(ran).containsExactly("all:connect", "all:periodic");
    }

    @Test
    void operatorSyncsAlwaysRunAndAbsorbBackgroundOnes() throws Exception {
        busy();
        queue.requestAll("periodic");
        CompletableFuture<String> op = queue.submitAll(() -> {
            ran.add("operator-all");
            return "ok";
        });
        queue.requestVip("web", "event-after");
        CompletableFuture<String> opVip = queue.submitVip("web", () -> {
            ran.add("operator-web");
            return "ok";
        });
        drain();
        assertThat(op.get(30, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(opVip.get(30, TimeUnit.SECONDS)).isEqualTo("ok");
        // the periodic request queued ahead was absorbed by the operator's full sync; the vip
        // request made after it was absorbed by the operator's sync of that frontend
        assertThat(ran).containsExactly("operator-all", "operator-web");
    }

    @Test
    void operatorFailuresReachTheCallerAndAShutDownQueueRefuses() throws Exception {
        CompletableFuture<String> f = queue.submitVip("web", () -> {
            throw new IllegalArgumentException("boom");
        });
        assertThat(f).failsWithin(Duration.ofSeconds(30)).withThrowableThat().withRootCauseInstanceOf(
                IllegalArgumentException.class);
        executor.shutdown();
        assertThat(queue.requestVip("web", "late")).isFalse();
        assertThat(queue.submitAll(() -> "x")).isCompletedExceptionally();
    }
}
