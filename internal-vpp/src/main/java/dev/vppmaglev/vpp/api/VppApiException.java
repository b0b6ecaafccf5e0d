package dev.vppmaglev.vpp.api;

/**
 * VPP answered a request with a non-zero {@code retval} ({@code vnet_api_error_t}, VPP
 * src/vnet/error.h; table in vpp-wire.md §3.5). The request reached VPP and was refused.
 */
public final class VppApiException extends VppException {
    private final String messageName;
    private final int retval;
    private final transient Object reply;

    /**
     * @param messageName the request's name, e.g. {@code lb_add_del_as_v2}
     * @param retval      VPP's return value (negative)
     * @param reply       the decoded reply (e.g. a {@code CliInbandReply} carrying the error
     *                    text); may be {@code null}
     */
    public VppApiException(String messageName, int retval, Object reply) {
        super(messageName + " failed: retval " + retval + " (" + VppErrors.symbol(retval) + ")"
                + detail(reply));
        this.messageName = messageName;
        this.retval = retval;
        this.reply = reply;
    }

    private static String detail(Object reply) {
        if (reply instanceof dev.vppmaglev.vpp.api.msg.CliInbandReply r && !r.reply().isBlank()) {
            return ": " + r.reply().strip();
        }
        return "";
    }

    /** The request's message name, e.g. {@code lb_add_del_vip_v2}. */
    public String messageName() {
        return messageName;
    }

    /** VPP's {@code retval}, e.g. -6. */
    public int retval() {
        return retval;
    }

    /** The symbolic name of {@link #retval()}, e.g. {@code NO_SUCH_ENTRY}. */
    public String symbol() {
        return VppErrors.symbol(retval);
    }

    /** The decoded reply message, or {@code null}. */
    public Object reply() {
        return reply;
    }
}
