package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code cli_inband_reply}: the command's output (LF line ends). On a CLI error the error text
 * is appended and {@code retval} is negative (-1), vpp-wire.md §3.5.
 *
 * @param retval 0, or the CLI error code
 * @param reply  the output text
 */
public record CliInbandReply(int retval, String reply) implements ApiReply {
    static void encode(CliInbandReply m, WireWriter w) {
        w.u32(m.retval).string(m.reply);
    }

    static CliInbandReply decode(WireReader r) {
        return new CliInbandReply(r.u32(), r.string());
    }
}
