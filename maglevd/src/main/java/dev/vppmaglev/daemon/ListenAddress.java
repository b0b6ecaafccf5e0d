package dev.vppmaglev.daemon;

import java.net.InetSocketAddress;

/**
 * A Go-style listen address as given to {@code --grpc-addr} / {@code --metrics-addr}:
 * {@code host:port}, {@code :port} (every interface), {@code [v6addr]:port}.
 */
public final class ListenAddress {
    private ListenAddress() {}

    /**
     * Parses {@code addr}.
     *
     * @throws IllegalArgumentException with a message naming the flag value and the accepted forms
     */
    public static InetSocketAddress parse(String addr) {
        String a = addr.trim();
        int colon = a.lastIndexOf(':');
        if (colon < 0) {
            throw bad(addr);
        }
        String host = a.substring(0, colon);
        String portText = a.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw bad(addr);
        }
        if (port < 0 || port > 65535) {
            throw bad(addr);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw bad(addr);
        }
        if (host.isEmpty()) {
            return new InetSocketAddress(port);
        }
        InetSocketAddress isa = new InetSocketAddress(host, port);
        if (isa.isUnresolved()) {
            throw new IllegalArgumentException("listen address \"" + addr + "\": cannot resolve host \"" + host + "\"");
        }
        return isa;
    }

    private static IllegalArgumentException bad(String addr) {
        return new IllegalArgumentException("listen address \"" + addr
                + "\": use host:port, :port or [ipv6]:port with a port 0..65535");
    }
}
