package dev.vppmaglev.config;

import java.util.Locale;

/**
 * {@code protocol:} of a frontend, with the IP protocol number VPP's lb plugin uses (VPP
 * src/plugins/lb/lb.api: 6 = TCP, 17 = UDP, 255 = any).
 */
public enum Protocol {
    TCP(6),
    UDP(17),
    /** Omitted in YAML: every protocol (and then {@code port} must be 0). */
    ANY(255);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The IP protocol number sent to VPP. */
    public int number() {
        return number;
    }

    /** {@code tcp}, {@code udp} or {@code any}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The protocol for an IP protocol number; {@code null} when it is none of the three. */
    public static Protocol ofNumber(int number) {
        for (Protocol p : values()) {
            if (p.number == number) {
                return p;
            }
        }
        return null;
    }
}
