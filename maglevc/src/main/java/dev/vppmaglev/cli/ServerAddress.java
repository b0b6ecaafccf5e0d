package dev.vppmaglev.cli;

import java.nio.file.Path;

/** Where maglevd listens: a TCP {@code host:port} or a Unix socket ({@code --server}, {@code MAGLEV_SERVER}). */
sealed interface ServerAddress {

    /** maglevd's default gRPC address (behaviour.md §13.10: {@code :9090}). */
    String DEFAULT = "localhost:9090";

    /** As the operator wrote it, for prompts and error messages. */
    String display();

    /**
     * A TCP address.
     *
     * @param host a name, an IPv4 address or an IPv6 address without brackets
     * @param port 1..65535
     */
    record Tcp(String host, int port) implements ServerAddress {
        @Override
        public String display() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A Unix domain socket (maglevd's {@code --grpc-socket}).
     *
     * @param path the socket file
     */
    record Unix(Path path) implements ServerAddress {
        @Override
        public String display() {
            return "unix:" + path;
        }
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port}, {@code :port} (localhost), {@code host}
     * (port 9090), or {@code unix:/path} ({@code unix:///path} too).
     *
     * @throws CommandLineException for an empty address, a bad port, or an IPv6 address
     *     without brackets
     */
    static ServerAddress parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new CommandLineException("empty server address; expected host:port, [v6]:port or unix:/path");
        }
        if (s.startsWith("unix:")) {
            String path = s.substring("unix:".length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
            if (path.isEmpty()) {
                throw new CommandLineException("no socket path in server address \"" + text + "\"");
            }
            return new Unix(Path.of(path));
        }
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new CommandLineException("missing ']' in server address \"" + text + "\"");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                port = "9090";
            } else if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else {
                throw new CommandLineException("expected ':port' after ']' in server address \"" + text + "\"");
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new CommandLineException("put an IPv6 server address in brackets, e.g. [" + s + "]:9090");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? "9090" : s.substring(colon + 1);
            if (host.isEmpty()) {
                host = "localhost";
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > 65535) {
            throw new CommandLineException("bad port \"" + port + "\" in server address \"" + text + "\"; expected 1..65535");
        }
        return new Tcp(host, p);
    }
}
