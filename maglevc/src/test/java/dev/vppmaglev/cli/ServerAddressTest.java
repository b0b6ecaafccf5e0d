package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerAddressTest {

    @Test
    void parsesEveryForm() {
        assertThat(ServerAddress.parse("localhost:9090")).isEqualTo(new ServerAddress.Tcp("localhost", 9090));
        assertThat(ServerAddress.parse("192.0.2.1:50051")).isEqualTo(new ServerAddress.Tcp("192.0.2.1", 50051));
        assertThat(ServerAddress.parse("[2001:db8::1]:9090")).isEqualTo(new ServerAddress.Tcp("2001:db8::1", 9090));
        assertThat(ServerAddress.parse("[::1]")).isEqualTo(new ServerAddress.Tcp("::1", 9090));
        assertThat(ServerAddress.parse(":9999")).isEqualTo(new ServerAddress.Tcp("localhost", 9999));
        assertThat(ServerAddress.parse("maglev1")).isEqualTo(new ServerAddress.Tcp("maglev1", 9090));
        assertThat(ServerAddress.parse("unix:/run/maglev/grpc.sock"))
                .isEqualTo(new ServerAddress.Unix(Path.of("/run/maglev/grpc.sock")));
        assertThat(ServerAddress.parse("unix:///run/maglev/grpc.sock"))
                .isEqualTo(new ServerAddress.Unix(Path.of("/run/maglev/grpc.sock")));
    }

    @Test
    void displaysAsWritten() {
        assertThat(ServerAddress.parse("[2001:db8::1]:9090").display()).isEqualTo("[2001:db8::1]:9090");
        assertThat(ServerAddress.parse("unix:/run/x.sock").display()).isEqualTo("unix:/run/x.sock");
        assertThat(ServerAddress.parse(ServerAddress.DEFAULT).display()).isEqualTo("localhost:9090");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                 | empty server address; expected host:port, [v6]:port or unix:/path
            2001:db8::1        | put an IPv6 server address in brackets, e.g. [2001:db8::1]:9090
            host:0             | bad port "0" in server address "host:0"; expected 1..65535
            host:http          | bad port "http" in server address "host:http"; expected 1..65535
            [::1               | missing ']' in server address "[::1"
            [::1]9090          | expected ':port' after ']' in server address "[::1]9090"
            unix:              | no socket path in server address "unix:"
            """)
    void rejectsWithAClearMessage(String text, String message) {
        assertThatThrownBy(() -> ServerAddress.parse(text)).isInstanceOf(CommandLineException.class)
                .hasMessage(message);
    }
}
