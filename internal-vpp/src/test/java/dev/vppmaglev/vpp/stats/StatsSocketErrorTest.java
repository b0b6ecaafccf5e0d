package dev.vppmaglev.vpp.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures to get the segment from stats.sock are {@link StatsConnectException}s with errno text. */
class StatsSocketErrorTest {
    @TempDir
    Path tmp;

    @Test
    void missingSocket() {
        Path sock = tmp.resolve("stats.sock");
        assertThatThrownBy(() -> StatsSegment.open(sock))
                .isInstanceOfSatisfying(StatsConnectException.class, e -> {
                    assertThat(e.step()).isEqualTo("connect");
                    assertThat(e.errno()).isEqualTo(2);
                })
                .hasMessage("connect(" + sock + "): No such file or directory (errno 2)");
    }

    @Test
    void streamSocketIsTheWrongType() throws Exception {
        // VPP's stats socket is SOCK_SEQPACKET; pointing at a SOCK_STREAM socket (e.g. api.sock)
        // fails in connect with EPROTOTYPE.
        Path sock = tmp.resolve("api.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            assertThatThrownBy(() -> StatsSegment.open(sock))
                    .isInstanceOfSatisfying(StatsConnectException.class, e -> assertThat(e.errno()).isEqualTo(91))
                    .hasMessage("connect(" + sock + "): Protocol wrong type for socket (errno 91)");
        }
    }

    @Test
    void pathTooLongForAUnixSocket() {
        Path sock = tmp.resolve("x".repeat(120));
        assertThatThrownBy(() -> StatsSegment.open(sock))
                .isInstanceOf(StatsConnectException.class)
                .hasMessageContaining("stats socket path is too long");
    }

    @Test
    void connectorOpensThroughTheSameCode() {
        StatsConnector connector = StatsConnector.unixSocket(tmp.resolve("none.sock"), StatsOptions.DEFAULT);
        assertThatThrownBy(connector::open).isInstanceOf(StatsConnectException.class);
    }
}
