package dev.vppmaglev.vpp.fake.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.yaml.snakeyaml.Yaml;

/** testdata/golden/stats: the VPP stats capture (README there). */
final class GoldenFiles {
    private GoldenFiles() {}

    static Path dir() {
        String td = System.getProperty("maglev.testdata");
        if (td == null) {
            throw new IllegalStateException("system property maglev.testdata is not set (the root pom sets it for Surefire)");
        }
        return Path.of(td, "golden", "stats");
    }

    static Path gunzip(Path into) throws IOException {
        Path out = into.resolve("segment.bin");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir().resolve("segment.bin.gz")), 1 << 16);
                OutputStream os = Files.newOutputStream(out)) {
            in.transferTo(os);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> expected() throws IOException {
        try (InputStream in = Files.newInputStream(dir().resolve("expected.json"))) {
            return (Map<String, Object>) new Yaml().load(in);
        }
    }

    static long num(Object o) {
        return ((Number) o).longValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
