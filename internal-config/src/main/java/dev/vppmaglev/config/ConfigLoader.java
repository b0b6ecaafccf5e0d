package dev.vppmaglev.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads and validates {@code maglev.yaml} (schema: {@code docs/config-guide.md}; spec README "YAML
 * keys the reference left open" and behaviour.md §2).
 *
 * <p>The YAML is composed into a node tree (SnakeYAML, with limits against hostile input) and
 * walked by hand, so every error carries the line and column of the offending node and types are
 * exact: unknown keys, wrong types, duplicate keys, YAML 1.1 booleans ({@code yes}/{@code on}),
 * durations without a unit and names instead of IP literals are all errors. Loading has two
 * stages, and reports every error of the first stage that fails, in file order:
 * <ol>
 *   <li>parse ({@link ConfigException.Kind#PARSE}, {@code --check} exit 1): the file, the YAML,
 *       the structure and the syntax of single values;</li>
 *   <li>semantic ({@link ConfigException.Kind#SEMANTIC}, exit 2): ranges, names, references,
 *       address families, duplicate VIPs and ASes, source addresses.</li>
 * </ol>
 * Thread-safe: holds no state.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * What the loader needs to know about the daemon to validate a file.
     *
     * @param vppEnabled whether VPP integration is on ({@code --vpp-api-addr} not empty): then a
     *                   VIP of a family needs {@code vpp.lb.ipv4-src-address} /
     *                   {@code ipv6-src-address} of that family
     */
    public record Options(boolean vppEnabled) {
        public static final Options DEFAULTS = new Options(true);
    }

    /**
     * Reads, parses and validates {@code file}.
     *
     * @param file    the config file; read whole (at most {@value YamlSource#MAX_FILE_BYTES}
     *                bytes), strict UTF-8
     * @param options what the daemon runs with
     * @return the validated config; {@link Config#source()} is {@code file} made absolute
     * @throws ConfigException {@link ConfigException.Kind#PARSE} for an unreadable file (line 0),
     *                         bad encoding, bad YAML, unknown keys, wrong types or duplicate keys;
     *                         {@link ConfigException.Kind#SEMANTIC} for broken rules across values.
     *                         Errors name {@code file} as given.
     */
    public static Config load(Path file, Options options) throws ConfigException {
        Problems problems = new Problems(file.toString());
        byte[] bytes = read(file, problems);
        if (bytes == null) {
            problems.throwIfAny();
        }
        String text = YamlSource.decode(bytes, problems);
        if (text == null) {
            problems.throwIfAny();
        }
        return validate(text, file.toAbsolutePath().normalize(), problems, options);
    }

    /**
     * Parses and validates YAML text; errors name {@code fileName}.
     *
     * @param yaml     the document
     * @param fileName how errors name the source (e.g. the path the text came from)
     * @param options  what the daemon runs with
     * @return the validated config; {@link Config#source()} is {@code null}
     * @throws ConfigException as {@link #load}
     */
    public static Config parse(String yaml, String fileName, Options options) throws ConfigException {
        return validate(yaml, null, new Problems(fileName), options);
    }

    private static Config validate(String text, Path source, Problems problems, Options options)
            throws ConfigException {
        Node root = YamlSource.compose(text, problems);
        problems.throwIfAny();
        Nodes nodes = new Nodes(problems);
        SchemaReader.Parsed parsed;
        try {
            parsed = new SchemaReader(nodes).read(root);
        } catch (Nodes.TooLarge e) {
            problems.add(Rule.YAML_LIMIT, 0, 0, "the document expands to more than "
                    + Nodes.MAX_NODES_VISITED + " values through aliases; write it out plainly");
            problems.throwIfAny();
            throw new AssertionError("unreachable");
        }
        if (!problems.hasParseErrors()) {
            CrossChecks.check(parsed, options, problems);
        }
        problems.throwIfAny();

        Map<String, Backend> backends = new LinkedHashMap<>();
        parsed.backends().forEach((name, b) -> backends.put(name, b.backend()));
        Map<String, Frontend> frontends = new LinkedHashMap<>();
        parsed.frontends().forEach((name, f) -> frontends.put(name, f.frontend()));
        return new Config(source, parsed.healthchecker(), parsed.vppLb(), parsed.healthchecks(),
                backends, frontends);
    }

    private static byte[] read(Path file, Problems problems) {
        try {
            if (Files.isDirectory(file)) {
                problems.add(Rule.READ_ERROR, 0, 0, "a directory, not a config file");
                return null;
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // A FIFO or a device would block or never end; a config is a plain file.
                problems.add(Rule.READ_ERROR, 0, 0, "not a regular file");
                return null;
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) YamlSource.MAX_FILE_BYTES + 1);
                if (bytes.length > YamlSource.MAX_FILE_BYTES) {
                    problems.add(Rule.YAML_LIMIT, 0, 0, "file is larger than "
                            + YamlSource.MAX_FILE_BYTES + " bytes; a maglev config is far smaller"
                            + " (is this the right file?)");
                    return null;
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            problems.add(Rule.READ_ERROR, 0, 0, "no such file");
        } catch (AccessDeniedException e) {
            problems.add(Rule.READ_ERROR, 0, 0, "permission denied");
        } catch (FileSystemException e) {
            problems.add(Rule.READ_ERROR, 0, 0,
                    e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
        } catch (IOException | RuntimeException e) {
            problems.add(Rule.READ_ERROR, 0, 0, String.valueOf(e.getMessage()));
        }
        return null;
    }
}
