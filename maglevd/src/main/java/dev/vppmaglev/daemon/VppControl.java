package dev.vppmaglev.daemon;

import dev.vppmaglev.proto.SyncVPPLBStateResponse;
import dev.vppmaglev.proto.VPPInfo;
import dev.vppmaglev.proto.VPPLBCounters;
import dev.vppmaglev.proto.VPPLBState;

/**
 * What the gRPC API asks of the VPP side. The seam between the daemon's API and the VPP
 * integration (internal-vpp): {@link Disabled} when {@code --vpp-api-addr ""}.
 *
 * <p>Every method throws {@link VppUnavailableException} when VPP integration is disabled or VPP
 * is not connected (gRPC UNAVAILABLE, with the message).
 */
public interface VppControl {

    /** Version, pid, boot and connect times, lb API capability. */
    VPPInfo info();

    /** What VPP's lb plugin holds now, read back from VPP. */
    VPPLBState lbState();

    /**
     * Reconciles VPP with the config: all frontends (and removes VIPs not in config) when
     * {@code frontend} is empty, else that frontend only.
     *
     * @throws dev.vppmaglev.health.UnknownNameException for an unknown frontend
     */
    SyncVPPLBStateResponse sync(String frontend);

    /** The last counters snapshot (taken every 5 s). */
    VPPLBCounters counters();

    /**
     * Asks for a sync of one frontend soon, without waiting (after a runtime weight change).
     * A no-op when VPP is disabled or down: the next full sync covers it.
     */
    void requestSync(String frontend);

    /** VPP integration switched off. */
    final class Disabled implements VppControl {
        private static final String WHY = "VPP integration is disabled (maglevd runs with --vpp-api-addr \"\")";

        @Override
        public VPPInfo info() {
            throw new VppUnavailableException(WHY);
        }

        @Override
        public VPPLBState lbState() {
            throw new VppUnavailableException(WHY);
        }

        @Override
        public SyncVPPLBStateResponse sync(String frontend) {
            throw new VppUnavailableException(WHY);
        }

        @Override
        public VPPLBCounters counters() {
            throw new VppUnavailableException(WHY);
        }

        @Override
        public void requestSync(String frontend) {
            // nothing to program
        }
    }
}
