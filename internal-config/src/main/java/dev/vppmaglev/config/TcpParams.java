package dev.vppmaglev.config;

/**
 * {@code params:} of a tcp check. With nothing set the check is a plain connect ({@code L4OK}).
 *
 * @param send               bytes to send after connecting (UTF-8); empty = send nothing
 * @param expect             regular expression the first reply bytes must match (searched);
 *                           empty = no banner check
 * @param tls                do a TLS handshake after connecting ({@code L6OK})
 * @param serverName         with tls: SNI and the name verified; empty = no SNI, no name check
 * @param insecureSkipVerify with tls: accept any certificate
 */
public record TcpParams(String send, String expect, boolean tls, String serverName,
                        boolean insecureSkipVerify) implements ProbeParams {
    public static final TcpParams DEFAULTS = new TcpParams("", "", false, "", false);

    public TcpParams {
        send = send == null ? "" : send;
        expect = expect == null ? "" : expect;
        serverName = serverName == null ? "" : serverName;
    }
}
