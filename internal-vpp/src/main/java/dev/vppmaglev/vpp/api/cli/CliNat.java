package dev.vppmaglev.vpp.api.cli;

/**
 * The NAT line of a NAT4/NAT6 VIP: {@code type:<clusterip|nodeport> port:<p> target_port:<t>}.
 *
 * @param srvType    {@code clusterip} or {@code nodeport}
 * @param port       as printed: VPP byte-swaps it (80 prints 20480), see {@link #vipPort()}
 * @param targetPort the NAT target port (printed correctly)
 */
public record CliNat(String srvType, int port, int targetPort) {
    /** The VIP port recovered from the byte-swapped {@link #port()}. */
    public int vipPort() {
        return ((port & 0xff) << 8) | ((port >> 8) & 0xff);
    }
}
