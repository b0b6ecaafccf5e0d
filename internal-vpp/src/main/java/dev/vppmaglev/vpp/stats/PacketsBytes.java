package dev.vppmaglev.vpp.stats;

/**
 * One element of a combined counter ({@code vlib_counter_t}: packets u64, bytes u64), summed
 * over threads.
 *
 * @param packets packets
 * @param bytes   bytes
 */
public record PacketsBytes(long packets, long bytes) {
    /** No traffic. */
    public static final PacketsBytes ZERO = new PacketsBytes(0, 0);
}
