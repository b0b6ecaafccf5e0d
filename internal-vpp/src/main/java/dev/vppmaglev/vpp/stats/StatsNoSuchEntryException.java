package dev.vppmaglev.vpp.stats;

/**
 * The directory has no entry of that name (in the current epoch). VPP creates some entries
 * lazily: the lb plugin's counters appear only after the first VIP is added.
 */
public final class StatsNoSuchEntryException extends StatsException {
    private static final long serialVersionUID = 1L;

    private final String name;

    StatsNoSuchEntryException(String name) {
        super("stats segment has no entry '" + name + "'");
        this.name = name;
    }

    /** The name that was looked up. */
    public String name() {
        return name;
    }
}
