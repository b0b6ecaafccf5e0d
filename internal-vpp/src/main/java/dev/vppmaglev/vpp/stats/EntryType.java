package dev.vppmaglev.vpp.stats;

/**
 * Type of a stats directory entry ({@code stat_directory_type_t}, VPP
 * {@code src/vlib/stats/shared.h}). The numbering is VPP's current one (22.06 and later;
 * {@link #HISTOGRAM_LOG2}, {@link #RING_BUFFER} and {@link #GAUGE} since 26.02). Segments of
 * VPP 20.09–22.02 number the types differently; {@link #fromCode(int, boolean)} maps both.
 */
public enum EntryType {
    /** 0: never valid in a live directory. */
    ILLEGAL,
    /** 1: a u64 value in the directory entry itself (e.g. {@code /sys/boottime}, seconds). */
    SCALAR_INDEX,
    /** 2: per-thread vectors of u64, {@code [thread][index]}; totals are sums over threads. */
    COUNTER_VECTOR_SIMPLE,
    /** 3: per-thread vectors of {packets u64, bytes u64}, {@code [thread][index]}. */
    COUNTER_VECTOR_COMBINED,
    /** 4: a vector of NUL-terminated strings, {@code [index]} (e.g. {@code /if/names}). */
    NAME_VECTOR,
    /** 5: a freed directory slot (name zeroed); never returned by lookups. */
    EMPTY,
    /** 6: one column of another entry: target directory index and column. */
    SYMLINK,
    /** 7: per-thread log2 histogram (not read by this reader). */
    HISTOGRAM_LOG2,
    /** 8: ring buffer (not read by this reader). */
    RING_BUFFER,
    /** 9: a u64 value in the directory entry itself, like {@link #SCALAR_INDEX}. */
    GAUGE,
    /** Legacy (VPP 20.09–22.02) type 4: index into the error vector (not read by this reader). */
    ERROR_INDEX,
    /** A type number this reader does not know (a newer VPP); listed but not readable. */
    UNKNOWN;

    private static final EntryType[] CURRENT = {
        ILLEGAL, SCALAR_INDEX, COUNTER_VECTOR_SIMPLE, COUNTER_VECTOR_COMBINED, NAME_VECTOR, EMPTY,
        SYMLINK, HISTOGRAM_LOG2, RING_BUFFER, GAUGE
    };
    private static final EntryType[] LEGACY = {
        ILLEGAL, SCALAR_INDEX, COUNTER_VECTOR_SIMPLE, COUNTER_VECTOR_COMBINED, ERROR_INDEX, NAME_VECTOR,
        EMPTY, SYMLINK
    };

    /**
     * Maps VPP's numeric type.
     *
     * @param code   the u32 at offset 0 of a directory entry
     * @param legacy true for a VPP 20.09–22.02 segment (one whose header carries an error vector
     *               at offset 40; govpp {@code dirTypeMappingLegacy})
     * @return the type; {@link #UNKNOWN} for numbers outside the table
     */
    public static EntryType fromCode(int code, boolean legacy) {
        EntryType[] table = legacy ? LEGACY : CURRENT;
        return code >= 0 && code < table.length ? table[code] : UNKNOWN;
    }

    /** The current (VPP >= 22.06) number of this type; -1 for legacy-only or unknown types. */
    public int code() {
        for (int i = 0; i < CURRENT.length; i++) {
            if (CURRENT[i] == this) {
                return i;
            }
        }
        return -1;
    }

    /** True for the two types whose value lives in the directory entry ({@code value} u64). */
    public boolean isScalar() {
        return this == SCALAR_INDEX || this == GAUGE;
    }
}
