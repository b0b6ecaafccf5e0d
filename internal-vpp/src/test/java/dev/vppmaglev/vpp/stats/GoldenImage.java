package dev.vppmaglev.vpp.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.yaml.snakeyaml.Yaml;

/** The stats capture of testdata/golden/stats (README there): image, expected values, dumps. */
public final class GoldenImage {
    private GoldenImage() {}

    public static final long SIZE = 33_554_432L;
    public static final long BASE = 0x7f24db529000L;
    public static final long EPOCH = 570;
    public static final long DIRECTORY_OFFSET = 123_232;
    public static final int DIRECTORY_ENTRIES = 3124;

    public static Path dir() {
        String td = System.getProperty("maglev.testdata");
        if (td == null) {
            throw new IllegalStateException("system property maglev.testdata is not set (the root pom sets it for Surefire)");
        }
        return Path.of(td, "golden", "stats");
    }

    /** Gunzips segment.bin.gz into {@code into}/segment.bin (32 MiB) and returns its path. */
    public static Path gunzip(Path into) throws IOException {
        Path out = into.resolve("segment.bin");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir().resolve("segment.bin.gz")), 1 << 16);
                OutputStream os = Files.newOutputStream(out)) {
            in.transferTo(os);
        }
        return out;
    }

    /** expected.json as plain maps/lists/numbers (JSON is read with SnakeYAML). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> expected() throws IOException {
        try (InputStream in = Files.newInputStream(dir().resolve("expected.json"))) {
            return (Map<String, Object>) new Yaml().load(in);
        }
    }

    /** The lines of `vpp_get_stats dump machine` taken at the instant of the image. */
    public static List<String> machineDump() throws IOException {
        return Files.readAllLines(dir().resolve("expected-dump-machine.txt"));
    }

    public static long num(Object o) {
        return ((Number) o).longValue();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
