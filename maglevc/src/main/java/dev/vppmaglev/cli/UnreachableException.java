package dev.vppmaglev.cli;

/** maglevd cannot be reached before any call is made (e.g. its host name does not resolve). */
final class UnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreachableException(String message) {
        super(message, null, false, false);
    }
}
