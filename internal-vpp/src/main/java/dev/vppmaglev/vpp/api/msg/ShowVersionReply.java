package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code show_version_reply} (VPP src/vpp/api/vpe.api).
 *
 * @param retval         0
 * @param program        e.g. {@code vpe} (string[32])
 * @param version        e.g. {@code 26.10-rc0~374-gb575ec2c56d} (string[32])
 * @param buildDate      e.g. {@code 2026-11-21T07:29:40} (string[32])
 * @param buildDirectory often empty (string[256])
 */
public record ShowVersionReply(int retval, String program, String version, String buildDate,
                               String buildDirectory) implements ApiReply {
    static void encode(ShowVersionReply m, WireWriter w) {
        w.u32(m.retval).fixedString(m.program, 32).fixedString(m.version, 32)
                .fixedString(m.buildDate, 32).fixedString(m.buildDirectory, 256);
    }

    static ShowVersionReply decode(WireReader r) {
        return new ShowVersionReply(r.u32(), r.fixedString(32), r.fixedString(32), r.fixedString(32),
                r.fixedString(256));
    }
}
