package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.cli.SlotType.NameKind;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Tab candidates per position and the {@code ?} text, with canned names (live names: ShellTest). */
class CompletionsTest {

    private static final NameSource NAMES = (kind, args) -> switch (kind) {
        case FRONTEND -> List.of(new NameSource.Name("web", "frontend"), new NameSource.Name("web6", "frontend"));
        case BACKEND -> List.of(new NameSource.Name("nginx0", "backend 10.0.0.1 up"),
                new NameSource.Name("nginx1", "backend 10.0.0.2 down"), new NameSource.Name("dns0", "backend"));
        case HEALTHCHECK -> List.of(new NameSource.Name("http", "health check"));
        case POOL -> "web".equals(args.get("frontend"))
                ? List.of(new NameSource.Name("primary", "pool"), new NameSource.Name("fallback", "pool"))
                : List.of();
    };

    private final Completions shell = new Completions(Commands.tree(), NAMES, true);
    private final Completions bash = new Completions(Commands.tree(), NAMES, false);

    private static List<String> values(Completions c, String line) {
        List<String> words = Shellwords.split(line);
        boolean boundary = line.isEmpty() || line.endsWith(" ");
        List<String> before = boundary ? words : words.subList(0, words.size() - 1);
        String partial = boundary ? "" : words.getLast();
        return c.candidates(before, partial).stream().map(Completions.Candidate::value).toList();
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                     | config exit help quit set show sync watch
            s                                      | set show sync
            sh                                     | show
            show                                   | show
            'show '                                | backend backends frontend frontends healthcheck healthchecks version vpp
            'sh ba'                                | backend backends
            'show backend '                        | nginx0 nginx1 dns0
            'show backend ng'                      | nginx0 nginx1
            'sh ba ng'                             | nginx0 nginx1
            'show backend nginx0 '                 | ''
            'set backend nginx0 '                  | disable enable pause resume
            'set frontend we'                      | web web6
            'set frontend web pool '               | primary fallback
            'set frontend web6 pool '              | ''
            'set frontend web pool primary backend ' | nginx0 nginx1 dns0
            'set frontend web pool primary backend nginx0 weight ' | ''
            'set log level '                       | debug info warn error
            'set log level w'                      | warn
            'show healthcheck '                    | http
            'watch events '                        | backend frontend log num
            'watch events log '                    | backend frontend level num
            'watch events log level e'             | error
            'watch events log level error '        | backend frontend num
            'watch events num 3 backend '          | frontend log
            'show fronted '                        | ''
            'show vpp lb '                         | counters state
            """)
    void candidatesPerPosition(String line, String expected) {
        List<String> want = expected.isBlank() ? List.of() : Arrays.asList(expected.split(" "));
        assertThat(values(shell, line)).containsExactlyElementsOf(want);
    }

    @Test
    void bashNeverOffersShellOnlyCommands() {
        assertThat(values(bash, "")).containsExactly("config", "help", "set", "show", "sync", "watch");
        assertThat(values(bash, "q")).isEmpty();
    }

    @Test
    void candidatesCarryHelp() {
        List<Completions.Candidate> c = shell.candidates(List.of("show"), "vp");
        assertThat(c).containsExactly(new Completions.Candidate("vpp",
                "show what VPP runs: version, lb state, lb counters"));
        assertThat(shell.candidates(List.of("show", "backend"), "nginx1"))
                .containsExactly(new Completions.Candidate("nginx1", "backend 10.0.0.2 down"));
    }

    @Test
    void questionMarkAtAWordBoundaryListsEverythingWithHelp() {
        assertThat(String.join("\n", shell.help("show vpp lb ")) + "\n").isEqualTo("""
                  counters  show the lb plugin's per-VIP packet and FIB counters
                  state     show the VIPs and application servers programmed in VPP
                """);
    }

    @Test
    void questionMarkInsideAWordListsWhatItCouldBe() {
        assertThat(String.join("\n", shell.help("sh ba")) + "\n").isEqualTo("""
                  backend   show one backend: health, last probe, transition history
                  backends  list backends with health and last result (or show one)
                """);
    }

    @Test
    void questionMarkAtASlotShowsTheSlotWithLiveNamesAndCrWhenComplete() {
        assertThat(String.join("\n", shell.help("show backends ")) + "\n").isEqualTo("""
                  <backend>  name of a backend (nginx0, nginx1, dns0)
                  <cr>       run "show backends"
                """);
        assertThat(String.join("\n", shell.help("set frontend web pool primary backend nginx0 weight "))).isEqualTo(
                "  <0-100>  configured weight in the pool, 0..100 (0 drains the backend)");
    }

    @Test
    void questionMarkAfterAnErrorExplainsIt() {
        assertThat(shell.help("show fronted ")).containsExactly(
                "  unknown word \"fronted\" after \"show\"; expected one of: backend, backends, frontend, frontends, "
                        + "healthcheck, healthchecks, version, vpp");
        assertThat(shell.help("show x")).containsExactly("  nothing matches \"x\" after \"show\"");
    }

    @Test
    void namesAreTruncatedInHelp() {
        NameSource many = (kind, args) -> java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> new NameSource.Name("backend-" + i, "")).toList();
        String line = new Completions(Commands.tree(), many, true).help("show backend ").getFirst();
        assertThat(line).startsWith("  <backend>  name of a backend (backend-0, backend-1,").endsWith(", ...)");
        assertThat(line.length()).isLessThan(100);
    }

    @Test
    void poolNamesAreScopedToTheFrontendTypedBefore() {
        NameSource recording = (kind, args) -> kind == NameKind.POOL
                ? List.of(new NameSource.Name("pool-of-" + args.get("frontend"), ""))
                : List.of();
        Completions c = new Completions(Commands.tree(), recording, true);
        assertThat(c.candidates(List.of("se", "fr", "dns", "po"), "")).extracting(Completions.Candidate::value)
                .containsExactly("pool-of-dns");
    }
}
