package dev.vppmaglev.vpp.api;

/**
 * Bytes that break the wire format (vpp-wire.md §1–2): a truncated body, a frame above the
 * configured size limit, an unexpected message for a pending request, text that does not
 * parse.
 */
public final class VppProtocolException extends VppException {
    public VppProtocolException(String message) {
        super(message);
    }

    public VppProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
