package dev.vppmaglev.vpp;

import java.time.Instant;
import java.util.Optional;

/**
 * Something that lives and dies with the API session, e.g. the stats-segment client on
 * {@code stats.sock}: VPP's two sockets are one unit (behaviour.md §5.1). {@link VppConnection}
 * opens it right after the API handshake and closes it with the session; when it fails (its
 * {@link #open()} throws, {@link #healthy()} turns false, or it calls
 * {@link VppConnection#reportFailure(String)}) both are torn down and rebuilt together.
 */
public interface VppSessionPart {
    /** No part. */
    VppSessionPart NONE = new VppSessionPart() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public void open() {
        }

        @Override
        public void close() {
        }
    };

    /** Short name for logs, e.g. {@code stats}. */
    String name();

    /**
     * Opens the part; called on the connection thread after the API handshake.
     *
     * @throws Exception any failure: the session is abandoned and retried
     */
    void open() throws Exception;

    /** Closes the part; must not throw; called also after a failed {@link #open()}. */
    void close();

    /** Polled with every liveness ping; {@code false} tears the session down. */
    default boolean healthy() {
        return true;
    }

    /**
     * VPP's boot time, if this part learned it while opening (the stats part reads
     * {@code /sys/boottime}); read by {@link VppConnection} right after {@link #open()} for
     * {@link VppInfo#bootTime()}. Empty by default and while closed.
     */
    default Optional<Instant> bootTime() {
        return Optional.empty();
    }
}
