package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static Options parse(String... args) {
        return Options.parse(List.of(args));
    }

    @Test
    void flagsBeforeAndAfterTheCommand() {
        Options o = parse("--server", "h:1", "show", "frontends", "--json");
        assertThat(o.server()).contains("h:1");
        assertThat(o.json()).isTrue();
        assertThat(o.words()).containsExactly("show", "frontends");
        assertThat(parse("-server=h:2", "-color=false", "sh", "ba").color()).contains(false);
        assertThat(parse("--color", "sh").color()).contains(true);
        assertThat(parse("--color=1").color()).contains(true);
        assertThat(parse("sh").color()).isEqualTo(Optional.empty());
    }

    @Test
    void doubleDashEndsTheFlags() {
        assertThat(parse("--", "show", "backend", "-odd-name").words()).containsExactly("show", "backend", "-odd-name");
    }

    @Test
    void helpVersionAndCompletion() {
        assertThat(parse("-h").help()).isTrue();
        assertThat(parse("--help").help()).isTrue();
        assertThat(parse("--version").version()).isTrue();
        assertThat(parse("--bash-completion").bashCompletion()).isTrue();
        Options c = parse("--complete", "--server", "h:3", "sh", "ba");
        assertThat(c.complete()).isTrue();
        assertThat(c.server()).contains("h:3");
        assertThat(c.words()).containsExactly("sh", "ba");
        assertThat(parse("--complete", "sh", "").words()).containsExactly("sh", "");
        assertThat(parse("--complete").words()).containsExactly("");
        assertThat(parse("--complete", "--ser").words()).containsExactly("--ser");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> parse("--server")).hasMessage(
                "flag --server needs an address, e.g. --server localhost:9090");
        assertThatThrownBy(() -> parse("--color=perhaps")).hasMessage(
                "bad value \"perhaps\" for --color; expected true or false");
        assertThatThrownBy(() -> parse("--jsno")).hasMessage(
                "unknown flag \"--jsno\"; expected one of: --server, --color, --json, --tls, --tls-ca, --tls-cert, --tls-key, --tls-server-name, --help, --version");
    }
}
