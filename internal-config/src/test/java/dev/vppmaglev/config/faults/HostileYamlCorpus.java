package dev.vppmaglev.config.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seeded generator of malformed and hostile {@code maglev.yaml} files, made from the shipped
 * example ({@code docs/examples/maglev.yaml}): wrong types, unknown and duplicate keys, semantic
 * breakage, huge documents, deep nesting, alias bombs, invalid UTF-8, binary files and random
 * mutations. Every entry says what a correct loader must answer: refused (except most mutations,
 * which may happen to stay valid), the stage when it is known, and a rule that must be among the
 * errors when one is implied. The same seed gives the same corpus, byte for byte.
 *
 * <p>Shared by the loader's corpus test, the {@code maglevd --check} / reload tests and the e2e
 * test that feeds a sample to the real {@code bin/maglevd --check}.
 */
public final class HostileYamlCorpus {
    /** Default seed; {@code -Dmaglev.faults.seed} overrides it. */
    public static final long DEFAULT_SEED = 20261121L;
    /** Entries generated; the brief asks for at least 1,000. */
    public static final int SIZE = 1210;

    /** What kind of damage an entry carries. */
    public enum Category {
        WRONG_TYPE, UNKNOWN_KEY, DUPLICATE_KEY, SEMANTIC, HUGE, DEEP_NESTING, ALIAS_BOMB, INVALID_UTF8, BINARY,
        MUTATION;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The stage that must refuse an entry ({@code --check} exit 1 or 2), when known. */
    public enum Stage { PARSE, SEMANTIC, ANY }

    /**
     * One file of the corpus.
     *
     * @param name       a file name: number, category and what was done, e.g. {@code 0042-wrong-type.yaml}
     * @param category   the damage
     * @param what       a short description for failure messages (e.g. {@code port: {x: 1} at line 35})
     * @param bytes      the file content
     * @param mayBeValid whether the damage may leave a valid config (random mutations only)
     * @param stage      the stage that must refuse it
     * @param rule       a rule that must be among the errors, or {@code null} when none is implied
     * @param sparseSize for the one oversized file: its size (written sparse, {@code bytes} empty); else 0
     */
    public record Entry(String name, Category category, String what, byte[] bytes, boolean mayBeValid, Stage stage,
                        String rule, long sparseSize) {
        /** Writes this entry into {@code dir} under {@link #name}; returns the path. */
        public Path writeTo(Path dir) {
            Path file = dir.resolve(name);
            try {
                if (sparseSize > 0) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap("# x\n".getBytes(StandardCharsets.US_ASCII)), sparseSize - 4);
                    }
                } else {
                    Files.write(file, bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }

        @Override
        public String toString() {
            return name + " (" + what + ")";
        }
    }

    /** Every key of the schema (docs/config-guide.md): typos are re-rolled when they hit one. */
    static final Set<String> SCHEMA_KEYS = Set.of("maglev", "healthchecker", "transition-history", "netns", "vpp",
            "lb", "ipv4-src-address", "ipv6-src-address", "sync-interval", "sticky-buckets-per-core", "flow-timeout",
            "startup-min-delay", "startup-max-delay", "healthchecks", "type", "port", "interval", "fast-interval",
            "down-interval", "timeout", "rise", "fall", "probe-ipv4-src", "probe-ipv6-src", "params", "path", "host",
            "method", "expect-status", "expect-body", "server-name", "insecure-skip-verify", "send", "expect", "tls",
            "backends", "address", "healthcheck", "enabled", "frontends", "description", "protocol", "pools",
            "src-ip-sticky", "flush-on-down", "name", "weight");

    private static final Pattern KEY_LINE = Pattern.compile("^( *)(- )?([A-Za-z0-9_.-]+):(?: (.*))?$");

    private final Random random;
    private final List<Line> lines;
    private final String example;
    private final List<Entry> out = new ArrayList<>();
    private int aliasBombs;

    private HostileYamlCorpus(long seed, String example) {
        this.random = new Random(seed);
        this.example = example;
        this.lines = Line.parse(example);
    }

    /** The seed tests use: {@code -Dmaglev.faults.seed}, else {@link #DEFAULT_SEED}. */
    public static long seed() {
        return Long.getLong("maglev.faults.seed", DEFAULT_SEED);
    }

    /** The shipped example config, found through {@code -Dmaglev.top} (set by the root pom). */
    public static String example() {
        Path top = Path.of(System.getProperty("maglev.top", ".."));
        try {
            return Files.readString(top.resolve("docs/examples/maglev.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The corpus for {@code seed}, made from {@code example}: {@link #SIZE} entries. */
    public static List<Entry> generate(long seed, String example) {
        HostileYamlCorpus g = new HostileYamlCorpus(seed, example);
        g.repeat(140, g::wrongType);
        g.repeat(120, g::unknownKey);
        g.repeat(60, g::duplicateKey);
        g.repeat(150, g::semantic);
        g.huge();
        g.repeat(40, g::deepNesting);
        g.repeat(40, g::aliasBomb);
        g.repeat(150, g::invalidUtf8);
        g.repeat(100, g::binary);
        g.repeat(SIZE - g.out.size(), g::mutation);
        return Collections.unmodifiableList(g.out);
    }

    /** A few entries of every category, for the slower surfaces (the real process). */
    public static List<Entry> sample(List<Entry> corpus, int perCategory) {
        List<Entry> s = new ArrayList<>();
        for (Category c : Category.values()) {
            corpus.stream().filter(e -> e.category() == c && e.sparseSize() == 0).limit(perCategory).forEach(s::add);
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------------

    private void repeat(int n, Runnable step) {
        for (int i = 0; i < n; i++) {
            step.run();
        }
    }

    private void add(Category c, String what, String text, Stage stage, String rule) {
        add(c, what, text.getBytes(StandardCharsets.UTF_8), false, stage, rule, 0);
    }

    private void add(Category c, String what, byte[] bytes, boolean mayBeValid, Stage stage, String rule, long sparse) {
        String name = String.format(Locale.ROOT, "%04d-%s.yaml", out.size(), c.keyword());
        out.add(new Entry(name, c, what, bytes, mayBeValid, stage, rule, sparse));
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** A scalar key line in a schema map, or a section that opens a block. */
    private void wrongType() {
        if (random.nextBoolean()) {
            Line l = pick(lines.stream().filter(x -> x.schemaKey() && x.hasScalarValue()).toList());
            String bad = pick(List.of("{x: 1}", "{}", "{ nested: { deeper: [1, 2] } }", "!!map {a: b}"));
            // expect-status takes a list; everything else a scalar: a map is wrong for all of them
            add(Category.WRONG_TYPE, l.key + ": " + bad + " at line " + l.no,
                    replaceLine(l, l.prefix() + bad), Stage.PARSE, "wrong-type");
        } else {
            Line l = pick(lines.stream().filter(x -> x.schemaKey() && x.opensBlock() && !x.key.equals("maglev")
                    && !x.key.equals("params")).toList());
            String bad = pick(l.key.equals("pools")
                    ? List.of("42", "\"primary\"", "{primary: {}}", "true")
                    : List.of("42", "[a, b]", "\"text\"", "[]", "3.5", "true"));
            add(Category.WRONG_TYPE, l.key + ": " + bad + " instead of its block at line " + l.no,
                    replaceBlock(l, l.prefix() + bad), Stage.PARSE, "wrong-type");
        }
    }

    /** A misspelt key among the schema keys of a map. */
    private void unknownKey() {
        Line l = pick(lines.stream().filter(x -> x.schemaKey() && !x.listItem).toList());
        String typo;
        do {
            typo = typo(l.key);
        } while (SCHEMA_KEYS.contains(typo));
        String value = pick(List.of("1", "true", "2s", "\"x\"", "[1]", "{a: 1}", "~"));
        String inserted = " ".repeat(l.keyIndent()) + typo + ": " + value;
        add(Category.UNKNOWN_KEY, typo + " beside " + l.key + " at line " + l.no, insertBefore(l, inserted),
                Stage.PARSE, "unknown-key");
    }

    private String typo(String key) {
        StringBuilder s = new StringBuilder(key);
        switch (random.nextInt(6)) {
            case 0 -> s.deleteCharAt(random.nextInt(s.length()));
            case 1 -> {
                int at = random.nextInt(s.length());
                s.insert(at, s.charAt(at));
            }
            case 2 -> {
                if (s.length() > 1) {
                    int at = random.nextInt(s.length() - 1);
                    char c = s.charAt(at);
                    s.setCharAt(at, s.charAt(at + 1));
                    s.setCharAt(at + 1, c);
                } else {
                    s.append('s');
                }
            }
            case 3 -> {
                String t = s.toString();
                return t.contains("-") ? t.replace('-', '_') : t + "_";
            }
            case 4 -> s.setCharAt(0, Character.toUpperCase(s.charAt(0)));
            default -> s.append(pick(List.of("s", "-ms", "2", "_old")));
        }
        return s.toString();
    }

    /** The same key twice in one map: a scalar line, or a whole named block. */
    private void duplicateKey() {
        if (random.nextBoolean()) {
            Line l = pick(lines.stream().filter(x -> x.schemaKey() && x.hasScalarValue() && !x.listItem).toList());
            add(Category.DUPLICATE_KEY, l.key + " twice at line " + l.no, insertBefore(l, l.text), Stage.PARSE,
                    "duplicate-key");
        } else {
            Line l = pick(lines.stream().filter(x -> x.nameKey() && x.opensBlock()).toList());
            List<String> block = blockOf(l);
            List<String> text = new ArrayList<>(texts());
            text.addAll(l.index, block);
            add(Category.DUPLICATE_KEY, l.key + " block twice at line " + l.no, join(text), Stage.PARSE,
                    "duplicate-key");
        }
    }

    /** Valid YAML, valid types, broken rules: one to three edits, every rule expected. */
    private void semantic() {
        record Edit(String rule, Function<HostileYamlCorpus, String> apply) {}
        List<Edit> edits = List.of(
                new Edit("port-range", g -> g.setValue("healthchecks/self-metrics", "port",
                        g.pick(List.of("0", "65536", "70000", "99999")))),
                new Edit("port-range", g -> g.replace("port: 5432", "port: " + g.pick(List.of("65536", "70000")))),
                new Edit("weight-range", g -> g.replace("web-b: { weight: 50 }",
                        "web-b: { weight: " + (101 + g.random.nextInt(900)) + " }")),
                new Edit("rise-fall-range", g -> g.setValue("healthchecks/ping", g.pick(List.of("rise", "fall")), "0")),
                new Edit("interval-minimum", g -> g.setValue("healthchecks/ping", "interval",
                        (1 + g.random.nextInt(99)) + "ms")),
                new Edit("timeout-range", g -> g.setValue("healthchecks/closed-port", "timeout", "0s")),
                new Edit("sticky-buckets-power-of-two", g -> g.setValue("vpp/lb", "sticky-buckets-per-core",
                        Integer.toString(3 + 2 * g.random.nextInt(40000)))),
                new Edit("flow-timeout-range", g -> g.setValue("vpp/lb", "flow-timeout",
                        g.pick(List.of("0s", "121s", "10m", "500ms")))),
                new Edit("startup-delay-order", g -> g.setValue("vpp/lb", "startup-min-delay",
                        (31 + g.random.nextInt(60)) + "s")),
                new Edit("transition-history-range", g -> g.setValue("healthchecker", "transition-history", "0")),
                new Edit("unknown-healthcheck", g -> g.setValue("backends/db-primary", "healthcheck",
                        "missing-" + g.random.nextInt(1000))),
                new Edit("unknown-backend", g -> g.replace("web-spare: {}", "ghost-" + g.random.nextInt(1000) + ": {}")),
                new Edit("duplicate-vip", g -> g.replace("address: 192.0.2.2", "address: 192.0.2.1")
                        .replace("port: 5432", "port: 80")),
                new Edit("path-format", g -> g.setValue("healthchecks/self-metrics/params", "path", "metrics")),
                new Edit("status-range", g -> g.replace("expect-status: [200]",
                        "expect-status: [" + g.pick(List.of("99", "600", "300-200", "0")) + "]")),
                new Edit("head-with-body", g -> g.setValue("healthchecks/self-metrics/params", "method", "HEAD")),
                new Edit("missing-src-address", g -> g.removeLine("vpp/lb", "ipv4-src-address")),
                new Edit("bad-name", g -> g.replace("    db-primary:\n", "    \"db primary\":\n")
                        .replace("db-primary: {}", "\"db primary\": {}")));
        int n = 1 + random.nextInt(3);
        String text = example;
        List<String> rules = new ArrayList<>();
        for (int attempt = 0; rules.size() < n && attempt < 20; attempt++) {
            Edit e = pick(edits);
            if (rules.contains(e.rule())) {
                continue;
            }
            try {
                text = e.apply().apply(new HostileYamlCorpus(random.nextLong(), text));
                rules.add(e.rule());
            } catch (IllegalStateException conflict) {
                // an earlier edit removed what this one changes: pick another
            }
        }
        add(Category.SEMANTIC, String.join(" + ", rules), text, Stage.SEMANTIC, rules.getFirst());
    }

    /** Documents far larger than any config, one at a time past each size limit. */
    private void huge() {
        // past the code-point limit (8 Mi), in comments: refused before parsing
        StringBuilder comments = new StringBuilder(8_500_000).append(example);
        String line = "# " + "padding ".repeat(12) + "\n";
        while (comments.length() <= 8 * 1024 * 1024) {
            comments.append(line);
        }
        add(Category.HUGE, "more than 8 Mi characters", comments.toString(), Stage.PARSE, "yaml-limit");
        // past the file-size limit (32 MiB), sparse on disk: refused without reading it all
        add(Category.HUGE, "a 33 MiB file", new byte[0], false, Stage.PARSE, "yaml-limit", 33L * 1024 * 1024);
        // one enormous text value (4 Mi characters in words) where a line of text belongs
        add(Category.HUGE, "a 4 Mi character description", replace("description: \"website",
                "description: \"" + "word ".repeat(800 * 1024)), Stage.PARSE, "yaml-limit");
        // one enormous word: refused before SnakeYAML scans it (its reader is quadratic in a word)
        add(Category.HUGE, "a 6 Mi character word", replace("description: \"website",
                "description: \"" + "w".repeat(6 * 1024 * 1024)), Stage.PARSE, "yaml-limit");
        // one enormous key: YAML itself caps simple keys at 1,024 characters
        add(Category.HUGE, "a 20 Ki character backend name", example.replace("    db-primary:\n",
                "    " + "b".repeat(20 * 1024) + ":\n"), Stage.PARSE, "yaml-syntax");
        // 20,000 backends referencing a check that does not exist: errors capped, in file order
        StringBuilder many = new StringBuilder(example.substring(0, example.indexOf("  frontends:")));
        for (int i = 0; i < 20_000; i++) {
            many.append("    bulk-").append(i).append(": { address: 10.").append(i / 250 % 250).append('.')
                    .append(i % 250).append(".1, healthcheck: nope }\n");
        }
        add(Category.HUGE, "20,000 backends with an unknown check", many.toString(), Stage.SEMANTIC,
                "too-many-errors");
        // 5,000 frontends on one VIP
        StringBuilder vips = new StringBuilder(example);
        for (int i = 0; i < 5_000; i++) {
            vips.append("    dup-").append(i).append(":\n      address: 192.0.2.1\n      protocol: tcp\n"
                    + "      port: 80\n      pools:\n        - name: p\n          backends: { web-a: {} }\n");
        }
        add(Category.HUGE, "5,000 frontends on one VIP", vips.toString(), Stage.SEMANTIC, "too-many-errors");
        // 256 Ki flow-sequence entries in an expect-status, the last one out of range
        add(Category.HUGE, "a 256 Ki entry expect-status", replace("expect-status: [200]",
                "expect-status: [" + "200, ".repeat(256 * 1024) + "600]"), Stage.SEMANTIC, "status-range");
        // an unknown key whose value is a flow map of 200,000 entries
        StringBuilder keys = new StringBuilder(example).append("  extra: {");
        for (int i = 0; i < 200_000; i++) {
            keys.append("k").append(i).append(": 1, ");
        }
        add(Category.HUGE, "an unknown key holding 200,000 entries", keys.append("end: 1}\n").toString(),
                Stage.PARSE, "unknown-key");
    }

    /** Lists and maps nested far deeper than the schema needs (it needs 7). */
    private void deepNesting() {
        int depth = 33 + random.nextInt(random.nextBoolean() ? 100 : 50_000);
        String where = pick(List.of("frontends", "backends", "healthchecks"));
        String text = switch (random.nextInt(4)) {
            case 0 -> "maglev:\n  " + where + ": " + "[".repeat(depth) + "]".repeat(depth) + "\n";
            case 1 -> "maglev:\n  " + where + ": " + "{a: ".repeat(depth) + "1" + "}".repeat(depth) + "\n";
            case 2 -> {
                StringBuilder b = new StringBuilder("maglev:\n  ").append(where).append(":\n");
                int levels = Math.min(depth, 400);
                for (int i = 0; i < levels; i++) {
                    b.append("  ".repeat(i + 2)).append("k").append(i).append(":\n");
                }
                b.append("  ".repeat(levels + 2)).append("v\n");
                depth = levels;
                yield b.toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("maglev:\n  ").append(where).append(":\n");
                int levels = Math.min(depth, 400);
                for (int i = 0; i < levels; i++) {
                    b.append("  ".repeat(i + 2)).append("-\n");
                }
                depth = levels;
                yield b.toString();
            }
        };
        add(Category.DEEP_NESTING, depth + " levels under " + where, text, Stage.PARSE, "yaml-limit");
    }

    /** Billion laughs and relatives: aliases that multiply, merge keys that nest. */
    private void aliasBomb() {
        String text;
        String what;
        String rule;
        // the big-map variant walks up to the 2 M node cap (about a second): one in ten
        int variant = aliasBombs++ % 10 == 0 ? 1 : (random.nextBoolean() ? 0 : 2);
        switch (variant) {
            case 0 -> {
                int fan = 2 + random.nextInt(9);
                int depth = 2 + random.nextInt(10);
                while (Math.pow(fan, depth) < 3_000_000 && fan * depth < 51) {
                    depth++;
                }
                StringBuilder b = new StringBuilder("maglev:\n  frontends:\n    l0: &l0 [")
                        .append("lol, ".repeat(fan - 1)).append("lol]\n");
                for (int i = 1; i <= depth; i++) {
                    b.append("    l").append(i).append(": &l").append(i).append(" [");
                    for (int j = 0; j < fan; j++) {
                        b.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
                    }
                    b.append("]\n");
                }
                text = b.toString();
                what = "laughs " + fan + "^" + depth + " (" + fan * depth + " aliases)";
                // past 50 aliases SnakeYAML stops it; below, the walker refuses the lists where
                // frontends belong without expanding them
                rule = fan * depth > 50 ? "yaml-limit" : "wrong-type";
            }
            case 1 -> {
                // few aliases, each to a large map: the walk is bounded by visited nodes
                int size = 45_000 + random.nextInt(40_000);
                int copies = 46 + random.nextInt(5);
                StringBuilder b = new StringBuilder("maglev:\n  backends: &big\n");
                for (int i = 0; i < size; i++) {
                    b.append("    b").append(i).append(": {}\n");
                }
                b.append("  frontends:\n");
                for (int i = 0; i < copies; i++) {
                    b.append("    f").append(i).append(": *big\n");
                }
                text = b.toString();
                what = copies + " aliases to a " + size + " entry map";
                rule = "yaml-limit"; // the walk stops at 2 M nodes, after 10,000s of missing-key errors
            }
            default -> {
                int depth = 9 + random.nextInt(20);
                StringBuilder b = new StringBuilder("maglev:\n  healthchecks:\n    h0: &h0 { type: icmp }\n");
                for (int i = 1; i <= depth; i++) {
                    b.append("    h").append(i).append(": &h").append(i).append(" { <<: *h").append(i - 1)
                            .append(", rise: ").append(1 + i % 5).append(" }\n");
                }
                text = b.toString();
                what = "merge keys " + depth + " deep";
                rule = "yaml-limit";
            }
        }
        add(Category.ALIAS_BOMB, what, text, Stage.PARSE, rule);
    }

    /** The example with an invalid UTF-8 sequence somewhere. */
    private void invalidUtf8() {
        byte[][] sequences = {
                {(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80},
                {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xf0, (byte) 0x9f, (byte) 0x98},
                {(byte) 0xe9}, {(byte) 0xc3, (byte) 0x28}};
        byte[] base = example.getBytes(StandardCharsets.UTF_8);
        byte[] bad = sequences[random.nextInt(sequences.length)];
        int at = random.nextInt(base.length + 1);
        // never split a valid multi-byte character of the example: move to a character boundary
        while (at < base.length && (base[at] & 0xc0) == 0x80) {
            at++;
        }
        byte[] bytes = new byte[base.length + bad.length];
        System.arraycopy(base, 0, bytes, 0, at);
        System.arraycopy(bad, 0, bytes, at, bad.length);
        System.arraycopy(base, at, bytes, at + bad.length, base.length - at);
        StringBuilder hex = new StringBuilder();
        for (byte b : bad) {
            hex.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        add(Category.INVALID_UTF8, hex + " at byte " + at, bytes, false, Stage.PARSE, "bad-encoding", 0);
    }

    /** Files that are not text: random bytes, executables, archives, NULs, UTF-16. */
    private void binary() {
        byte[] bytes;
        String what;
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                bytes = new byte[1 + random.nextInt(8192)];
                random.nextBytes(bytes);
                what = bytes.length + " random bytes";
            }
            case 2 -> {
                byte[][] magic = {{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, {(byte) 0x1f, (byte) 0x8b, 8, 0},
                        {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, {'P', 'K', 3, 4},
                        {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe}};
                byte[] m = magic[random.nextInt(magic.length)];
                bytes = new byte[m.length + random.nextInt(4096)];
                random.nextBytes(bytes);
                System.arraycopy(m, 0, bytes, 0, m.length);
                what = "a file starting with magic " + String.format(Locale.ROOT, "%02x%02x", m[0], m[1]);
            }
            case 3 -> {
                bytes = new byte[1 + random.nextInt(4096)];
                what = bytes.length + " NUL bytes";
            }
            case 4 -> {
                bytes = example.getBytes(random.nextBoolean() ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
                what = "the example in UTF-16 without a BOM";
            }
            default -> {
                // ASCII control characters sprinkled into otherwise valid text
                StringBuilder s = new StringBuilder(example);
                int n = 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    s.insert(random.nextInt(s.length()), (char) (1 + random.nextInt(8)));
                }
                bytes = s.toString().getBytes(StandardCharsets.UTF_8);
                what = n + " control characters in the example";
            }
        }
        add(Category.BINARY, what, bytes, false, Stage.PARSE, null, 0);
    }

    /** Random character and line edits of the example; some leave it valid. */
    private void mutation() {
        String alphabet = ":-[]{}&*!|>'\"#%@`,?~ \n\t0123456789abcxyz.<=\\\u00e9";
        StringBuilder s = new StringBuilder(example);
        List<String> done = new ArrayList<>();
        int edits = 1 + random.nextInt(5);
        for (int k = 0; k < edits && !s.isEmpty(); k++) {
            int at = random.nextInt(s.length());
            int lineStart = s.lastIndexOf("\n", at) + 1;
            int lineEnd = s.indexOf("\n", at);
            lineEnd = lineEnd < 0 ? s.length() : lineEnd;
            switch (random.nextInt(9)) {
                case 0 -> {
                    s.deleteCharAt(at);
                    done.add("delete char");
                }
                case 1 -> {
                    s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    done.add("insert char");
                }
                case 2 -> {
                    s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    done.add("change char");
                }
                case 3 -> {
                    s.delete(lineStart, Math.min(s.length(), lineEnd + 1));
                    done.add("delete line");
                }
                case 4 -> {
                    s.insert(lineStart, s.substring(lineStart, Math.min(s.length(), lineEnd + 1)));
                    done.add("duplicate line");
                }
                case 5 -> {
                    s.insert(lineStart, " ".repeat(1 + random.nextInt(3)));
                    done.add("indent line");
                }
                case 6 -> {
                    if (s.length() > lineStart && s.charAt(lineStart) == ' ') {
                        s.deleteCharAt(lineStart);
                    }
                    s.insert(lineStart, '\t');
                    done.add("tab indent");
                }
                case 7 -> {
                    s.setLength(at);
                    done.add("truncate");
                }
                default -> {
                    int next = s.indexOf("\n", lineEnd + 1);
                    if (lineEnd < s.length() && next > 0) {
                        String a = s.substring(lineStart, lineEnd + 1);
                        String b = s.substring(lineEnd + 1, next + 1);
                        s.replace(lineStart, next + 1, b + a);
                        done.add("swap lines");
                    }
                }
            }
        }
        add(Category.MUTATION, String.join(", ", done), s.toString().getBytes(StandardCharsets.UTF_8), true,
                Stage.ANY, null, 0);
    }

    // ---------------------------------------------------------------------------------------------
    // Line edits on the example

    private List<String> texts() {
        return lines.stream().map(l -> l.text).toList();
    }

    private static String join(List<String> text) {
        return String.join("\n", text) + "\n";
    }

    private String replaceLine(Line l, String with) {
        List<String> text = new ArrayList<>(texts());
        text.set(l.index, with);
        return join(text);
    }

    private String insertBefore(Line l, String inserted) {
        List<String> text = new ArrayList<>(texts());
        text.add(l.index, inserted);
        return join(text);
    }

    /** {@code l} and every following line indented deeper (comments and blanks inside included). */
    private List<String> blockOf(Line l) {
        List<String> block = new ArrayList<>();
        block.add(l.text);
        for (int i = l.index + 1; i < lines.size(); i++) {
            Line next = lines.get(i);
            if (!next.blankOrComment() && next.indent <= l.keyIndent()) {
                break;
            }
            block.add(next.text);
        }
        return block;
    }

    private String replaceBlock(Line l, String with) {
        List<String> text = new ArrayList<>(texts());
        int size = blockOf(l).size();
        for (int i = 0; i < size; i++) {
            text.remove(l.index);
        }
        text.add(l.index, with);
        return join(text);
    }

    private String replace(String from, String to) {
        if (!example.contains(from)) {
            throw new IllegalStateException("the example no longer contains \"" + from + "\"; update the generator");
        }
        return example.replace(from, to);
    }

    private Line find(String parent, String key) {
        return lines.stream().filter(l -> key.equals(l.key) && ("maglev/" + parent).equals(l.parent)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the example has no " + parent + "/" + key
                        + "; update the generator"));
    }

    private String setValue(String parent, String key, String value) {
        Line l = find(parent, key);
        return replaceLine(l, l.prefix() + value);
    }

    private String removeLine(String parent, String key) {
        Line l = find(parent, key);
        List<String> text = new ArrayList<>(texts());
        text.remove(l.index);
        return join(text);
    }

    /** One line of the example with its place in the block structure. */
    static final class Line {
        final int index;
        final int no;
        final String text;
        final int indent;
        final boolean listItem;
        final String key;
        final String value;
        String parent = "";

        Line(int index, String text) {
            this.index = index;
            this.no = index + 1;
            this.text = text;
            Matcher m = KEY_LINE.matcher(text);
            boolean comment = text.strip().startsWith("#") || text.isBlank();
            if (!comment && m.matches()) {
                indent = m.group(1).length();
                listItem = m.group(2) != null;
                key = m.group(3);
                value = m.group(4) == null ? "" : m.group(4).strip();
            } else {
                indent = text.length() - text.stripLeading().length();
                listItem = false;
                key = null;
                value = null;
            }
        }

        static List<Line> parse(String text) {
            List<Line> out = new ArrayList<>();
            String[] raw = text.split("\n", -1);
            int n = raw.length;
            if (n > 0 && raw[n - 1].isEmpty()) {
                n--;
            }
            record Open(int indent, String path) {}
            List<Open> stack = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Line l = new Line(i, raw[i]);
                out.add(l);
                if (l.key == null) {
                    continue;
                }
                int keyIndent = l.keyIndent();
                while (!stack.isEmpty() && stack.getLast().indent() >= keyIndent) {
                    stack.removeLast();
                }
                String base = stack.isEmpty() ? "" : stack.getLast().path();
                if (l.listItem) {
                    base = base + "/[]";
                    stack.add(new Open(l.indent, base));
                }
                l.parent = base.startsWith("/") ? base.substring(1) : base;
                stack.add(new Open(keyIndent, base + "/" + l.key));
            }
            return out;
        }

        int keyIndent() {
            return listItem ? indent + 2 : indent;
        }

        boolean blankOrComment() {
            return key == null;
        }

        boolean opensBlock() {
            return key != null && value.isEmpty();
        }

        boolean hasScalarValue() {
            return key != null && !value.isEmpty() && !value.startsWith("{") && !value.startsWith("[")
                    && !value.startsWith("#");
        }

        /** Whether the key is one of the schema's (its map is a schema map, not a map of names). */
        boolean schemaKey() {
            if (key == null) {
                return false;
            }
            String p = parent;
            return p.isEmpty() || p.equals("maglev") || p.equals("maglev/healthchecker") || p.equals("maglev/vpp")
                    || p.equals("maglev/vpp/lb") || p.matches("maglev/healthchecks/[^/]+")
                    || p.matches("maglev/healthchecks/[^/]+/params") || p.matches("maglev/backends/[^/]+")
                    || p.matches("maglev/frontends/[^/]+") || p.matches("maglev/frontends/[^/]+/pools/\\[]");
        }

        /** Whether the key names something (a check, backend, frontend, pool member). */
        boolean nameKey() {
            return key != null && (parent.equals("maglev/healthchecks") || parent.equals("maglev/backends")
                    || parent.equals("maglev/frontends"));
        }

        /** The line up to and including {@code key: }. */
        String prefix() {
            return " ".repeat(indent) + (listItem ? "- " : "") + key + ": ";
        }
    }
}
