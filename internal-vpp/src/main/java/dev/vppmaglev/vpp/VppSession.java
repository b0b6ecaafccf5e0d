package dev.vppmaglev.vpp;

import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VppApiClient;

import java.util.Objects;

/**
 * One live session: the API client, what VPP said about itself, and the typed lb API bound to
 * this client (calls on it fail with {@code VppConnectionException} once the session is gone).
 *
 * @param client the binary-API connection
 * @param info   version, pid, capabilities
 * @param lb     the typed API on {@code client}
 */
public record VppSession(VppApiClient client, VppInfo info, LbApi lb) {
    public VppSession {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(lb, "lb");
    }
}
