package dev.vppmaglev.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** man/maglevd.8 documents exactly the flags maglevd accepts. */
class ManPageTest {
    private static final Path MAN = Path.of(System.getProperty("maglev.top", "..")).resolve("man/maglevd.8");

    private static List<String> longFlags() {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : new CommandLine(new Flags()).getCommandSpec().options()) {
            for (String n : o.names()) {
                if (n.startsWith("--") && !n.equals("--help")) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    @Test
    void everyFlagIsDocumented() throws Exception {
        String man = Files.readString(MAN).replace("\\-", "-");
        assertThat(longFlags()).isNotEmpty().allSatisfy(flag -> assertThat(man).contains(flag));
    }

    @Test
    void everyDocumentedFlagExists() throws Exception {
        String man = Files.readString(MAN).replace("\\-", "-");
        Matcher m = Pattern.compile("(?m)^\\.TP\\n\\.B[IR]? (--[a-z-]+)").matcher(man);
        List<String> flags = longFlags();
        int n = 0;
        while (m.find()) {
            assertThat(flags).as("documented flag " + m.group(1)).contains(m.group(1));
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(flags.size());
    }

    @Test
    void everyEnvironmentVariableIsDocumented() throws Exception {
        String man = Files.readString(MAN).replace("\\-", "-");
        for (OptionSpec o : new CommandLine(new Flags()).getCommandSpec().options()) {
            String dv = o.defaultValue();
            if (dv != null && dv.startsWith("${env:")) {
                String env = dv.substring(6, dv.indexOf(':', 6));
                assertThat(man).as(o.longestName()).contains(env);
            }
        }
    }
}
