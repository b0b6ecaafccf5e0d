package dev.vppmaglev.vpp.api;

/**
 * Base of every error the VPP binary-API client reports. Unchecked, so it travels inside
 * {@link java.util.concurrent.CompletionException} from the asynchronous API; use
 * {@link #unwrap(Throwable)} to get at it.
 *
 * <p>The subclasses say what went wrong and what the caller can do:
 * <ul>
 *   <li>{@link VppApiException}: VPP answered with a negative {@code retval} (the request was
 *       understood and refused; retrying the same request gives the same answer);</li>
 *   <li>{@link VppTimeoutException}: no reply within the request timeout;</li>
 *   <li>{@link VppConnectionException}: the socket failed or was closed (reconnect);</li>
 *   <li>{@link VppProtocolException}: bytes that do not follow the wire format;</li>
 *   <li>{@link VppUnsupportedMessageException}: the running VPP does not have the message
 *       with that exact {@code name_crc} (vpp-wire.md §1.5);</li>
 *   <li>{@link VppNotConnectedException}: no session to VPP right now.</li>
 * </ul>
 */
public sealed class VppException extends RuntimeException
        permits VppApiException, VppTimeoutException, VppConnectionException, VppProtocolException,
                VppUnsupportedMessageException, VppNotConnectedException {

    protected VppException(String message) {
        super(message);
    }

    protected VppException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The {@code VppException} inside {@code t} (which may be a {@code CompletionException} or
     * {@code ExecutionException} wrapper), or {@code null} when there is none.
     */
    public static VppException unwrap(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof VppException v) {
                return v;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
