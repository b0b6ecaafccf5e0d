package dev.vppmaglev.daemon.grpc;

/**
 * A request argument the API refuses (empty or overlong name, weight out of range, unknown log
 * level); gRPC INVALID_ARGUMENT with the message. Distinct from {@link IllegalArgumentException}
 * so a bug deeper down is not mistaken for a client's mistake.
 */
public final class InvalidArgumentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String message) {
        super(message, null, false, false);
    }
}
