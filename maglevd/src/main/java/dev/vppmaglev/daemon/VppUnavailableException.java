package dev.vppmaglev.daemon;

/** VPP integration is disabled or VPP is not connected; gRPC UNAVAILABLE. */
public final class VppUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VppUnavailableException(String message) {
        super(message);
    }
}
