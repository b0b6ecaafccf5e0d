package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The grammar of {@link Commands}: prefix resolution, exact priority, ambiguity, errors. */
class CommandTreeTest {

    private static final CommandTree TREE = Commands.tree();

    private static CommandTree.Parsed parse(String line) {
        return TREE.parse(Arrays.asList(line.trim().split("\\s+")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            show version                               | show version                     | SHOW_VERSION
            sh ver                                     | show version                     | SHOW_VERSION
            sh ba                                      | show backends                    | SHOW_BACKENDS
            sh ba nginx0                               | show backends nginx0             | SHOW_BACKENDS
            sh backe nginx0                            | show backends nginx0             | SHOW_BACKENDS
            show backend nginx0                        | show backend nginx0              | SHOW_BACKEND
            SHOW BACKEND Nginx0                        | show backend Nginx0              | SHOW_BACKEND
            sh fr                                      | show frontends                   | SHOW_FRONTENDS
            sh frontend web                            | show frontend web                | SHOW_FRONTEND
            sh he                                      | show healthchecks                | SHOW_HEALTHCHECKS
            sh healthcheck http                        | show healthcheck http            | SHOW_HEALTHCHECK
            sh vp i                                    | show vpp info                    | SHOW_VPP_INFO
            sh vp l s                                  | show vpp lb state                | SHOW_VPP_LB_STATE
            sh vp l c                                  | show vpp lb counters             | SHOW_VPP_LB_COUNTERS
            sy v l s                                   | sync vpp lb state                | SYNC_VPP_LB_STATE
            sy v l s web                               | sync vpp lb state web            | SYNC_VPP_LB_STATE
            se ba nginx1 pa                            | set backend nginx1 pause         | BACKEND_PAUSE
            se ba nginx1 r                             | set backend nginx1 resume        | BACKEND_RESUME
            se ba nginx1 en                            | set backend nginx1 enable        | BACKEND_ENABLE
            se ba nginx1 d                             | set backend nginx1 disable       | BACKEND_DISABLE
            se fr web po primary ba nginx0 we 50       | set frontend web pool primary backend nginx0 weight 50 | SET_WEIGHT
            set log level deb                          | set log level debug              | SET_LOG_LEVEL
            w e                                        | watch events                     | WATCH_EVENTS
            w e n 5 b                                  | watch events num 5 backend       | WATCH_EVENTS
            w e f l lev warn n 3                       | watch events frontend log level warn num 3 | WATCH_EVENTS
            w e log num 2                              | watch events log num 2           | WATCH_EVENTS
            c c                                        | config check                     | CONFIG_CHECK
            con rel                                    | config reload                    | CONFIG_RELOAD
            q                                          | quit                             | QUIT
            ex                                         | exit                             | QUIT
            h                                          | help                             | HELP
            """)
    void resolvesPrefixesToCommands(String line, String canonical, Action action) {
        CommandTree.Parsed parsed = parse(line);
        assertThat(parsed.line()).isEqualTo(canonical);
        assertThat(parsed.action()).isEqualTo(action);
    }

    @Test
    void bindsSlotValuesAndOptions() {
        CommandTree.Parsed weight = parse("set frontend web pool primary backend nginx0 weight 0");
        assertThat(weight.args()).isEqualTo(Map.of("frontend", "web", "pool", "primary", "backend", "nginx0",
                "weight", "0"));
        CommandTree.Parsed watch = parse("watch events num 7 log level error backend");
        assertThat(watch.args()).isEqualTo(Map.of("num", "7", "level", "error"));
        assertThat(watch.options()).isEqualTo(Set.of("num", "log", "level", "backend"));
        assertThat(parse("show backends").arg("backend")).isNull();
        assertThat(parse("show backends nginx3").arg("backend")).isEqualTo("nginx3");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            s                       | ambiguous word "s"; could be: set, show, sync
            show fronted            | unknown word "fronted" after "show"; expected one of: backend, backends, frontend, frontends, healthcheck, healthchecks, version, vpp
            frobnicate              | unknown command "frobnicate"; expected one of: config, exit, help, quit, set, show, sync, watch
            show                    | incomplete command "show"; expected one of: backend, backends, frontend, frontends, healthcheck, healthchecks, version, vpp
            sh vpp                  | incomplete command "show vpp"; expected one of: info, lb
            show backend            | incomplete command "show backend"; expected one of: <backend>
            show version now        | unexpected word "now" after "show version"; the command ends there
            show backends a b       | unexpected word "b" after "show backends a"; the command ends there
            show v                  | ambiguous word "v" after "show"; could be: version, vpp
            set backend x stop      | unknown word "stop" after "set backend x"; expected one of: disable, enable, pause, resume
            set log level loud      | unknown level "loud"; expected one of: debug, info, warn, error
            se fr w po p ba b we 101 | <0-100> must be 0..100, got 101
            se fr w po p ba b we -1  | <0-100> must be 0..100, got -1
            se fr w po p ba b we x   | expected a number for <0-100>, got "x"
            w e num 0                | <n> must be 1 or more, got 0
            w e backend backend      | unknown word "backend" after "watch events backend"; expected one of: frontend, log, num
            w e l lev                | incomplete command "watch events log level"; expected one of: <level>
            """)
    void rejectsWithTargetedErrors(String line, String message) {
        assertThatThrownBy(() -> parse(line))
                .isInstanceOf(CommandLineException.class)
                .hasMessage(message);
    }

    @Test
    void listsEveryCommandOnceInDefinitionOrder() {
        List<String> synopses = TREE.commands().stream().map(CommandTree.Command::synopsis).toList();
        assertThat(synopses).startsWith("show version", "show frontends [<frontend>]")
                .contains("watch events [num <n>] [log [level <level>]] [backend] [frontend]")
                .doesNotHaveDuplicates();
    }

    @Test
    void everyNodeHasHelp() {
        assertThat(TREE.allNodes()).allSatisfy(n -> assertThat(n.help()).as(n.display()).isNotBlank());
    }

    @Test
    void builderRefusesBrokenTables() {
        assertThatThrownBy(() -> CommandTree.builder().command("show <nope>", "x", Action.HELP).build())
                .hasMessageContaining("undeclared slot <nope>");
        assertThatThrownBy(() -> CommandTree.builder().command("show version", "x", Action.HELP)
                        .command("show version", "y", Action.QUIT).build())
                .hasMessageContaining("ends where");
        assertThatThrownBy(() -> CommandTree.builder().command("show vpp info", "x", Action.HELP).build())
                .hasMessageContaining("no help for keyword \"show\"");
        assertThatThrownBy(() -> CommandTree.builder().command("show [x", "x", Action.HELP).build())
                .hasMessageContaining("unbalanced");
    }
}
