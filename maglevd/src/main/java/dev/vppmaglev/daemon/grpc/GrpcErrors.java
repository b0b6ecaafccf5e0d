package dev.vppmaglev.daemon.grpc;

import dev.vppmaglev.daemon.VppUnavailableException;
import dev.vppmaglev.health.RefusedTransitionException;
import dev.vppmaglev.health.UnknownNameException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps failures to gRPC statuses (spec README "gRPC"): unknown name → NOT_FOUND, bad argument →
 * INVALID_ARGUMENT, refused transition → FAILED_PRECONDITION, VPP disabled or down → UNAVAILABLE.
 * Anything else is a bug: INTERNAL with a one-line message to the client, the stack trace only in
 * the daemon's log.
 */
public final class GrpcErrors {
    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    /** Longest name accepted in a request, in characters. */
    public static final int MAX_NAME_LENGTH = 256;

    private GrpcErrors() {}

    /** Runs a unary handler: its value, or the mapped error. */
    public static <T> void unary(StreamObserver<T> out, Supplier<T> handler) {
        T value;
        try {
            value = handler.get();
        } catch (RuntimeException e) {
            out.onError(toStatus(e).asRuntimeException());
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }

    /** The status for a failure of a handler. */
    public static Status toStatus(Throwable e) {
        return switch (e) {
            case StatusRuntimeException s -> s.getStatus();
            case UnknownNameException u -> Status.NOT_FOUND.withDescription(u.getMessage());
            case RefusedTransitionException r -> Status.FAILED_PRECONDITION.withDescription(r.getMessage());
            case VppUnavailableException v -> Status.UNAVAILABLE.withDescription(v.getMessage());
            case InvalidArgumentException i -> Status.INVALID_ARGUMENT.withDescription(i.getMessage());
            case IllegalArgumentException i -> {
                // Not one of ours: most likely a bug below that happened to be about an argument.
                // The client gets INVALID_ARGUMENT with the message; the trace goes to the log.
                log.atError().setMessage("grpc-unexpected-argument-error").setCause(i)
                        .addKeyValue("error", String.valueOf(i)).log();
                yield Status.INVALID_ARGUMENT.withDescription(i.getMessage());
            }
            default -> {
                log.atError().setMessage("grpc-internal-error").setCause(e)
                        .addKeyValue("error", String.valueOf(e)).log();
                yield Status.INTERNAL.withDescription("internal error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        };
    }

    /**
     * Checks a name from a request: present, at most {@value #MAX_NAME_LENGTH} characters, no
     * control characters.
     *
     * @param field the request field, for the message ({@code name}, {@code frontend}, ...)
     * @return {@code value}
     * @throws InvalidArgumentException otherwise
     */
    public static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(field + " is required");
        }
        if (value.length() > MAX_NAME_LENGTH) {
            throw new InvalidArgumentException(field + " is longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidArgumentException(field + " contains a control character");
            }
        }
        return value;
    }
}
