package dev.vppmaglev.vpp;

/**
 * Told when the VPP session comes and goes. Called on the connection thread, in order: do not
 * block (start asynchronous work, e.g. the reconciler's full resync after every connect).
 */
public interface VppConnectionListener {
    /** A session is up; every reconnect is a new VPP state to resync (it may have restarted). */
    default void onConnected(VppSession session) {
    }

    /** The session ended; {@code reason} says why (operator-readable). */
    default void onDisconnected(String reason) {
    }
}
