package dev.vppmaglev.vpp.api;

/** The API socket failed, reached EOF or was closed while a request was outstanding. */
public final class VppConnectionException extends VppException {
    public VppConnectionException(String message) {
        super(message);
    }

    public VppConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
