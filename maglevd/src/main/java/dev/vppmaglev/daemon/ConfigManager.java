package dev.vppmaglev.daemon;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.ConfigException;
import dev.vppmaglev.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reload path: SIGHUP, the {@code ReloadConfig} RPC and {@code maglevc config reload} all
 * come here (behaviour.md §1.2). A file that does not load is refused with its errors and the
 * running config stays; a file that loads is handed to every applier in order (the checker first,
 * so new backends exist before the VPP sync that follows).
 */
public final class ConfigManager {
    private static final Logger log = LoggerFactory.getLogger(ConfigManager.class);

    /**
     * Result of a check or reload, as the RPCs return it.
     *
     * @param ok            whether the file is valid (and, for a reload, was applied)
     * @param parseError    parse errors, one {@code file:line:col: rule: message} per line
     * @param semanticError semantic errors, same form
     * @param config        the loaded config when ok, else {@code null}
     */
    public record Outcome(boolean ok, String parseError, String semanticError, Config config) {}

    private final Path path;
    private final ConfigLoader.Options options;
    private final List<Consumer<Config>> appliers = new CopyOnWriteArrayList<>();
    private volatile Config current;

    public ConfigManager(Path path, ConfigLoader.Options options) {
        this.path = Objects.requireNonNull(path);
        this.options = Objects.requireNonNull(options);
    }

    /** The file reloads read. */
    public Path path() {
        return path;
    }

    /**
     * Loads the file for start-up.
     *
     * @throws ConfigException when it does not load (the daemon refuses to start)
     */
    public Config loadInitial() throws ConfigException {
        Config c = ConfigLoader.load(path, options);
        current = c;
        return c;
    }

    /** Adds a step run with every successfully loaded config, in registration order. */
    public void onApply(Consumer<Config> applier) {
        appliers.add(applier);
    }

    /** The config running now. */
    public Config current() {
        return current;
    }

    /** Re-reads and validates the file; changes nothing ({@code CheckConfig}). */
    public Outcome check() {
        try {
            return new Outcome(true, "", "", ConfigLoader.load(path, options));
        } catch (ConfigException e) {
            return failed(e);
        }
    }

    /**
     * Re-reads the file and, when valid, applies it. Serialised: two reloads never interleave.
     *
     * @param trigger what asked for it ({@code sighup}, {@code grpc}), for the log
     */
    public synchronized Outcome reload(String trigger) {
        Config next;
        try {
            next = ConfigLoader.load(path, options);
        } catch (ConfigException e) {
            log.atError().setMessage("config-reload-failed")
                    .addKeyValue("file", path.toString())
                    .addKeyValue("trigger", trigger)
                    .addKeyValue("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .addKeyValue("errors", e.getMessage())
                    .log();
            return failed(e);
        }
        current = next;
        for (Consumer<Config> a : appliers) {
            a.accept(next);
        }
        log.atInfo().setMessage("config-reload")
                .addKeyValue("file", path.toString())
                .addKeyValue("trigger", trigger)
                .addKeyValue("frontends", next.frontends().size())
                .addKeyValue("backends", next.backends().size())
                .addKeyValue("healthchecks", next.healthchecks().size())
                .log();
        return new Outcome(true, "", "", next);
    }

    private static Outcome failed(ConfigException e) {
        String text = e.getMessage();
        return e.kind() == ConfigException.Kind.PARSE
                ? new Outcome(false, text, "", null)
                : new Outcome(false, "", text, null);
    }
}
