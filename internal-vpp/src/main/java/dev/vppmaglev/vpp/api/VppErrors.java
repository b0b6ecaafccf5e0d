package dev.vppmaglev.vpp.api;

import java.util.Map;

/**
 * Symbolic names of VPP's {@code vnet_api_error_t} return values (VPP src/vnet/error.h,
 * {@code foreach_vnet_error}); the ones the lb plugin, the FIB and the CLI return are listed in
 * vpp-wire.md §3.5.
 */
public final class VppErrors {
    public static final int UNSPECIFIED = -1;
    public static final int INVALID_SW_IF_INDEX = -2;
    public static final int NO_SUCH_FIB = -3;
    public static final int NO_SUCH_ENTRY = -6;
    public static final int INVALID_VALUE = -7;
    public static final int UNIMPLEMENTED = -9;
    public static final int NO_SUCH_TABLE = -65;
    public static final int INVALID_MEMORY_SIZE = -70;
    public static final int INVALID_INTERFACE = -71;
    public static final int INVALID_ARGUMENT = -73;
    public static final int VALUE_EXIST = -81;
    public static final int IP_PREFIX_INVALID = -88;
    public static final int INVALID_ADDRESS_FAMILY = -97;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "OK"),
            Map.entry(UNSPECIFIED, "UNSPECIFIED"),
            Map.entry(INVALID_SW_IF_INDEX, "INVALID_SW_IF_INDEX"),
            Map.entry(NO_SUCH_FIB, "NO_SUCH_FIB"),
            Map.entry(-4, "NO_SUCH_INNER_FIB"),
            Map.entry(-5, "NO_SUCH_LABEL"),
            Map.entry(NO_SUCH_ENTRY, "NO_SUCH_ENTRY"),
            Map.entry(INVALID_VALUE, "INVALID_VALUE"),
            Map.entry(-8, "INVALID_VALUE_2"),
            Map.entry(UNIMPLEMENTED, "UNIMPLEMENTED"),
            Map.entry(NO_SUCH_TABLE, "NO_SUCH_TABLE"),
            Map.entry(INVALID_MEMORY_SIZE, "INVALID_MEMORY_SIZE"),
            Map.entry(INVALID_INTERFACE, "INVALID_INTERFACE"),
            Map.entry(INVALID_ARGUMENT, "INVALID_ARGUMENT"),
            Map.entry(VALUE_EXIST, "VALUE_EXIST"),
            Map.entry(IP_PREFIX_INVALID, "IP_PREFIX_INVALID"),
            Map.entry(INVALID_ADDRESS_FAMILY, "INVALID_ADDRESS_FAMILY"));

    private VppErrors() {}

    /** The symbolic name of {@code retval}, e.g. {@code -6 -> "NO_SUCH_ENTRY"}; else "ERROR_&lt;n&gt;". */
    public static String symbol(int retval) {
        String s = NAMES.get(retval);
        return s != null ? s : "ERROR_" + retval;
    }
}
