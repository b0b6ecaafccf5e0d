package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** man/maglevc.1 lists exactly the command tree's commands, in its order, and renders cleanly. */
class ManPageTest {
    private static final Path PAGE = Processes.top().resolve("man/maglevc.1");

    /** (synopsis, first line of its description) for each .TP entry of the COMMANDS section. */
    private static List<String[]> commandsSection() throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf(".SH COMMANDS");
        assertThat(start).as(".SH COMMANDS in " + PAGE).isNotNegative();
        List<String[]> out = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith(".SH"); i++) {
            if (lines.get(i).equals(".TP")) {
                String synopsis = lines.get(i + 1);
                assertThat(synopsis).startsWith(".B \"").endsWith("\"");
                out.add(new String[] {unescape(synopsis.substring(4, synopsis.length() - 1)), lines.get(i + 2)});
            }
        }
        return out;
    }

    private static String unescape(String groff) {
        return groff.replace("\\-", "-");
    }

    @Test
    void commandsSectionIsTheCommandTree() throws IOException {
        List<String[]> page = commandsSection();
        List<CommandTree.Command> tree = Commands.tree().commands();
        assertThat(page.stream().map(e -> e[0]).toList())
                .containsExactlyElementsOf(tree.stream().map(CommandTree.Command::synopsis).toList());
        for (int i = 0; i < tree.size(); i++) {
            assertThat(unescape(page.get(i)[1])).as(tree.get(i).synopsis()).startsWith(tree.get(i).help());
        }
    }

    @Test
    void rendersWithoutGroffWarnings() {
        Processes.Result r = Processes.run(List.of("groff", "-man", "-Tutf8", "-ww", PAGE.toString()), "",
                Duration.ofSeconds(30));
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("command-line client and interactive shell for maglevd");
    }
}
