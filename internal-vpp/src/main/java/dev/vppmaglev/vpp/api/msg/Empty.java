package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * A request without payload fields (only {@code client_index, context}): {@code control_ping},
 * {@code memclnt_keepalive}, {@code show_version}, {@code lb_conf_get} (all CRC 51077d14).
 */
public record Empty() {
    /** The one instance. */
    public static final Empty INSTANCE = new Empty();

    static void encode(Empty m, WireWriter w) {
        // no payload
    }

    static Empty decode(WireReader r) {
        return INSTANCE;
    }
}
