package dev.vppmaglev.vpp;

import dev.vppmaglev.vpp.stats.StatsConnector;
import dev.vppmaglev.vpp.stats.StatsException;
import dev.vppmaglev.vpp.stats.StatsNoSuchEntryException;
import dev.vppmaglev.vpp.stats.StatsOptions;
import dev.vppmaglev.vpp.stats.StatsSegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The stats half of the VPP session (behaviour.md §5.1: API and stats socket are one unit): a
 * {@link VppSessionPart} that {@link VppConnection} opens right after the API handshake. Opening
 * maps a fresh stats segment through its {@link StatsConnector} (VPP's {@code stats.sock}, vpp-wire.md
 * §4.1) and reads VPP's boot time ({@code /sys/boottime}); closing unmaps it. When the socket
 * cannot be reached or the segment is not a v2 stats segment, {@link #open()} throws and the
 * connection abandons the API session too and retries both after its reconnect interval.
 *
 * <p>A VPP restart ends the API session (EOF), which closes this part; the reconnect maps the new
 * VPP's segment (a restarted VPP has a new memfd; the old mapping would stay readable but frozen).
 *
 * <h2>Stats disabled</h2>
 * {@link #disabled()} (maglevd {@code --vpp-stats-addr ""}) is a part that opens nothing: the
 * session is API-only, {@link #segment()} and {@link #bootTime()} stay empty, the counters loop
 * publishes no snapshot, and {@code GetVPPInfo.boottime_ns} is 0.
 *
 * <p>Thread-safe: {@link #open()} and {@link #close()} run on the connection thread; any thread may
 * call {@link #segment()} and {@link #bootTime()}. A reader that holds the segment while the
 * session closes gets {@code StatsClosedException} from its next read (the mapping lives in a
 * shared arena; closing it never crashes a concurrent reader).
 */
public final class StatsSessionPart implements VppSessionPart {
    private static final Logger log = LoggerFactory.getLogger(StatsSessionPart.class);

    /** The open segment and what was read from it when it was opened. */
    private record Open(StatsSegment segment, Optional<Instant> bootTime) {}

    private final StatsConnector connector; // null: disabled
    private final String description;
    private volatile Open current;

    private StatsSessionPart(StatsConnector connector, String description) {
        this.connector = connector;
        this.description = description;
    }

    /**
     * A part that maps segments from {@code connector} (tests pass their own; the daemon uses
     * {@link #unixSocket(Path, StatsOptions)}).
     */
    public static StatsSessionPart of(StatsConnector connector) {
        return new StatsSessionPart(Objects.requireNonNull(connector, "connector"), "connector");
    }

    /**
     * A part for VPP's {@code stats.sock} at {@code socket} (VPP default
     * {@code /run/vpp/stats.sock}).
     *
     * @param options lock and connect timeouts ({@link StatsOptions#DEFAULT}: 500 ms, 5 s)
     */
    public static StatsSessionPart unixSocket(Path socket, StatsOptions options) {
        return new StatsSessionPart(StatsConnector.unixSocket(socket, options), socket.toString());
    }

    /** No stats segment: the VPP session is API-only (see the class comment). */
    public static StatsSessionPart disabled() {
        return new StatsSessionPart(null, "disabled");
    }

    /** Whether this part maps a stats segment at all ({@code false} for {@link #disabled()}). */
    public boolean enabled() {
        return connector != null;
    }

    @Override
    public String name() {
        return "stats";
    }

    /**
     * Maps a fresh segment and reads {@code /sys/boottime}. A segment without
     * {@code /sys/boottime} is accepted (boot time unknown, logged at WARN as
     * {@code vpp-stats-no-boottime}).
     *
     * @throws StatsException when the socket, the fd passing or the mapping fails, the segment is
     *                        not a v2 stats segment, or it cannot be read consistently
     */
    @Override
    public void open() throws StatsException {
        if (connector == null) {
            return;
        }
        close(); // never two mappings
        StatsSegment segment = connector.open();
        Optional<Instant> bootTime;
        try {
            bootTime = Optional.of(segment.bootTime());
        } catch (StatsNoSuchEntryException e) {
            log.atWarn().setMessage("vpp-stats-no-boottime").addKeyValue("segment", segment.toString()).log();
            bootTime = Optional.empty();
        } catch (StatsException | RuntimeException e) {
            segment.close();
            throw e;
        }
        current = new Open(segment, bootTime);
        log.atDebug().setMessage("vpp-stats-open").addKeyValue("socket", description)
                .addKeyValue("size", segment.size())
                .addKeyValue("boottime", bootTime.map(Instant::toString).orElse("unknown")).log();
    }

    /** Unmaps the segment; idempotent. */
    @Override
    public void close() {
        Open o = current;
        current = null;
        if (o != null) {
            o.segment().close();
        }
    }

    /**
     * False once the open segment's memory vanished under its mapping
     * ({@link StatsSegment#faulted()}: its file was truncated): every read of it fails from then
     * on, so {@link VppConnection} rebuilds the session (API and stats) at its next liveness ping.
     */
    @Override
    public boolean healthy() {
        Open o = current;
        return o == null || !o.segment().faulted();
    }

    /** The segment of the current session; empty while disconnected and when disabled. */
    public Optional<StatsSegment> segment() {
        Open o = current;
        return o == null ? Optional.empty() : Optional.of(o.segment());
    }

    /** {@code /sys/boottime} as read when the session opened (whole seconds); empty when unknown. */
    @Override
    public Optional<Instant> bootTime() {
        Open o = current;
        return o == null ? Optional.empty() : o.bootTime();
    }

    @Override
    public String toString() {
        return "StatsSessionPart[" + description + (current != null ? ", open" : "") + "]";
    }
}
