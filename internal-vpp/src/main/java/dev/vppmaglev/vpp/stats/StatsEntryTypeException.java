package dev.vppmaglev.vpp.stats;

/**
 * The entry exists but is of another type than the read asks for, e.g. reading
 * {@code /net/route/to} (a combined counter) as a simple counter.
 */
public final class StatsEntryTypeException extends StatsException {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final EntryType actual;

    StatsEntryTypeException(String name, EntryType actual, String expected) {
        super("stats entry '" + name + "' is " + actual + ", not " + expected);
        this.name = name;
        this.actual = actual;
    }

    /** The entry's name. */
    public String name() {
        return name;
    }

    /** The entry's actual type (for a symlink: the target's type). */
    public EntryType actual() {
        return actual;
    }
}
