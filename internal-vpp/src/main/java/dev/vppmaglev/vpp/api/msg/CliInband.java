package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code cli_inband} (VPP src/vlibmemory/vlib.api): run one debug-CLI command.
 *
 * @param cmd the command line, e.g. {@code show lb vips verbose}
 */
public record CliInband(String cmd) {
    static void encode(CliInband m, WireWriter w) {
        w.string(m.cmd);
    }

    static CliInband decode(WireReader r) {
        return new CliInband(r.string());
    }
}
