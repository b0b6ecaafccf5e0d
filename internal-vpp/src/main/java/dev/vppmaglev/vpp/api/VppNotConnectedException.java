package dev.vppmaglev.vpp.api;

/** There is no API session to VPP at the moment (disabled, starting, or reconnecting). */
public final class VppNotConnectedException extends VppException {
    public VppNotConnectedException(String message) {
        super(message);
    }
}
