package dev.vppmaglev.cli;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The one line and exit status an operator gets for what a call ended with. */
class FailureTest {
    private static final ServerAddress ADDRESS = ServerAddress.parse("localhost:9090");

    private static Failure of(Status status) {
        return Failure.of(status.asRuntimeException(), ADDRESS, Duration.ofSeconds(10));
    }

    @Test
    void aDaemonKilledMidStreamIsALostConnectionNotGrpcText() {
        Failure f = of(Status.CANCELLED.withDescription("RST_STREAM closed stream. HTTP/2 error code: CANCEL"));
        assertThat(f.message()).isEqualTo("lost the connection to maglevd at localhost:9090 (stream reset)")
                .doesNotContain("RST_STREAM");
        assertThat(f.status()).isEqualTo(ExitStatus.UNREACHABLE);
    }

    @Test
    void theDaemonsOwnWordsArePassedOnAsTheyAre() {
        Failure f = of(Status.UNAVAILABLE.withDescription("maglevd is shutting down"));
        assertThat(f.message()).isEqualTo("maglevd is shutting down");
        assertThat(f.status()).isEqualTo(ExitStatus.SERVER_ERROR);
        assertThat(of(Status.NOT_FOUND.withDescription("no backend named \"x\"")).message())
                .isEqualTo("no backend named \"x\"");
    }
}
