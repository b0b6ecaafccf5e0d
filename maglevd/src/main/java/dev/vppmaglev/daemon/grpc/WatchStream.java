package dev.vppmaglev.daemon.grpc;

import dev.vppmaglev.daemon.events.EventHub;
import dev.vppmaglev.proto.Event;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one WatchEvents subscription to its gRPC stream with flow control: events are written
 * only while the transport is ready; the rest wait in the subscription's bounded queue (which cuts
 * the client off when it fills, {@link EventHub}). All writes to the stream happen in one
 * serialised drain loop on {@code executor}.
 */
final class WatchStream {
    private static final Logger log = LoggerFactory.getLogger(WatchStream.class);

    private final ServerCallStreamObserver<Event> call;
    private final Executor executor;
    private final AtomicInteger wip = new AtomicInteger();
    private volatile EventHub.Subscription sub;
    private final Consumer<WatchStream> onDone;
    private volatile String overflowReason;
    private volatile Status endStatus;
    private boolean done;

    /**
     * @param onDone runs once the stream is over for whatever reason (the client cancelled, the
     *               hub cut it off, {@link #end}), so the service can forget it
     */
    WatchStream(ServerCallStreamObserver<Event> call, Executor executor, Consumer<WatchStream> onDone) {
        this.call = call;
        this.executor = executor;
        this.onDone = onDone;
    }

    /** Must run inside the RPC method (gRPC wants the handlers set before it returns). */
    void start(EventHub.Subscription subscription) {
        this.sub = subscription;
        call.setOnCancelHandler(() -> {
            subscription.close();
            onDone.accept(this);
        });
        call.setOnReadyHandler(this::drainSoon);
        drainSoon();
    }

    /**
     * Ends the stream from the daemon's side with {@code status} (e.g. UNAVAILABLE at shutdown):
     * what is queued is still written while the transport takes it, then the stream closes with
     * {@code status}. Returns at once; the writing happens on the executor.
     */
    void end(Status status) {
        endStatus = status;
        drainSoon();
    }

    /** Events were queued or the transport became ready. */
    void drainSoon() {
        if (wip.getAndIncrement() == 0) {
            executor.execute(this::drainLoop);
        }
    }

    /** The hub cut this subscriber off. */
    void overflow(String reason) {
        overflowReason = reason;
        drainSoon();
    }

    private void drainLoop() {
        int missed = 1;
        do {
            drainOnce();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainOnce() {
        EventHub.Subscription s = sub;
        if (done || s == null) {
            return;
        }
        try {
            String reason = overflowReason;
            if (reason != null) {
                done = true;
                log.atWarn().setMessage("watch-dropped").addKeyValue("reason", reason).log();
                onDone.accept(this);
                call.onError(Status.RESOURCE_EXHAUSTED.withDescription(reason).asRuntimeException());
                return;
            }
            if (call.isCancelled()) {
                finish(s);
                return;
            }
            while (call.isReady()) {
                Event e = s.poll();
                if (e == null) {
                    break;
                }
                call.onNext(e);
            }
            Status end = endStatus;
            if (end != null) {
                // What the transport did not take now is dropped: shutdown waits for no one.
                finish(s);
                call.onError(end.asRuntimeException());
            }
        } catch (RuntimeException e) {
            // The client went away between isReady() and onNext().
            finish(s);
        }
    }

    private void finish(EventHub.Subscription s) {
        done = true;
        s.close();
        onDone.accept(this);
    }
}
