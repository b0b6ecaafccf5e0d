package dev.vppmaglev.vpp.stats;

/**
 * The segment is not a VPP v2 stats segment or is malformed: wrong version, a pointer outside
 * the mapping, a vector whose length runs past the end, an unknown symlink target, a symlink
 * chain that does not end. Raised only when the segment was stable (same epoch, not in
 * progress) during the read, so it is not a torn read: the same call would fail again.
 */
public final class StatsFormatException extends StatsException {
    private static final long serialVersionUID = 1L;

    StatsFormatException(String message) {
        super(message);
    }
}
