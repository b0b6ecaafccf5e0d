package dev.vppmaglev.cli;

import dev.vppmaglev.proto.BackendEvent;
import dev.vppmaglev.proto.BackendInfo;
import dev.vppmaglev.proto.BackendState;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.FrontendEvent;
import dev.vppmaglev.proto.FrontendInfo;
import dev.vppmaglev.proto.FrontendState;
import dev.vppmaglev.proto.HealthCheckInfo;
import dev.vppmaglev.proto.ListBackendsResponse;
import dev.vppmaglev.proto.ListFrontendsResponse;
import dev.vppmaglev.proto.ListHealthChecksResponse;
import dev.vppmaglev.proto.LogEvent;
import dev.vppmaglev.proto.PoolBackendInfo;
import dev.vppmaglev.proto.PoolInfo;
import dev.vppmaglev.proto.SetLogLevelResponse;
import dev.vppmaglev.proto.SyncVPPLBStateResponse;
import dev.vppmaglev.proto.Transition;
import dev.vppmaglev.proto.VIPCounters;
import dev.vppmaglev.proto.VPPInfo;
import dev.vppmaglev.proto.VPPLBAS;
import dev.vppmaglev.proto.VPPLBConf;
import dev.vppmaglev.proto.VPPLBCounters;
import dev.vppmaglev.proto.VPPLBState;
import dev.vppmaglev.proto.VPPLBVIP;
import dev.vppmaglev.proto.VersionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the daemon's answers into the text maglevc prints (spec README "CLI output"): aligned
 * tables, label/value blocks, lower-case states, VIPs without host masks (/32, /128), ages as
 * two units ({@link Ages#age}). Every method returns whole lines ending in {@code \n}; the same
 * text goes to stdout in one-shot mode and to the terminal in the shell.
 */
final class Render {
    /** Built on first use: java.time's formatter set-up costs ~15 ms of one-shot start-up. */
    private static final class Formats {
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
        static final DateTimeFormatter EVENT_TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    }

    private final Style style;
    private final Clock clock;

    /**
     * @param style colour or plain
     * @param clock "now" for ages, and the zone absolute times are printed in
     */
    Render(Style style, Clock clock) {
        this.style = style;
        this.clock = clock;
    }

    Style style() {
        return style;
    }

    // ------------------------------------------------------------------ helpers

    /** {@code 192.0.2.1/32} -> {@code 192.0.2.1}, {@code 2001:db8::1/128} -> {@code 2001:db8::1}. */
    static String stripHostMask(String prefix) {
        if (prefix.endsWith("/32") && !prefix.contains(":")) {
            return prefix.substring(0, prefix.length() - 3);
        }
        if (prefix.endsWith("/128")) {
            return prefix.substring(0, prefix.length() - 4);
        }
        return prefix;
    }

    /** {@code BACKEND_STATE_UP} -> {@code up}. */
    static String state(BackendState s) {
        return s == BackendState.UNRECOGNIZED ? "unknown" : lower(s.name(), "BACKEND_STATE_");
    }

    /** {@code FRONTEND_STATE_DOWN} -> {@code down}. */
    static String state(FrontendState s) {
        return s == FrontendState.UNRECOGNIZED ? "unknown" : lower(s.name(), "FRONTEND_STATE_");
    }

    private static String lower(String name, String prefix) {
        return name.substring(prefix.length()).toLowerCase(Locale.ROOT);
    }

    /** IP protocol number -> {@code tcp}, {@code udp}, {@code any}, or the number. */
    static String protocol(int number) {
        return switch (number) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 255 -> "any";
            default -> Integer.toString(number);
        };
    }

    /** Port 0 means every port. */
    static String port(int port) {
        return port == 0 ? "all" : Integer.toString(port);
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    private String age(long unixNs) {
        return Ages.age(Duration.between(instant(unixNs), clock.instant()));
    }

    private static Instant instant(long unixNs) {
        return Instant.ofEpochSecond(0, unixNs);
    }

    private String time(long unixNs) {
        return Formats.TIME.format(instant(unixNs).atZone(clock.getZone()));
    }

    /** {@code 2026-11-21 08:00:00 (1h12m ago)}, or {@code unknown} for 0. */
    private String timeAndAge(long unixNs) {
        return unixNs == 0 ? "unknown" : time(unixNs) + " (" + ago(unixNs) + ")";
    }

    private String ago(long unixNs) {
        String age = age(unixNs);
        return age.equals("now") ? "now" : age + " ago";
    }

    /** Label/value lines with the values aligned; null values are skipped. */
    private final class Block {
        private final List<String[]> lines = new ArrayList<>();

        Block add(String label, String value) {
            if (value != null) {
                lines.add(new String[] {label, value});
            }
            return this;
        }

        String render() {
            int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
            StringBuilder out = new StringBuilder();
            for (String[] l : lines) {
                out.append(style.label(l[0]));
                if (!l[1].isEmpty()) {
                    out.append(" ".repeat(width - l[0].length() + 2)).append(l[1]);
                }
                out.append('\n');
            }
            return out.toString();
        }
    }

    private TextTable table(String indent, String... headers) {
        TextTable t = new TextTable(indent, headers.length);
        String[] styled = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            styled[i] = style.header(headers[i]);
        }
        return t.row(styled);
    }

    // ------------------------------------------------------------------ version

    /** {@code show version}: maglevc's version, then the daemon's. */
    String version(String maglevcVersion, VersionInfo daemon) {
        return new Block()
                .add("maglevc", maglevcVersion)
                .add("maglevd", dash(daemon.getVersion()))
                .add("maglevd-commit", daemon.getCommit().isEmpty() ? null : daemon.getCommit())
                .add("maglevd-date", daemon.getDate().isEmpty() ? null : daemon.getDate())
                .add("maglevd-started", daemon.getStartTimeNs() == 0 ? null : timeAndAge(daemon.getStartTimeNs()))
                .render();
    }

    // ------------------------------------------------------------------ frontends

    /** {@code show frontends}: NAME ADDRESS PROTO PORT STATE ACTIVE-POOL UP/TOTAL. */
    String frontends(ListFrontendsResponse list) {
        if (list.getFrontendsCount() == 0) {
            return "no frontends\n";
        }
        TextTable t = table("", "NAME", "ADDRESS", "PROTO", "PORT", "STATE", "ACTIVE-POOL", "UP/TOTAL");
        for (FrontendInfo f : list.getFrontendsList()) {
            Set<String> all = new LinkedHashSet<>();
            Set<String> up = new LinkedHashSet<>();
            for (PoolInfo p : f.getPoolsList()) {
                for (PoolBackendInfo b : p.getBackendsList()) {
                    all.add(b.getName());
                    if (b.getState() == BackendState.BACKEND_STATE_UP) {
                        up.add(b.getName());
                    }
                }
            }
            t.row(f.getName(), stripHostMask(f.getAddress()), dash(f.getProtocol()), port(f.getPort()),
                    style.state(state(f.getState())), dash(f.getActivePool()), up.size() + "/" + all.size());
        }
        return t.render();
    }

    /**
     * {@code show frontend <name>}: label/value lines, then each pool (priority order, the active
     * one marked) with its backends: configured weight, effective weight, state and a
     * {@code [disabled]} marker; columns are aligned across pools.
     */
    String frontend(FrontendInfo f) {
        StringBuilder out = new StringBuilder(new Block()
                .add("name", f.getName())
                .add("address", stripHostMask(f.getAddress()))
                .add("protocol", dash(f.getProtocol()))
                .add("port", port(f.getPort()))
                .add("state", style.state(state(f.getState())))
                .add("active-pool", dash(f.getActivePool()))
                .add("src-ip-sticky", Boolean.toString(f.getSrcIpSticky()))
                .add("flush-on-down", Boolean.toString(f.getFlushOnDown()))
                .add("description", f.getDescription().isEmpty() ? null : f.getDescription())
                .add("pools", f.getPoolsCount() == 0 ? "none" : null)
                .render());
        int name = 0;
        for (PoolInfo p : f.getPoolsList()) {
            for (PoolBackendInfo b : p.getBackendsList()) {
                name = Math.max(name, b.getName().length());
            }
        }
        for (PoolInfo p : f.getPoolsList()) {
            out.append(style.label("pool")).append(' ').append(p.getName());
            if (p.getActive()) {
                out.append(" (active)");
            }
            out.append('\n');
            if (p.getBackendsCount() == 0) {
                out.append("  no backends\n");
            }
            for (PoolBackendInfo b : p.getBackendsList()) {
                String s = state(b.getState());
                out.append("  ").append(b.getName()).append(" ".repeat(name - b.getName().length()))
                        .append("  ").append(style.label("weight")).append(String.format(" %3d", b.getWeight()))
                        .append("  ").append(style.label("effective")).append(String.format(" %3d", b.getEffectiveWeight()))
                        .append("  ").append(style.state(s));
                if (b.getState() == BackendState.BACKEND_STATE_DISABLED) {
                    out.append(" [disabled]");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ backends

    /** {@code show backends}: NAME ADDRESS STATE HEALTH CHECK CODE SINCE. */
    String backends(ListBackendsResponse list) {
        if (list.getBackendsCount() == 0) {
            return "no backends\n";
        }
        TextTable t = table("", "NAME", "ADDRESS", "STATE", "HEALTH", "CHECK", "CODE", "SINCE");
        for (BackendInfo b : list.getBackendsList()) {
            t.row(b.getName(), stripHostMask(b.getAddress()), style.state(state(b.getState())),
                    b.getHealthCounter() + "/" + b.getHealthMax(), dash(b.getHealthcheck()), dash(b.getLastCode()),
                    b.getLastTransitionNs() == 0 ? "-" : age(b.getLastTransitionNs()));
        }
        return t.render();
    }

    /**
     * {@code show backend <name>}: label/value lines, then the transition history as stored
     * (oldest first): from -> to, age, code, detail.
     */
    String backend(BackendInfo b) {
        String lastProbe = null;
        if (b.getLastProbeNs() != 0) {
            lastProbe = ago(b.getLastProbeNs());
            if (b.getLastProbeDurationNs() > 0) {
                lastProbe += ", took " + Ages.took(b.getLastProbeDurationNs());
            }
        }
        String health = b.getHealthCounter() + "/" + b.getHealthMax();
        if (b.getRise() > 0 || b.getFall() > 0) {
            health += " (rise " + b.getRise() + ", fall " + b.getFall() + ")";
        }
        StringBuilder out = new StringBuilder(new Block()
                .add("name", b.getName())
                .add("address", stripHostMask(b.getAddress()))
                .add("state", style.state(state(b.getState())))
                .add("enabled", Boolean.toString(b.getEnabled()))
                .add("healthcheck", dash(b.getHealthcheck()))
                .add("health", health)
                .add("last-code", dash(b.getLastCode()))
                .add("last-detail", b.getLastDetail().isEmpty() ? null : b.getLastDetail())
                .add("last-probe", lastProbe == null ? "never" : lastProbe)
                .add("since", b.getLastTransitionNs() == 0 ? "-" : ago(b.getLastTransitionNs()))
                .add("frontends", b.getFrontendsCount() == 0 ? "none" : String.join(", ", b.getFrontendsList()))
                .add("transitions", b.getTransitionsCount() == 0 ? "none" : "")
                .render());
        if (b.getTransitionsCount() > 0) {
            TextTable t = new TextTable("  ", 6);
            for (Transition tr : b.getTransitionsList()) {
                t.row(style.state(state(tr.getFrom())), "->", style.state(state(tr.getTo())), age(tr.getTimeNs()),
                        dash(tr.getCode()), tr.getDetail());
            }
            out.append(t.render());
        }
        return out.toString();
    }

    /** After {@code set backend <name> pause|resume|enable|disable}. */
    String backendAction(BackendInfo b) {
        return style.label("backend") + " " + b.getName() + ": " + style.label("state") + " "
                + style.state(state(b.getState())) + ", " + (b.getEnabled() ? "enabled" : "disabled") + "\n";
    }

    /** After {@code set frontend ... weight <w>}: the pool entry as the daemon now has it. */
    String weightSet(FrontendInfo f, String pool, String backend) {
        for (PoolInfo p : f.getPoolsList()) {
            if (!p.getName().equals(pool)) {
                continue;
            }
            for (PoolBackendInfo b : p.getBackendsList()) {
                if (b.getName().equals(backend)) {
                    return style.label("frontend") + " " + f.getName() + " " + style.label("pool") + " " + pool
                            + " " + style.label("backend") + " " + backend + ": " + style.label("weight") + " "
                            + b.getWeight() + ", " + style.label("effective") + " " + b.getEffectiveWeight() + "\n";
                }
            }
        }
        return style.label("frontend") + " " + f.getName() + ": weight set\n";
    }

    // ------------------------------------------------------------------ health checks

    /** {@code show healthchecks}: NAME TYPE PORT INTERVAL FAST DOWN TIMEOUT RISE FALL BACKENDS. */
    String healthchecks(ListHealthChecksResponse list) {
        if (list.getHealthchecksCount() == 0) {
            return "no health checks\n";
        }
        TextTable t = table("", "NAME", "TYPE", "PORT", "INTERVAL", "FAST", "DOWN", "TIMEOUT", "RISE", "FALL",
                "BACKENDS");
        for (HealthCheckInfo h : list.getHealthchecksList()) {
            t.row(h.getName(), h.getType(), h.getPort() == 0 ? "-" : Integer.toString(h.getPort()),
                    Ages.interval(h.getIntervalMs()), Ages.interval(h.getFastIntervalMs()),
                    Ages.interval(h.getDownIntervalMs()), Ages.interval(h.getTimeoutMs()),
                    Integer.toString(h.getRise()), Integer.toString(h.getFall()),
                    Integer.toString(h.getBackendsCount()));
        }
        return t.render();
    }

    /** {@code show healthcheck <name>}: timing, parameters (sorted by key), backends. */
    String healthcheck(HealthCheckInfo h) {
        StringBuilder out = new StringBuilder(new Block()
                .add("name", h.getName())
                .add("type", h.getType())
                .add("port", h.getPort() == 0 ? "-" : Integer.toString(h.getPort()))
                .add("interval", Ages.interval(h.getIntervalMs()))
                .add("fast-interval", Ages.interval(h.getFastIntervalMs()))
                .add("down-interval", Ages.interval(h.getDownIntervalMs()))
                .add("timeout", Ages.interval(h.getTimeoutMs()))
                .add("rise", Integer.toString(h.getRise()))
                .add("fall", Integer.toString(h.getFall()))
                .add("probe-ipv4-src", h.getProbeIpv4Src().isEmpty() ? null : h.getProbeIpv4Src())
                .add("probe-ipv6-src", h.getProbeIpv6Src().isEmpty() ? null : h.getProbeIpv6Src())
                .add("backends", h.getBackendsCount() == 0 ? "none" : String.join(", ", h.getBackendsList()))
                .add("params", h.getParamsCount() == 0 ? "none" : "")
                .render());
        if (h.getParamsCount() > 0) {
            TextTable t = new TextTable("  ", 2);
            for (Map.Entry<String, String> e : new TreeMap<>(h.getParamsMap()).entrySet()) {
                t.row(style.label(e.getKey()), e.getValue());
            }
            out.append(t.render());
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ VPP

    /** {@code show vpp info}. */
    String vppInfo(VPPInfo v) {
        String lbApi = v.getLbV2() ? "v2" : style.warn("degraded: " + (v.getDegradedReason().isEmpty()
                ? "lb v2 messages missing" : v.getDegradedReason()));
        String stats = v.getStatsSocket().isEmpty() ? null
                : v.getStatsSocket() + (v.getStatsConnected() ? " (mapped)" : " " + style.warn("(not mapped)"));
        return new Block()
                .add("version", dash(v.getVersion()))
                .add("build-date", dash(v.getBuildDate()))
                .add("build-dir", dash(v.getBuildDirectory()))
                .add("vpp-pid", v.getPid() == 0 ? "-" : Integer.toString(v.getPid()))
                .add("vpp-boottime", timeAndAge(v.getBoottimeNs()))
                .add("connected", timeAndAge(v.getConnecttimeNs()))
                .add("lb-api", lbApi)
                .add("api-socket", v.getApiSocket().isEmpty() ? null : v.getApiSocket())
                .add("stats-socket", stats)
                .render();
    }

    /**
     * {@code show vpp lb state}: the conf line, then per VIP {@code prefix proto port encap
     * sticky lb-index} (and the frontend it belongs to) with an indented AS table ADDRESS WEIGHT
     * BUCKETS.
     */
    String lbState(VPPLBState s) {
        VPPLBConf c = s.getConf();
        StringBuilder out = new StringBuilder();
        out.append(style.label("conf")).append("  ")
                .append(style.label("ip4-src")).append(' ').append(dash(c.getIp4Src())).append("  ")
                .append(style.label("ip6-src")).append(' ').append(dash(c.getIp6Src())).append("  ")
                .append(style.label("sticky-buckets-per-core")).append(' ').append(c.getStickyBucketsPerCore())
                .append("  ")
                .append(style.label("flow-timeout")).append(' ').append(c.getFlowTimeoutS()).append("s\n");
        if (s.getVipsCount() == 0) {
            out.append("no VIPs\n");
        }
        for (VPPLBVIP vip : s.getVipsList()) {
            out.append('\n').append(stripHostMask(vip.getPrefix()))
                    .append("  ").append(style.label("proto")).append(' ').append(protocol(vip.getProtocol()))
                    .append("  ").append(style.label("port")).append(' ').append(port(vip.getPort()))
                    .append("  ").append(style.label("encap")).append(' ').append(dash(vip.getEncap()))
                    .append("  ").append(style.label("sticky")).append(' ').append(!vip.hasSrcIpSticky() ? "?" : vip.getSrcIpSticky() ? "yes" : "no")
                    .append("  ").append(style.label("lb-index")).append(' ')
                    .append(vip.getLbIndex() < 0 ? "?" : Integer.toString(vip.getLbIndex()));
            if (!vip.getFrontend().isEmpty()) {
                out.append("  ").append(style.label("frontend")).append(' ').append(vip.getFrontend());
            }
            out.append('\n');
            if (vip.getAsesCount() == 0) {
                out.append("  no application servers\n");
                continue;
            }
            TextTable t = table("  ", "ADDRESS", "WEIGHT", "BUCKETS").alignRight(1, 2);
            for (VPPLBAS as : vip.getAsesList()) {
                t.row(stripHostMask(as.getAddress()), Integer.toString(as.getWeight()),
                        Integer.toUnsignedString(as.getNumBuckets()));
            }
            out.append(t.render());
        }
        return out.toString();
    }

    /** {@code show vpp lb counters}: VIP PROTO PORT FIRST NEXT UNTRACKED NO-SERVER FIB-PACKETS FIB-BYTES. */
    String lbCounters(VPPLBCounters c) {
        if (c.getVipsCount() == 0) {
            return "no VIPs\n";
        }
        TextTable t = table("", "VIP", "PROTO", "PORT", "FIRST", "NEXT", "UNTRACKED", "NO-SERVER", "FIB-PACKETS",
                "FIB-BYTES").alignRight(3, 4, 5, 6, 7, 8);
        for (VIPCounters v : c.getVipsList()) {
            t.row(stripHostMask(v.getPrefix()), protocol(v.getProtocol()), port(v.getPort()),
                    Long.toUnsignedString(v.getFirst()), Long.toUnsignedString(v.getNext()),
                    Long.toUnsignedString(v.getUntracked()), Long.toUnsignedString(v.getNoServer()),
                    Long.toUnsignedString(v.getFibPackets()), Long.toUnsignedString(v.getFibBytes()));
        }
        return t.render();
    }

    /** {@code sync vpp lb state}: what the sync changed. */
    String sync(SyncVPPLBStateResponse r) {
        return new Block()
                .add("vip-added", Integer.toUnsignedString(r.getVipAdded()))
                .add("vip-removed", Integer.toUnsignedString(r.getVipRemoved()))
                .add("as-added", Integer.toUnsignedString(r.getAsAdded()))
                .add("as-removed", Integer.toUnsignedString(r.getAsRemoved()))
                .add("as-weight-updated", Integer.toUnsignedString(r.getAsWeightUpdated()))
                .render();
    }

    // ------------------------------------------------------------------ misc

    /** After {@code set log level}. */
    String logLevel(SetLogLevelResponse r) {
        return style.label("log level") + " " + r.getLevel()
                + (r.getPrevious().isEmpty() ? "" : " (was " + r.getPrevious() + ")") + "\n";
    }

    /**
     * The error lines of a failed config check or reload ("file:line:col: rule: message", one
     * per line), parse errors first, without the final verdict.
     */
    static List<String> configErrors(String parseError, String semanticError) {
        List<String> out = new ArrayList<>();
        for (String block : List.of(parseError, semanticError)) {
            for (String line : block.split("\n")) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
        }
        return out;
    }

    /**
     * One line per event for {@code watch events}: local time with milliseconds, the kind, then
     * its fields. {@code backend nginx0 up -> down code=L4CON detail="connection refused"};
     * {@code frontend web down -> up} ({@code frontend web up} for the replayed current state);
     * {@code log info backend-transition backend=nginx0 from=up to=down} (attributes sorted by
     * key, values with blanks or quotes quoted).
     */
    String event(Event e) {
        StringBuilder out = new StringBuilder();
        out.append(style.label(Formats.EVENT_TIME.format(instant(e.getTimeNs()).atZone(clock.getZone())))).append(' ');
        switch (e.getEventCase()) {
            case BACKEND -> {
                BackendEvent b = e.getBackend();
                out.append("backend ").append(b.getName()).append(' ')
                        .append(style.state(state(b.getFrom()))).append(" -> ").append(style.state(state(b.getTo())));
                if (!b.getCode().isEmpty()) {
                    out.append(" code=").append(quote(b.getCode()));
                }
                if (!b.getDetail().isEmpty()) {
                    out.append(" detail=").append(quote(b.getDetail()));
                }
            }
            case FRONTEND -> {
                FrontendEvent f = e.getFrontend();
                out.append("frontend ").append(f.getName()).append(' ');
                if (f.getFrom() == f.getTo()) {
                    out.append(style.state(state(f.getTo())));
                } else {
                    out.append(style.state(state(f.getFrom()))).append(" -> ").append(style.state(state(f.getTo())));
                }
            }
            case LOG -> {
                LogEvent l = e.getLog();
                String level = dash(l.getLevel());
                out.append("log ").append(switch (level) {
                    case "error" -> style.error(level);
                    case "warn" -> style.warn(level);
                    default -> level;
                }).append(' ').append(l.getMsg());
                for (Map.Entry<String, String> a : new TreeMap<>(l.getAttrsMap()).entrySet()) {
                    out.append(' ').append(a.getKey()).append('=').append(quote(a.getValue()));
                }
            }
            case EVENT_NOT_SET -> out.append("unknown event");
        }
        return out.append('\n').toString();
    }

    /** A logfmt value: bare when safe, else double-quoted with {@code \"} and {@code \\} escaped. */
    static String quote(String value) {
        boolean bare = !value.isEmpty();
        for (int i = 0; i < value.length() && bare; i++) {
            char ch = value.charAt(i);
            bare = ch > ' ' && ch != '"' && ch != '=' && ch != '\\' && ch < 0x7f;
        }
        if (bare) {
            return value;
        }
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(ch);
            }
        }
        return out.append('"').toString();
    }

    /**
     * The command list of {@code help} and {@code --help}: synopsis and help in two columns; a
     * synopsis longer than {@value #SYNOPSIS_COLUMN} characters gets its help on the next line.
     */
    static String commandList(CommandTree tree, boolean shell, String indent) {
        List<CommandTree.Command> shown = tree.commands().stream().filter(c -> shell || !c.shellOnly()).toList();
        int width = shown.stream().mapToInt(c -> c.synopsis().length()).filter(w -> w <= SYNOPSIS_COLUMN).max()
                .orElse(SYNOPSIS_COLUMN);
        StringBuilder out = new StringBuilder();
        for (CommandTree.Command c : shown) {
            out.append(indent).append(c.synopsis());
            if (c.synopsis().length() > width) {
                out.append('\n').append(indent).append(" ".repeat(width));
            } else {
                out.append(" ".repeat(width - c.synopsis().length()));
            }
            out.append("  ").append(c.help()).append('\n');
        }
        return out.toString();
    }

    private static final int SYNOPSIS_COLUMN = 34;
}
