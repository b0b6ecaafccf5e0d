package dev.vppmaglev.vpp.api.cli;

/**
 * The four lb plugin counters of one VIP, summed over threads, as printed under
 * {@code counters:} (same values as the stats segment, golden observation 29).
 *
 * @param existingSessions   {@code packet from existing sessions}
 * @param firstSessionPacket {@code first session packet}
 * @param untrackedPacket    {@code untracked packet}
 * @param noServerConfigured {@code no server configured}
 */
public record CliVipCounters(long existingSessions, long firstSessionPacket, long untrackedPacket,
                             long noServerConfigured) {
    /** All zero. */
    public static final CliVipCounters ZERO = new CliVipCounters(0, 0, 0, 0);
}
