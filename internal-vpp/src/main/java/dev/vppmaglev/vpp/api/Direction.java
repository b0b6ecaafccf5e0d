package dev.vppmaglev.vpp.api;

import java.util.Locale;

/** Direction of a binary-API message, as the {@code direction} label of {@code maglev_vpp_api_total}. */
public enum Direction {
    /** Client to VPP. */
    SEND,
    /** VPP to client. */
    RECV;

    /** {@code send} or {@code recv}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
