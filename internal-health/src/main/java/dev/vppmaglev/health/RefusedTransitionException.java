package dev.vppmaglev.health;

/**
 * An operator action that the backend's state does not allow, e.g. pause or resume of a disabled
 * backend (behaviour.md §3.7). The daemon maps it to gRPC {@code FAILED_PRECONDITION}.
 */
public final class RefusedTransitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String backend;
    private final BackendState state;

    public RefusedTransitionException(String backend, BackendState state, String message) {
        super(message);
        this.backend = backend;
        this.state = state;
    }

    public String backend() {
        return backend;
    }

    /** The state that refused the action. */
    public BackendState state() {
        return state;
    }
}
