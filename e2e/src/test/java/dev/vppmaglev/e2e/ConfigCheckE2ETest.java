package dev.vppmaglev.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.config.faults.CorpusVerdicts;
import dev.vppmaglev.config.faults.HostileYamlCorpus;
import dev.vppmaglev.config.faults.HostileYamlCorpus.Entry;
import dev.vppmaglev.daemon.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handful of the hostile corpus (one file of every kind, and the oversized one) through the
 * real {@code bin/maglevd --check} process: the same exit status and the same stderr, byte for
 * byte, as the in-process check the full corpus runs through ({@code ConfigCorpusTest}), a clear
 * refusal, nothing on stdout, within the launcher's own start-up time.
 */
class ConfigCheckE2ETest {
    @TempDir
    Path dir;

    @Test
    void theRealProcessRefusesHostileFilesExactlyAsTheInProcessCheckDoes() throws Exception {
        long seed = HostileYamlCorpus.seed();
        List<Entry> corpus = HostileYamlCorpus.generate(seed, HostileYamlCorpus.example());
        List<Entry> handful = new ArrayList<>(HostileYamlCorpus.sample(corpus, 1));
        corpus.stream().filter(e -> e.sparseSize() > 0).forEach(handful::add);
        long slowest = 0;
        for (Entry e : handful) {
            String who = e + " (seed " + seed + ")";
            Path file = e.writeTo(dir);
            long start = System.nanoTime();
            Programs.Result r = Programs.run(List.of(Programs.bin("maglevd").toString(), "--check", "--config",
                    file.toString()), Map.of());
            slowest = Math.max(slowest, System.nanoTime() - start);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Main.run(new String[] {"--check", "--config", file.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(r.exit()).as("%s: exit, stderr %s", who, r.stderr()).isEqualTo(exit);
            assertThat(r.stderr()).as("%s: stderr", who).isEqualTo(err.toString(StandardCharsets.UTF_8));
            assertThat(r.stdout()).as("%s: stdout", who).isEqualTo(out.toString(StandardCharsets.UTF_8));
            if (exit == 0) {
                assertThat(e.mayBeValid()).as("%s accepted", who).isTrue();
                continue;
            }
            assertThat(r.exit()).as(who).isIn(1, 2);
            assertThat(r.stdout()).as(who).isEmpty();
            List<String> lines = r.stderr().lines().toList();
            CorpusVerdicts.assertClearRefusal(e, file.toString(), r.exit() == 1, lines.subList(0, lines.size() - 1),
                    seed);
        }
        System.out.printf("FIGURE config-check (bin/maglevd process): %d hostile files, slowest %s including the "
                + "JVM start%n", handful.size(), CorpusVerdicts.ms(slowest));
    }
}
