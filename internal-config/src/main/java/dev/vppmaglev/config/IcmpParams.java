package dev.vppmaglev.config;

/** icmp checks take no parameters. */
public record IcmpParams() implements ProbeParams {
    public static final IcmpParams INSTANCE = new IcmpParams();
}
