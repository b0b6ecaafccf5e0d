package dev.vppmaglev.cli;

import dev.vppmaglev.cli.SlotType.NameKind;
import java.util.List;

/**
 * maglevc's commands: the single table that the parser, Tab completion, {@code ?} help, the bash
 * completion, {@code --help} and man/maglevc.1 all come from (behaviour.md §7.1, plus the optional
 * name after {@code show frontends} and {@code show healthchecks} for symmetry with
 * {@code show backends}, and {@code set log level}, {@code help}).
 */
final class Commands {

    /** The levels of {@code set log level} and {@code watch events log level}. */
    static final List<String> LEVELS = List.of("debug", "info", "warn", "error");

    private static final CommandTree TREE = build();

    private Commands() {}

    /** The tree (immutable, built once). */
    static CommandTree tree() {
        return TREE;
    }

    private static CommandTree build() {
        return CommandTree.builder()
                .slot("frontend", "frontend", new SlotType.Name(NameKind.FRONTEND), "name of a frontend")
                .slot("backend", "backend", new SlotType.Name(NameKind.BACKEND), "name of a backend")
                .slot("healthcheck", "healthcheck", new SlotType.Name(NameKind.HEALTHCHECK),
                        "name of a health check")
                .slot("pool", "pool", new SlotType.Name(NameKind.POOL), "name of a pool of that frontend")
                .slot("level", "level", new SlotType.Choice(LEVELS), "log level: debug, info, warn or error")
                .slot("n", "num", new SlotType.Number(1, Long.MAX_VALUE), "how many events to print, 1 or more")
                .slot("0-100", "weight", new SlotType.Number(0, 100),
                        "configured weight in the pool, 0..100 (0 drains the backend)")

                .describe("show", "show the daemon's view: frontends, backends, health checks, VPP")
                .describe("show frontend", "show one frontend: settings, pools, backends and weights")
                .describe("show backend", "show one backend: health, last probe, transition history")
                .describe("show healthcheck", "show one health check: timing, parameters, backends")
                .describe("show vpp", "show what VPP runs: version, lb state, lb counters")
                .describe("show vpp lb", "show the lb plugin's VIPs, application servers or counters")
                .describe("sync", "reconcile VPP with the config now")
                .describe("sync vpp", "reconcile VPP with the config now")
                .describe("sync vpp lb", "reconcile VPP's lb plugin with the config now")
                .describe("set", "change runtime state: backend actions, pool weights, log level")
                .describe("set backend", "pause, resume, enable or disable a backend")
                .describe("set frontend", "set a backend's weight in a pool of a frontend")
                .describe("set frontend pool", "the pool the backend is in")
                .describe("set frontend pool backend", "the backend whose weight to set")
                .describe("set frontend pool backend weight", "the new configured weight")
                .describe("set log", "change the daemon's log level")
                .describe("set log level", "the daemon's new log level")
                .describe("watch", "stream live events from the daemon")
                .describe("watch events num", "stop after <n> events")
                .describe("watch events log", "log events (at level info unless given)")
                .describe("watch events log level", "lowest level of log events to stream")
                .describe("watch events backend", "backend transitions")
                .describe("watch events frontend", "frontend transitions")
                .describe("config", "check or reload the daemon's config file")

                .command("show version", "show maglevc's and maglevd's versions", Action.SHOW_VERSION)
                .command("show frontends [<frontend>]", "list frontends with state and active pool (or show one)",
                        Action.SHOW_FRONTENDS)
                .command("show frontend <frontend>", "show one frontend: settings, pools, backends and weights",
                        Action.SHOW_FRONTEND)
                .command("show backends [<backend>]", "list backends with health and last result (or show one)",
                        Action.SHOW_BACKENDS)
                .command("show backend <backend>", "show one backend: health, last probe, transition history",
                        Action.SHOW_BACKEND)
                .command("show healthchecks [<healthcheck>]", "list health checks (or show one)",
                        Action.SHOW_HEALTHCHECKS)
                .command("show healthcheck <healthcheck>", "show one health check: timing, parameters, backends",
                        Action.SHOW_HEALTHCHECK)
                .command("show vpp info", "show VPP's version, uptime, connection and lb API level",
                        Action.SHOW_VPP_INFO)
                .command("show vpp lb state", "show the VIPs and application servers programmed in VPP",
                        Action.SHOW_VPP_LB_STATE)
                .command("show vpp lb counters", "show the lb plugin's per-VIP packet and FIB counters",
                        Action.SHOW_VPP_LB_COUNTERS)
                .command("sync vpp lb state [<frontend>]",
                        "reconcile VPP's lb state with the config now (every frontend, or one)",
                        Action.SYNC_VPP_LB_STATE)
                .command("set backend <backend> pause", "stop probing; the backend drains to weight 0 without flush",
                        Action.BACKEND_PAUSE)
                .command("set backend <backend> resume", "start probing again from state unknown",
                        Action.BACKEND_RESUME)
                .command("set backend <backend> enable", "enable a disabled backend; probing restarts",
                        Action.BACKEND_ENABLE)
                .command("set backend <backend> disable", "disable: stop probing, weight 0 and flush its flows",
                        Action.BACKEND_DISABLE)
                .command("set frontend <frontend> pool <pool> backend <backend> weight <0-100>",
                        "set a backend's configured weight in one pool of a frontend", Action.SET_WEIGHT)
                .command("set log level <level>", "change the daemon's log level", Action.SET_LOG_LEVEL)
                .command("watch events [num <n>] [log [level <level>]] [backend] [frontend]",
                        "stream events (all kinds unless some are named) until a key, Ctrl-C or <n> events",
                        Action.WATCH_EVENTS)
                .command("config check", "validate the config file on disk; changes nothing", Action.CONFIG_CHECK)
                .command("config reload", "load the config file on disk (as SIGHUP); refused if it is invalid",
                        Action.CONFIG_RELOAD)
                .command("help", "list the commands", Action.HELP)
                .shellCommand("quit", "leave the shell", Action.QUIT)
                .shellCommand("exit", "leave the shell", Action.QUIT)
                .build();
    }
}
