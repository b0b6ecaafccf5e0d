/**
 * Reader of VPP's stats segment (vpp-wire.md §4): {@link dev.vppmaglev.vpp.stats.StatsSegment}
 * receives the segment's memfd over {@code stats.sock} ({@code SOCK_SEQPACKET}, {@code SCM_RIGHTS},
 * via the FFM API), maps it read-only and reads counters in place under VPP's optimistic
 * epoch/in_progress protocol. {@link dev.vppmaglev.vpp.stats.LbCounterBatch} is the counters
 * loop's one-read-per-cycle view of the lb plugin counters and {@code /net/route/to};
 * {@link dev.vppmaglev.vpp.stats.StatsConnector} is the seam the VPP connection manager opens
 * after the API handshake and closes on teardown. Every failure is a
 * {@link dev.vppmaglev.vpp.stats.StatsException}.
 *
 * <p>Linux only (x86-64, aarch64): the JVM needs {@code --enable-native-access=ALL-UNNAMED}.
 */
package dev.vppmaglev.vpp.stats;
