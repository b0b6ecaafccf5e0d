package dev.vppmaglev.daemon.grpc;

import dev.vppmaglev.daemon.events.EventHub;
import dev.vppmaglev.proto.Event;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
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
    private volatile String overflowReason;
    private boolean done;

    WatchStream(ServerCallStreamObserver<Event> call, Executor executor) {
        this.call = call;
        this.executor = executor;
    }

    /** Must run inside the RPC method (gRPC wants the handlers set before it returns). */
    void start(EventHub.Subscription subscription) {
        this.sub = subscription;
        call.setOnCancelHandler(subscription::close);
        call.setOnReadyHandler(this::drainSoon);
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
                call.onError(Status.RESOURCE_EXHAUSTED.withDescription(reason).asRuntimeException());
                return;
            }
            if (call.isCancelled()) {
                done = true;
                s.close();
                return;
            }
            while (call.isReady()) {
                Event e = s.poll();
                if (e == null) {
                    break;
                }
                call.onNext(e);
            }
        } catch (RuntimeException e) {
            // The client went away between isReady() and onNext().
            done = true;
            s.close();
        }
    }
}
