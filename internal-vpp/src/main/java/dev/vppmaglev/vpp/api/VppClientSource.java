package dev.vppmaglev.vpp.api;

/** Supplies the current API client; the connection manager's changes on every reconnect. */
@FunctionalInterface
public interface VppClientSource {
    /**
     * @return the live client
     * @throws VppNotConnectedException when there is none
     */
    VppApiClient client();
}
