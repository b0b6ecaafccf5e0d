package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.VppLbConfig;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.UnknownNameException;
import dev.vppmaglev.vpp.VppSession;
import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VppApiException;
import dev.vppmaglev.vpp.api.VppConnectionException;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.VppProtocolException;
import dev.vppmaglev.vpp.api.cli.CliLbMain;
import dev.vppmaglev.vpp.api.cli.ShowLbParser;
import dev.vppmaglev.vpp.api.msg.LbConf;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.lb.KnownVip.KnownAs;
import dev.vppmaglev.vpp.lb.LbOp.AddAs;
import dev.vppmaglev.vpp.lb.LbOp.AddVip;
import dev.vppmaglev.vpp.lb.LbOp.DelAs;
import dev.vppmaglev.vpp.lb.LbOp.DelVip;
import dev.vppmaglev.vpp.lb.LbOp.SetWeight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Performs syncs against one VPP session and keeps the cache of VPP's lb table (see the package
 * documentation). Not thread-safe: everything runs on the reconciler's sync thread.
 *
 * <p>Calls of one sync are sent back to back and awaited afterwards, in order: the client
 * pipelines them (window 16) and VPP handles one connection's messages strictly in order, so a
 * VIP is created before its ASes are added. Results are applied to the cache, counted and logged
 * in call order, so logs and counts are deterministic.
 */
final class LbSyncEngine {
    private static final Logger log = LoggerFactory.getLogger(LbSyncEngine.class);
    /** VPP's "unset" source addresses (vpp-wire.md §5.1). */
    static final Inet4Address UNSET_IP4 = (Inet4Address) address(new byte[] {-1, -1, -1, -1});
    static final Inet6Address UNSET_IP6 = (Inet6Address) address(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1});
    /** The CLI command that shows the source addresses (vpp-wire.md §5.3). */
    static final String SHOW_LB = "show lb";

    /**
     * What a sync did.
     *
     * @param result the successful changes
     * @param errors every failed call or read, in order
     */
    record Outcome(SyncResult result, List<VppException> errors) {
        Outcome {
            Objects.requireNonNull(result, "result");
            errors = List.copyOf(errors);
        }

        boolean ok() {
            return errors.isEmpty();
        }
    }

    private final CliParseWarnings cliWarnings;
    // The cache: valid only for the session it was read on.
    private VppSession cacheSession;
    private final Map<LbVip, KnownVip> known = new HashMap<>();
    // Bumped whenever the cache's lb indexes may have changed (a read, a VIP added or deleted).
    private long indexVersion;
    // The session on which lb_conf was last checked (and pushed if needed).
    private VppSession confChecked;
    // The VIPs said to have a src_ip_sticky VPP cannot set, on stickyWarnedOn.
    private final Set<LbVip> stickyWarned = new HashSet<>();
    private VppSession stickyWarnedOn;
    // Without lb_conf_get: what was pushed on which session, and from which config.
    private VppSession confSession;
    private ConfWanted confPushedFrom;

    /** The config's part of {@code lb_conf} (null address: not configured). */
    private record ConfWanted(Inet4Address ip4, Inet6Address ip6, int buckets, long timeoutS) {
        static ConfWanted of(VppLbConfig c) {
            return new ConfWanted(c.ipv4SrcAddress(), c.ipv6SrcAddress(), c.stickyBucketsPerCore(),
                    c.flowTimeout().toSeconds());
        }
    }

    /** @param cliWarnings the rate limit of {@code vpp-lb-cli-parse-error} */
    LbSyncEngine(CliParseWarnings cliWarnings) {
        this.cliWarnings = Objects.requireNonNull(cliWarnings, "cliWarnings");
    }

    /** Forgets the cache; the next sync reads VPP's table first. */
    void invalidate() {
        cacheSession = null;
        known.clear();
        indexVersion++;
    }

    /** Whether the cache holds {@code session}'s table. */
    boolean cacheValid(VppSession session) {
        return cacheSession != null && cacheSession == session;
    }

    /** Number of VIPs in the cache (tests, diagnostics). */
    int knownVips() {
        return known.size();
    }

    /**
     * Changes whenever the lb indexes of the cache may have changed: compare to decide whether
     * {@link #lbIndexes()} is worth publishing again.
     */
    long indexVersion() {
        return indexVersion;
    }

    /**
     * Every live VIP of the cache with its lb index, -1 when not known (created since the last
     * read, or not listed by the CLI text); VIPs that are not live are absent. Meaningful only
     * while {@link #cacheValid} holds.
     */
    Map<LbVip, Integer> lbIndexes() {
        Map<LbVip, Integer> out = HashMap.newHashMap(known.size());
        for (KnownVip v : known.values()) {
            out.put(v.key(), v.lbIndex());
        }
        return Map.copyOf(out);
    }

    // ---- lb_conf -----------------------------------------------------------------------------

    /**
     * Pushes {@code maglev.vpp.lb}'s global settings (behaviour.md §5.2) unless VPP has them.
     * Gated on the message itself, not on the lb v2 set as a whole: whenever VPP has
     * {@code lb_conf_get} the settings are read and compared (pushed only on a difference).
     * Without it they are pushed once per session and again when the config changes.
     *
     * <p>{@code lb_conf} always writes both source addresses, so an address family the config
     * leaves unset is sent back as VPP has it — from {@code lb_conf_get}, or without it from
     * {@code show lb}. Only when neither tells (the CLI text does not parse) is the family written
     * as VPP's "unset" (all ones), logged as {@code vpp-lbconf-src-unknown} with the reason.
     *
     * @return the failure, if any (logged as {@code vpp-lbsync-error})
     */
    Optional<VppException> pushConf(VppSession session, VppLbConfig cfg) {
        return pushConf(session, cfg, Optional.empty());
    }

    /** As {@link #pushConf(VppSession, VppLbConfig)}, with VPP's current settings if just read. */
    private Optional<VppException> pushConf(VppSession session, VppLbConfig cfg, Optional<LbConf> justRead) {
        boolean confGet = LbStateReader.hasConfGet(session);
        LbApi api = session.lb();
        try {
            if (!confGet && session == confSession && ConfWanted.of(cfg).equals(confPushedFrom)) {
                confChecked = session; // pushed on this session from this very config
                return Optional.empty();
            }
            LbConf current = !confGet ? null : justRead.isPresent() ? justRead.get() : await(api.lbConfGet());
            Inet4Address ip4 = cfg.ipv4SrcAddress();
            Inet6Address ip6 = cfg.ipv6SrcAddress();
            String srcFrom = "config";
            if (current != null) {
                ip4 = ip4 != null ? ip4 : current.ip4SrcAddress();
                ip6 = ip6 != null ? ip6 : current.ip6SrcAddress();
                srcFrom = "lb_conf_get";
            } else if (ip4 == null || ip6 == null) {
                Optional<CliLbMain> shown = showLb(api, cfg);
                if (shown.isPresent()) {
                    ip4 = ip4 != null ? ip4 : shown.get().ip4SrcAddress();
                    ip6 = ip6 != null ? ip6 : shown.get().ip6SrcAddress();
                    srcFrom = "show lb";
                } else {
                    ip4 = ip4 != null ? ip4 : UNSET_IP4;
                    ip6 = ip6 != null ? ip6 : UNSET_IP6;
                    srcFrom = "unset";
                }
            }
            LbConf want = new LbConf(ip4, ip6, cfg.stickyBucketsPerCore(), (int) cfg.flowTimeout().toSeconds());
            if (current != null && want.equals(current)) {
                confChecked = session;
                return Optional.empty();
            }
            await(api.lbConf(want));
            confChecked = session;
            confSession = session;
            confPushedFrom = ConfWanted.of(cfg);
            LoggingEventBuilder e = log.atInfo().setMessage("vpp-lbconf-set")
                    .addKeyValue("ip4_src", IpFormat.format(want.ip4SrcAddress()))
                    .addKeyValue("ip6_src", IpFormat.format(want.ip6SrcAddress()))
                    .addKeyValue("sticky_buckets_per_core", Integer.toUnsignedLong(want.stickyBucketsPerCore()))
                    .addKeyValue("flow_timeout_s", Integer.toUnsignedLong(want.flowTimeout()))
                    .addKeyValue("unconfigured_src_from", srcFrom);
            if (current != null) {
                e = e.addKeyValue("was_ip4_src", IpFormat.format(current.ip4SrcAddress()))
                        .addKeyValue("was_ip6_src", IpFormat.format(current.ip6SrcAddress()))
                        .addKeyValue("was_sticky_buckets_per_core", Integer.toUnsignedLong(current.stickyBucketsPerCore()))
                        .addKeyValue("was_flow_timeout_s", Integer.toUnsignedLong(current.flowTimeout()));
            } else {
                e = e.addKeyValue("was", "unknown (no lb_conf_get)");
            }
            e.log();
            return Optional.empty();
        } catch (VppException ex) {
            logError("lb-conf", null, null, ex);
            return Optional.of(ex);
        }
    }

    /**
     * VPP's current source addresses from {@code show lb}, for a VPP without {@code lb_conf_get};
     * empty (and logged, naming the families the config leaves unset) when VPP refused the command
     * or its text does not parse. A lost connection or a timeout is thrown: the push would fail
     * the same way.
     */
    private static Optional<CliLbMain> showLb(LbApi api, VppLbConfig cfg) {
        String why;
        try {
            return Optional.of(ShowLbParser.parse(await(api.cliInband(SHOW_LB))));
        } catch (VppApiException | VppProtocolException e) {
            why = e.getMessage();
        }
        List<String> vpp = new ArrayList<>(2);
        List<String> keys = new ArrayList<>(2);
        if (cfg.ipv4SrcAddress() == null) {
            vpp.add("ip4-src-address");
            keys.add("ipv4-src-address");
        }
        if (cfg.ipv6SrcAddress() == null) {
            vpp.add("ip6-src-address");
            keys.add("ipv6-src-address");
        }
        log.atWarn().setMessage("vpp-lbconf-src-unknown")
                .addKeyValue("unset", String.join(",", vpp))
                .addKeyValue("reason", "VPP has no lb_conf_get and '" + SHOW_LB + "' did not give its current "
                        + String.join(" and ", vpp) + " (" + why + "); lb_conf always writes both source addresses, "
                        + "so " + String.join(" and ", vpp) + " is written as unset (all ones); set maglev.vpp.lb "
                        + String.join(" and ", keys) + " to choose the value")
                .log();
        return Optional.empty();
    }

    // ---- syncs -------------------------------------------------------------------------------

    /**
     * The full sync (behaviour.md §5.4): a fresh read of the whole table into the cache (with
     * {@code lb_conf_get}), {@code lb_conf} if it differs, then VIPs not in the config are removed (when {@code removeStale}) and every
     * frontend accepted by {@code include} is reconciled, in config order.
     *
     * <p>Stale VIPs go first: VPP refuses an all-port VIP beside a per-port one on the same
     * address (-81), so a config that switches a frontend between the two converges in one sync.
     *
     * @param states      a backend's live state (null = unknown)
     * @param include     which frontends to reconcile (the warmup leaves unreleased ones alone)
     * @param removeStale whether to delete VIPs that no frontend has (not during warmup)
     */
    Outcome syncAll(VppSession session, Config config, Function<String, BackendState> states,
                    Predicate<String> include, boolean removeStale) {
        List<VppException> errors = new ArrayList<>();
        LbState read;
        try {
            read = refresh(session);
        } catch (VppException e) {
            logError("read", null, null, e);
            errors.add(e);
            return new Outcome(SyncResult.NONE, errors);
        }
        pushConf(session, config.vppLb(), read.conf()).ifPresent(errors::add); // before any VIP is created
        boolean degraded = !session.info().lbV2Supported();
        Map<LbVip, DesiredVip> desired = new LinkedHashMap<>();
        for (Frontend f : config.frontends().values()) {
            DesiredVip d = DesiredState.of(f, config.backends(), states);
            DesiredVip other = desired.putIfAbsent(d.key(), d);
            if (other != null) {
                log.atWarn().setMessage("vpp-lbsync-duplicate-vip").addKeyValue("vip", d.key().toString())
                        .addKeyValue("frontend", f.name()).addKeyValue("kept", other.frontend()).log();
            }
        }
        List<VipPlan> plans = new ArrayList<>();
        if (removeStale) {
            List<LbVip> stale = known.keySet().stream().filter(k -> !desired.containsKey(k)).sorted(IpOrder.VIPS)
                    .toList();
            for (LbVip k : stale) {
                plans.add(VipPlanner.remove(known.get(k)));
            }
        }
        for (DesiredVip d : desired.values()) {
            if (include.test(d.frontend())) {
                plans.add(plan(session, d, degraded));
            }
        }
        Outcome o = execute(session, plans, degraded);
        if (!errors.isEmpty()) {
            errors.addAll(o.errors());
            return new Outcome(o.result(), errors);
        }
        return o;
    }

    /**
     * {@link VipPlanner#plan} against the cache. On a VPP without {@code lb_add_del_vip_v2} a VIP
     * whose {@code src_ip_sticky} is not the configured one is left as it is (a recreate could
     * not choose the flag) and said once per VIP and session: {@code vpp-lbsync-sticky-unsettable}.
     */
    private VipPlan plan(VppSession session, DesiredVip d, boolean degraded) {
        KnownVip current = known.get(d.key());
        boolean settable = session.client().supports(Messages.LB_ADD_DEL_VIP_V2);
        if (!settable && VipPlanner.stickyDiffers(d, current)) {
            if (stickyWarnedOn != session) {
                stickyWarnedOn = session;
                stickyWarned.clear();
            }
            if (stickyWarned.add(d.key())) {
                log.atWarn().setMessage("vpp-lbsync-sticky-unsettable").addKeyValue("vip", d.key().toString())
                        .addKeyValue("frontend", d.frontend())
                        .addKeyValue("src_ip_sticky", current.srcIpSticky().orElseThrow())
                        .addKeyValue("configured", d.srcIpSticky())
                        .addKeyValue("reason", "VPP lacks lb_add_del_vip_v2: a recreate cannot choose "
                                + "src_ip_sticky, so the VIP is kept as it is")
                        .log();
            }
        }
        return VipPlanner.plan(d, current, degraded, settable);
    }

    /**
     * The targeted sync of one frontend's VIP (never deletes VIPs), diffed against the cache; an
     * invalid cache is refreshed first (a read, no mutation), and the first sync on a session
     * checks {@code lb_conf}.
     *
     * @throws UnknownNameException when {@code config} has no such frontend
     */
    Outcome syncVip(VppSession session, Config config, Function<String, BackendState> states, String frontend) {
        Frontend f = config.frontends().get(frontend);
        if (f == null) {
            throw new UnknownNameException("frontend", frontend);
        }
        Optional<LbConf> justRead = Optional.empty();
        if (!cacheValid(session)) {
            try {
                justRead = refresh(session).conf();
            } catch (VppException e) {
                logError("read", null, null, e);
                return new Outcome(SyncResult.NONE, List.of(e));
            }
        }
        // The first sync on a session checks lb_conf (the source addresses must be right before a
        // VIP is created); later ones leave it to the full sync.
        Optional<VppException> conf = confChecked == session ? Optional.empty()
                : pushConf(session, config.vppLb(), justRead);
        DesiredVip d = DesiredState.of(f, config.backends(), states);
        boolean degraded = !session.info().lbV2Supported();
        Outcome o = execute(session, List.of(plan(session, d, degraded)), degraded);
        if (conf.isPresent()) {
            List<VppException> errors = new ArrayList<>(o.errors());
            errors.addFirst(conf.get());
            return new Outcome(o.result(), errors);
        }
        return o;
    }

    /** Replaces the cache with a fresh read of {@code session}'s table; returns the read. */
    LbState refresh(VppSession session) {
        Map<LbVip, KnownVip> previous = cacheValid(session) ? Map.copyOf(known) : Map.of();
        invalidate();
        LbState state = LbStateReader.read(session.lb(), LbStateReader.hasConfGet(session), Map.of(), cliWarnings);
        for (LbVipState v : state.vips()) {
            known.put(v.key(), KnownVip.of(v, previous.get(v.key())));
        }
        cacheSession = session;
        indexVersion++;
        return state;
    }

    // ---- execution ---------------------------------------------------------------------------

    private Outcome execute(VppSession session, List<VipPlan> plans, boolean degraded) {
        LbApi api = session.lb();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (VipPlan p : plans) {
            p.recreate().ifPresent(r -> log.atInfo().setMessage("vpp-lbsync-vip-recreate")
                    .addKeyValue("vip", p.key().toString()).addKeyValue("frontend", p.frontend().orElse(""))
                    .addKeyValue("changed", r.what()).addKeyValue("from", r.from()).addKeyValue("to", r.to()).log());
            for (LbOp op : p.ops()) {
                sent.add(send(api, op));
            }
        }
        int vipAdd = 0;
        int vipDel = 0;
        int asAdd = 0;
        int asDel = 0;
        int asWeight = 0;
        List<VppException> errors = new ArrayList<>();
        int i = 0;
        for (VipPlan p : plans) {
            if (p.ops().isEmpty()) {
                continue;
            }
            Draft draft = new Draft(known.get(p.key()), degraded);
            for (LbOp op : p.ops()) {
                VppException e = failure(sent.get(i++));
                if (e != null) {
                    if (errors.isEmpty() || e instanceof VppApiException) {
                        logError(opName(op), op.vip(), op, e);
                    }
                    errors.add(e);
                    continue;
                }
                draft.apply(op);
                logApplied(op, p);
                switch (op) {
                    case AddVip a -> {
                        vipAdd++;
                        indexVersion++;
                    }
                    case DelVip d -> {
                        vipDel++;
                        indexVersion++;
                    }
                    case AddAs a -> asAdd++;
                    case DelAs d -> asDel++;
                    case SetWeight w -> asWeight++;
                }
            }
            KnownVip after = draft.result(p.key());
            if (after == null) {
                known.remove(p.key());
            } else {
                known.put(p.key(), after);
            }
        }
        if (!errors.isEmpty()) {
            if (errors.size() > 1) {
                log.atWarn().setMessage("vpp-lbsync-error").addKeyValue("op", "summary")
                        .addKeyValue("failed_calls", errors.size()).addKeyValue("first", errors.getFirst().getMessage())
                        .log();
            }
            invalidate(); // whatever VPP now holds, the next sync reads it first
        }
        return new Outcome(new SyncResult(vipAdd, vipDel, asAdd, asDel, asWeight), errors);
    }

    private static CompletableFuture<Void> send(LbApi api, LbOp op) {
        try {
            return switch (op) {
                case AddVip a -> api.addVip(a.spec());
                case DelVip d -> api.delVip(d.vip());
                case AddAs a -> api.addAs(a.vip(), a.as(), a.weight(), a.flush());
                case DelAs d -> api.delAs(d.vip(), d.as(), d.flush());
                case SetWeight w -> api.setAsWeight(w.vip(), w.as(), w.weight(), w.flush());
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Waits for {@code f}; its failure as a {@link VppException}, or null on success. */
    private static VppException failure(CompletableFuture<Void> f) {
        try {
            f.get();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new VppConnectionException("interrupted while waiting for VPP", e);
        } catch (ExecutionException e) {
            VppException v = VppException.unwrap(e);
            return v != null ? v : new VppProtocolException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VppConnectionException("interrupted while waiting for VPP", e);
        } catch (ExecutionException e) {
            VppException v = VppException.unwrap(e);
            throw v != null ? v : new VppProtocolException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    // ---- logging -----------------------------------------------------------------------------

    private static void logApplied(LbOp op, VipPlan p) {
        String frontend = p.frontend().orElse("");
        switch (op) {
            case AddVip a -> log.atInfo().setMessage("vpp-lbsync-vip-add").addKeyValue("vip", a.vip().toString())
                    .addKeyValue("frontend", frontend).addKeyValue("encap", a.spec().encap().keyword())
                    .addKeyValue("src_ip_sticky", a.spec().srcIpSticky())
                    .addKeyValue("new_flows_table_length", a.spec().newFlowsTableLength()).log();
            case DelVip d -> log.atInfo().setMessage("vpp-lbsync-vip-del").addKeyValue("vip", d.vip().toString())
                    .addKeyValue("frontend", frontend).log();
            case AddAs a -> log.atInfo().setMessage("vpp-lbsync-as-add").addKeyValue("vip", a.vip().toString())
                    .addKeyValue("frontend", frontend).addKeyValue("as", IpFormat.format(a.as()))
                    .addKeyValue("weight", a.weight()).addKeyValue("flush", a.flush()).log();
            case DelAs d -> log.atInfo().setMessage("vpp-lbsync-as-del").addKeyValue("vip", d.vip().toString())
                    .addKeyValue("frontend", frontend).addKeyValue("as", IpFormat.format(d.as()))
                    .addKeyValue("flush", d.flush()).log();
            case SetWeight w -> log.atInfo().setMessage("vpp-lbsync-as-weight").addKeyValue("vip", w.vip().toString())
                    .addKeyValue("frontend", frontend).addKeyValue("as", IpFormat.format(w.as()))
                    .addKeyValue("weight", w.weight()).addKeyValue("from", w.previous())
                    .addKeyValue("flush", w.flush()).log();
        }
    }

    /** {@code vpp-lbsync-error} with the VPP retval symbol when VPP refused. */
    private static void logError(String op, LbVip vip, LbOp detail, VppException e) {
        LoggingEventBuilder b = log.atWarn().setMessage("vpp-lbsync-error").addKeyValue("op", op);
        if (vip != null) {
            b = b.addKeyValue("vip", vip.toString());
        }
        InetAddress as = switch (detail) {
            case AddAs a -> a.as();
            case DelAs d -> d.as();
            case SetWeight w -> w.as();
            case null, default -> null;
        };
        if (as != null) {
            b = b.addKeyValue("as", IpFormat.format(as));
        }
        if (e instanceof VppApiException a) {
            b = b.addKeyValue("api_msg", a.messageName()).addKeyValue("retval", a.retval()).addKeyValue("error", a.symbol());
        } else {
            b = b.addKeyValue("error", e.getMessage()).addKeyValue("kind", e.getClass().getSimpleName());
        }
        b.log();
    }

    private static String opName(LbOp op) {
        return switch (op) {
            case AddVip a -> "vip-add";
            case DelVip d -> "vip-del";
            case AddAs a -> "as-add";
            case DelAs d -> "as-del";
            case SetWeight w -> "as-weight";
        };
    }

    private static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A VIP's cache entry being updated by the calls that succeeded. */
    private static final class Draft {
        private final boolean degraded;
        private boolean exists;
        private LbEncap encap;
        private Optional<Boolean> sticky;
        private OptionalInt length;
        private int lbIndex;
        private final Map<InetAddress, KnownAs> ases;
        private final Set<InetAddress> removed;

        Draft(KnownVip before, boolean degraded) {
            this.degraded = degraded;
            this.exists = before != null;
            this.encap = before != null ? before.encap() : LbEncap.GRE4;
            this.sticky = before != null ? before.srcIpSticky() : Optional.empty();
            this.length = before != null ? before.newFlowsTableLength() : OptionalInt.empty();
            this.lbIndex = before != null ? before.lbIndex() : -1;
            this.ases = before != null ? new HashMap<>(before.ases()) : new HashMap<>();
            this.removed = before != null ? new HashSet<>(before.removed()) : new HashSet<>();
        }

        void apply(LbOp op) {
            switch (op) {
                case AddVip a -> {
                    exists = true;
                    encap = a.spec().encap();
                    sticky = Optional.of(a.spec().srcIpSticky());
                    length = OptionalInt.of(a.spec().newFlowsTableLength());
                    lbIndex = -1; // a new pool entry; VPP's reply does not say which
                    ases.clear();
                    removed.clear(); // a new VIP has no ASes; the old one's stay with it
                }
                case DelVip d -> {
                    exists = false;
                    ases.clear();
                }
                case AddAs a -> {
                    // A brand-new AS has no sticky flows: at weight 0 it is clean. Re-adding an
                    // address VPP still holds as removed revives that entry with its flows:
                    // clean only when flushed.
                    boolean revived = removed.remove(a.as());
                    ases.put(a.as(), degraded ? KnownAs.UNKNOWN_WEIGHT
                            : new KnownAs(a.weight(), a.weight() == 0 && (a.flush() || !revived)));
                }
                case DelAs d -> {
                    ases.remove(d.as());
                    removed.add(d.as());
                }
                case SetWeight w -> {
                    KnownAs prev = ases.get(w.as());
                    boolean stillClean = prev != null && prev.clean() && prev.weight() == 0;
                    ases.put(w.as(), new KnownAs(w.weight(), w.weight() == 0 && (w.flush() || stillClean)));
                }
            }
        }

        KnownVip result(LbVip key) {
            return exists ? new KnownVip(key, encap, sticky, length, lbIndex, ases, removed) : null;
        }
    }
}
