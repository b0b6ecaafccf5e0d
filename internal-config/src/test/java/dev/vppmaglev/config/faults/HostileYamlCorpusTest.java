package dev.vppmaglev.config.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.ConfigException;
import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.config.faults.HostileYamlCorpus.Category;
import dev.vppmaglev.config.faults.HostileYamlCorpus.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated hostile corpus ({@link HostileYamlCorpus}, 1,210 files from a seed) through
 * {@link ConfigLoader#load}: each file is refused with clear errors ({@link CorpusVerdicts}) or,
 * for a random mutation only, accepted; nothing else escapes; no file takes more than
 * {@link #PER_FILE_LIMIT_S} seconds (run on a worker with a deadline, so a hang fails instead of
 * blocking the build).
 */
class HostileYamlCorpusTest {
    static final long PER_FILE_LIMIT_S = 10;

    @TempDir
    Path dir;

    @Test
    void everyHostileFileIsRefusedClearlyAndQuickly() throws Exception {
        long seed = HostileYamlCorpus.seed();
        List<Entry> corpus = HostileYamlCorpus.generate(seed, HostileYamlCorpus.example());
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(1000);
        // the same seed gives the same corpus
        List<Entry> again = HostileYamlCorpus.generate(seed, HostileYamlCorpus.example());
        for (int i = 0; i < corpus.size(); i++) {
            assertThat(again.get(i).bytes()).as("entry %d is reproducible", i).isEqualTo(corpus.get(i).bytes());
        }

        ExecutorService worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("corpus-load").unstarted(r));
        Map<Category, int[]> verdicts = new EnumMap<>(Category.class); // refused, accepted
        Map<Category, Long> slowest = new EnumMap<>(Category.class);
        long[] times = new long[corpus.size()];
        try {
            for (int i = 0; i < corpus.size(); i++) {
                Entry e = corpus.get(i);
                Path file = e.writeTo(dir);
                long start = System.nanoTime();
                Future<Object> f = worker.submit(() -> {
                    try {
                        return ConfigLoader.load(file, ConfigLoader.Options.DEFAULTS);
                    } catch (ConfigException ce) {
                        return ce;
                    }
                });
                Object outcome;
                try {
                    outcome = f.get(PER_FILE_LIMIT_S, TimeUnit.SECONDS);
                } catch (TimeoutException t) {
                    throw new AssertionError(e + " (seed " + seed + ") took more than " + PER_FILE_LIMIT_S + " s");
                } catch (java.util.concurrent.ExecutionException x) {
                    throw new AssertionError(e + " (seed " + seed + ") escaped as " + x.getCause(), x.getCause());
                }
                times[i] = System.nanoTime() - start;
                slowest.merge(e.category(), times[i], Math::max);
                int[] v = verdicts.computeIfAbsent(e.category(), c -> new int[2]);
                if (outcome instanceof ConfigException ce) {
                    v[0]++;
                    CorpusVerdicts.assertClearRefusal(e, file.toString(), ce.kind() == ConfigException.Kind.PARSE,
                            CorpusVerdicts.lines(ce.errors()), seed);
                } else {
                    v[1]++;
                    assertThat(e.mayBeValid()).as("%s (seed %d) was accepted", e, seed).isTrue();
                    assertThat(((Config) outcome).frontends()).isNotNull();
                }
                java.nio.file.Files.delete(file);
            }
        } finally {
            worker.shutdownNow();
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        System.out.printf("FIGURE config-corpus (ConfigLoader): seed %d, %d files, total %s, median %s, p99 %s, max %s%n",
                seed, corpus.size(), CorpusVerdicts.ms(Arrays.stream(times).sum()),
                CorpusVerdicts.ms(sorted[sorted.length / 2]), CorpusVerdicts.ms(sorted[sorted.length * 99 / 100]),
                CorpusVerdicts.ms(sorted[sorted.length - 1]));
        List<String> rows = new ArrayList<>();
        verdicts.forEach((c, v) -> rows.add(String.format("FIGURE   %-14s refused %4d  accepted %3d  slowest %s",
                c.keyword(), v[0], v[1], CorpusVerdicts.ms(slowest.get(c)))));
        rows.forEach(System.out::println);
        assertThat(verdicts.get(Category.MUTATION)[0]).as("mutations mostly break the config").isGreaterThan(200);
    }
}
