package dev.vppmaglev.vpp.api;

/**
 * The running VPP's message table (from {@code sockclnt_create_reply}) has no entry for this
 * exact {@code name_crc}: the message is absent or has another field layout. Ids are never
 * guessed (vpp-wire.md §1.5).
 */
public final class VppUnsupportedMessageException extends VppException {
    private final String nameCrc;

    public VppUnsupportedMessageException(String nameCrc) {
        this(nameCrc, "VPP does not support " + nameCrc + " (not in its message table)");
    }

    public VppUnsupportedMessageException(String nameCrc, String message) {
        super(message);
        this.nameCrc = nameCrc;
    }

    /** The missing {@code name_crc}, e.g. {@code lb_as_set_weight_2d89bdbd}. */
    public String nameCrc() {
        return nameCrc;
    }
}
