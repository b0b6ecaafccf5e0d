package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.CliInband;
import dev.vppmaglev.vpp.api.msg.ControlPingReply;
import dev.vppmaglev.vpp.api.msg.Empty;
import dev.vppmaglev.vpp.api.msg.IpRoute;
import dev.vppmaglev.vpp.api.msg.IpRouteLookup;
import dev.vppmaglev.vpp.api.msg.LbAddDelAs;
import dev.vppmaglev.vpp.api.msg.LbAddDelAsV2;
import dev.vppmaglev.vpp.api.msg.LbAddDelVip;
import dev.vppmaglev.vpp.api.msg.LbAddDelVipV2;
import dev.vppmaglev.vpp.api.msg.LbAsDetails;
import dev.vppmaglev.vpp.api.msg.LbAsSetWeight;
import dev.vppmaglev.vpp.api.msg.LbAsV2Details;
import dev.vppmaglev.vpp.api.msg.LbConf;
import dev.vppmaglev.vpp.api.msg.LbConfGetReply;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.LbVipDump;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.OldLbHandlers;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.api.msg.Retval;
import dev.vppmaglev.vpp.api.msg.ShowVersionReply;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The typed face of the binary API for the reconciler and the gRPC handlers: the lb plugin
 * (VPP src/plugins/lb/lb.api), {@code ip_route_lookup}, {@code show_version},
 * {@code cli_inband}. Every method is asynchronous and fails its future with a
 * {@link VppException} subclass: {@link VppNotConnectedException} when there is no session,
 * {@link VppApiException} for a negative retval (e.g. -6 NO_SUCH_ENTRY, -81 VALUE_EXIST),
 * {@link VppTimeoutException}, {@link VppConnectionException},
 * {@link VppUnsupportedMessageException} when VPP lacks the message. Arguments outside the API's
 * ranges throw {@link IllegalArgumentException} immediately.
 *
 * <p>It applies the rules of the spec (README "VPP compatibility", behaviour.md §12–13): VIPs
 * are created with {@code lb_add_del_vip_v2} and {@code new_flows_table_length} 1024 unless
 * given; the AS dump is always unfiltered (an IPv4 filter matches nothing in VPP) and filtered
 * here; when the lb v2 messages are missing, AS add/delete fall back to the v1 messages.
 * Callers pace themselves: each call is one message (the client pipelines them, window 16).
 *
 * <p>A VPP without {@code lb_conf_get} has the pre-26.10 lb handlers
 * ({@link LbCapability#oldHandlers(dev.vppmaglev.vpp.api.wire.MessageTable)}). With it every
 * method takes and returns the same plain values, and underneath: VIP requests go out in the
 * old handlers' dialect ({@link OldLbHandlers}: IPv4 VIP prefixes in ip46 form, the encap in host
 * order); {@link #vipDump()} reads the live VIPs from {@code show lb vips verbose} (the old
 * {@code lb_vip_details} carry protocol 0 and the internal VIP type); {@link #asDump()} sends
 * {@code lb_as_dump} and takes each AS's VIP key from that text ({@link OldLbReads}); the text's
 * pre-26.10 AS lines are read as weight 100. Those reads share one {@code show lb vips verbose}
 * while it is in flight, so a whole-table read ({@code vipDump}, {@code asDump},
 * {@code showLbVipsVerbose} back to back) costs one text, as with a 26.10 VPP.
 */
public final class LbApi {
    private final VppClientSource source;
    /** The {@code show lb vips verbose} in flight, shared by the reads that need it. */
    private final AtomicReference<TextRead> textRead = new AtomicReference<>();

    /**
     * One {@code show lb vips verbose} on {@code client}: the text (pre-26.10 AS lines already
     * rewritten, {@link OldLbReads#normalize}) and, made on first demand only (a 2 MB text is
     * not parsed for a reader that parses it its own way), its strict parse; both shared.
     */
    private static final class TextRead {
        final VppApiClient client;
        final CompletableFuture<String> text;
        private CompletableFuture<List<CliVip>> vips;

        TextRead(VppApiClient client, CompletableFuture<String> text) {
            this.client = client;
            this.text = text;
        }

        synchronized CompletableFuture<List<CliVip>> vips() {
            if (vips == null) {
                vips = text.thenApply(ShowLbVipsParser::parseVerbose);
            }
            return vips;
        }
    }

    /** @param source the current client (the connection manager's, or a fixed one) */
    public LbApi(VppClientSource source) {
        this.source = Objects.requireNonNull(source);
    }

    /** An API bound to one client. */
    public static LbApi of(VppApiClient client) {
        return new LbApi(() -> client);
    }

    private <T> CompletableFuture<T> with(Function<VppApiClient, CompletableFuture<T>> f) {
        VppApiClient c;
        try {
            c = source.client();
        } catch (VppException e) {
            return CompletableFuture.failedFuture(e);
        }
        return f.apply(c);
    }

    /** Which lb API generation the current VPP offers. */
    public CompletableFuture<LbCapability> capability() {
        return with(c -> CompletableFuture.completedFuture(LbCapability.of(c.messageTable())));
    }

    /** {@code control_ping}: liveness; the reply carries VPP's pid. */
    public CompletableFuture<ControlPingReply> controlPing() {
        return with(c -> c.call(Api.CONTROL_PING, Empty.INSTANCE));
    }

    /** {@code show_version}: program, version, build date, build directory. */
    public CompletableFuture<ShowVersionReply> showVersion() {
        return with(c -> c.call(Api.SHOW_VERSION, Empty.INSTANCE));
    }

    /**
     * {@code cli_inband}: runs one debug-CLI command.
     *
     * @return the output text; a CLI error fails with {@link VppApiException} whose
     *         {@code reply()} is the {@code CliInbandReply} with the error text
     */
    public CompletableFuture<String> cliInband(String command) {
        Objects.requireNonNull(command, "command");
        return with(c -> c.call(Api.CLI_INBAND, new CliInband(command)).thenApply(r -> r.reply()));
    }

    /**
     * {@code show lb vips verbose}, parsed: the only source of {@code src_ip_sticky} and of each
     * VIP's pool index (behaviour.md §5.7).
     *
     * On a VPP with the old handlers the text's AS lines (no weights before 26.10) read as
     * weight 100 ({@link OldLbReads#parseShowLbVipsVerbose}).
     *
     * @return VIPs in VPP's pool order, removed ones included; a text that does not parse fails
     *         with {@link VppProtocolException}
     */
    public CompletableFuture<List<CliVip>> showLbVipsVerbose() {
        return with(c -> sharedText(c).vips());
    }

    /**
     * One whole-table read: the three answers the reconciler merges, asked on one connection.
     *
     * @param vips              {@link #vipDump()}
     * @param ases              {@link #asDump()}
     * @param showLbVipsVerbose the text of {@code show lb vips verbose}, for a reader that parses
     *                          it its own way (the reconciler reads it best-effort); on a VPP with
     *                          the old handlers its AS lines are already in the 26.10 form
     *                          ({@link OldLbReads#normalize})
     */
    public record Tables(CompletableFuture<List<LbVipDetails>> vips, CompletableFuture<List<AsEntry>> ases,
                         CompletableFuture<String> showLbVipsVerbose) {}

    /**
     * Asks for the VIPs, the ASes and the {@code show lb vips verbose} text at once, without
     * awaiting any. The text is asked for once and, on a VPP with the old handlers, the two dumps
     * are built from that same text: a whole-table read costs one (up to 2 MB) text, however
     * quickly VPP answers. The text is always a new one, never one already in flight: it must
     * reflect every call the caller made before (VPP answers one connection in order); other
     * reads may share it while it is in flight.
     *
     * @return the three futures; if there is no connection, each fails with the {@link VppException}
     */
    public Tables tables() {
        VppApiClient c;
        try {
            c = source.client();
        } catch (VppException e) {
            return new Tables(CompletableFuture.failedFuture(e), CompletableFuture.failedFuture(e),
                    CompletableFuture.failedFuture(e));
        }
        TextRead text = newText(c);
        return new Tables(vipDump(c, () -> text), asDump(c, () -> text), text.text);
    }

    private static CompletableFuture<String> showText(VppApiClient c) {
        return c.call(Api.CLI_INBAND, new CliInband("show lb vips verbose")).thenApply(r -> r.reply());
    }

    private static boolean oldHandlers(VppApiClient c) {
        return LbCapability.oldHandlers(c.messageTable());
    }

    /**
     * The {@code show lb vips verbose} in flight on {@code c} if there is one (for a read that
     * made no calls just before, its answer is as fresh as a new one's), else a new one.
     */
    private TextRead sharedText(VppApiClient c) {
        TextRead r = textRead.get();
        if (r != null && r.client == c && !r.text.isDone()) {
            return r;
        }
        return newText(c);
    }

    /** A new {@code show lb vips verbose} on {@code c}, which later reads share while it is in flight. */
    private TextRead newText(VppApiClient c) {
        boolean old = oldHandlers(c);
        CompletableFuture<String> text = showText(c).thenApply(t -> old ? OldLbReads.normalize(t) : t);
        TextRead next = new TextRead(c, text);
        textRead.set(next);
        return next;
    }

    /** {@code lb_conf_get}: the plugin's global settings (lb 1.2.0). */
    public CompletableFuture<LbConf> lbConfGet() {
        return with(c -> c.call(Api.LB_CONF_GET, Empty.INSTANCE).thenApply(LbConfGetReply::conf));
    }

    /**
     * {@code lb_conf}: sets the global settings. Both source addresses are always written:
     * pass the current ones to keep them.
     *
     * @return completes when VPP accepted; -70 INVALID_MEMORY_SIZE when the bucket count is not a
     *         power of 2
     */
    public CompletableFuture<Void> lbConf(LbConf conf) {
        Objects.requireNonNull(conf, "conf");
        return with(c -> c.call(Api.LB_CONF, conf).thenApply(r -> null));
    }

    /**
     * Creates a VIP: {@code lb_add_del_vip_v2}, or {@code lb_add_del_vip} on a VPP without it
     * (then {@code srcIpSticky} cannot be honoured and the call fails with
     * {@link VppUnsupportedMessageException}).
     *
     * @return -81 VALUE_EXIST if it exists (or clashes with an all-port/per-port VIP on the same
     *         prefix), -73 for a per-port VIP of another type on the prefix, -97 when the encap
     *         does not fit the prefix family
     */
    public CompletableFuture<Void> addVip(VipSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return with(c -> addDelVip(c, spec, false));
    }

    /**
     * Deletes a VIP ({@code is_del}); VPP marks its ASes removed without flush.
     *
     * @return -6 NO_SUCH_ENTRY when there is no such VIP
     */
    public CompletableFuture<Void> delVip(LbVip vip) {
        Objects.requireNonNull(vip, "vip");
        return with(c -> addDelVip(c, VipSpec.of(vip, LbEncap.GRE4), true));
    }

    private static CompletableFuture<Void> addDelVip(VppApiClient c, VipSpec s, boolean isDel) {
        LbVip v = LbVip.of(s.vip().pfx(), s.vip().protocol(), s.vip().port());
        boolean old = oldHandlers(c);
        if (c.supports(Messages.LB_ADD_DEL_VIP_V2)) {
            return c.call(old ? OldLbHandlers.ADD_DEL_VIP_V2 : Api.LB_ADD_DEL_VIP_V2, new LbAddDelVipV2(v.pfx(),
                    v.protocol(), v.port(), s.encap(), s.dscp(), s.srvType(), s.targetPort(), 0, s.newFlowsTableLength(),
                    s.srcIpSticky(), isDel)).thenApply(r -> null);
        }
        if (s.srcIpSticky() && !isDel) {
            return CompletableFuture.failedFuture(new VppUnsupportedMessageException(
                    Messages.LB_ADD_DEL_VIP_V2.nameCrc(), "src_ip_sticky needs " + Messages.LB_ADD_DEL_VIP_V2.nameCrc()
                    + ", which this VPP lacks"));
        }
        return c.call(old ? OldLbHandlers.ADD_DEL_VIP : Api.LB_ADD_DEL_VIP, new LbAddDelVip(v.pfx(), v.protocol(),
                v.port(), s.encap(), s.dscp(), s.srvType(), s.targetPort(), 0, s.newFlowsTableLength(), isDel))
                .thenApply(r -> null);
    }

    /**
     * Adds an application server with a weight ({@code lb_add_del_as_v2}). On a VPP without the
     * v2 messages it falls back to {@code lb_add_del_as}, where every AS has weight 100: weights
     * 1..100 are accepted as "in", weight 0 fails with {@link VppUnsupportedMessageException}
     * (degraded mode: the caller deletes the AS instead).
     *
     * @param weight 0..100
     * @param flush  only matters when re-adding a removed AS: evict its old sticky flows
     * @return -6 no such VIP, -81 AS already in use, -97 AS family does not fit the encap
     */
    public CompletableFuture<Void> addAs(LbVip vip, InetAddress as, int weight, boolean flush) {
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(as, "as");
        checkWeight(weight);
        LbVip v = LbVip.of(vip.pfx(), vip.protocol(), vip.port());
        return with(c -> {
            if (c.supports(Messages.LB_ADD_DEL_AS_V2)) {
                return c.call(Api.LB_ADD_DEL_AS_V2, new LbAddDelAsV2(v.pfx(), v.protocol(), v.port(), as, weight, false,
                        flush)).thenApply(r -> null);
            }
            if (weight == 0) {
                return CompletableFuture.failedFuture(new VppUnsupportedMessageException(
                        Messages.LB_ADD_DEL_AS_V2.nameCrc(), "weight 0 needs " + Messages.LB_ADD_DEL_AS_V2.nameCrc()
                        + ", which this VPP lacks (degraded mode: delete the AS instead)"));
            }
            return c.call(v1As(c), new LbAddDelAs(v.pfx(), v.protocol(), v.port(), as, false, flush))
                    .thenApply(r -> null);
        });
    }

    /**
     * Deletes an application server ({@code lb_add_del_as_v2} or v1 {@code lb_add_del_as} with
     * {@code is_del}). Without flush its flows keep going to it until they idle out.
     *
     * @return -6 when the VIP or the AS does not exist
     */
    public CompletableFuture<Void> delAs(LbVip vip, InetAddress as, boolean flush) {
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(as, "as");
        LbVip v = LbVip.of(vip.pfx(), vip.protocol(), vip.port());
        return with(c -> {
            if (c.supports(Messages.LB_ADD_DEL_AS_V2)) {
                return c.call(Api.LB_ADD_DEL_AS_V2, new LbAddDelAsV2(v.pfx(), v.protocol(), v.port(), as, 0, true,
                        flush)).thenApply(r -> null);
            }
            return c.call(v1As(c), new LbAddDelAs(v.pfx(), v.protocol(), v.port(), as, true, flush))
                    .thenApply(r -> null);
        });
    }

    private static Api.Call<LbAddDelAs, Retval> v1As(VppApiClient c) {
        return oldHandlers(c) ? OldLbHandlers.ADD_DEL_AS : Api.LB_ADD_DEL_AS;
    }

    /**
     * {@code lb_as_set_weight}: new weight for an in-use AS; weight 0 drains it, {@code flush}
     * evicts its sticky flows. Needs lb 1.2.0 (no v1 fallback).
     *
     * @return -6 when the VIP or AS does not exist or the AS is removed
     */
    public CompletableFuture<Void> setAsWeight(LbVip vip, InetAddress as, int weight, boolean flush) {
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(as, "as");
        checkWeight(weight);
        LbVip v = LbVip.of(vip.pfx(), vip.protocol(), vip.port());
        return with(c -> c.call(Api.LB_AS_SET_WEIGHT, new LbAsSetWeight(v.pfx(), v.protocol(), v.port(), as, weight,
                flush)).thenApply(r -> null));
    }

    /** {@code lb_flush_vip}: evicts every sticky flow of the VIP (VPP answers 0 even for an unknown VIP). */
    public CompletableFuture<Void> flushVip(LbVip vip) {
        Objects.requireNonNull(vip, "vip");
        LbVip v = LbVip.of(vip.pfx(), vip.protocol(), vip.port());
        return with(c -> c.call(oldHandlers(c) ? OldLbHandlers.FLUSH_VIP : Api.LB_FLUSH_VIP, v).thenApply(r -> null));
    }

    /**
     * {@code lb_vip_dump}: every live VIP (the placeholder and deleted VIPs are not listed). On a
     * VPP with the old handlers the same list comes from {@code show lb vips verbose}
     * ({@link OldLbReads#vips}), which then must parse.
     */
    public CompletableFuture<List<LbVipDetails>> vipDump() {
        return with(c -> vipDump(c, () -> sharedText(c)));
    }

    /** {@link #vipDump()} on {@code c}; {@code text} is asked for only on a VPP with the old handlers. */
    private static CompletableFuture<List<LbVipDetails>> vipDump(VppApiClient c, Supplier<TextRead> text) {
        return oldHandlers(c) ? text.get().vips().thenApply(OldLbReads::vips) : c.dump(Api.LB_VIP_DUMP, LbVipDump.ALL);
    }

    /**
     * Every application server of every VIP, removed ones included: one unfiltered
     * {@code lb_as_v2_dump} (or {@code lb_as_dump} on an older VPP, without weights and buckets;
     * with the old handlers each AS's VIP key comes from {@code show lb vips verbose},
     * {@link OldLbReads#ases}, and a disagreement between the two fails the read with
     * {@link VppProtocolException}).
     */
    public CompletableFuture<List<AsEntry>> asDump() {
        return with(c -> asDump(c, () -> sharedText(c)));
    }

    /** {@link #asDump()} on {@code c}; {@code text} is asked for only on a VPP with the old handlers. */
    private static CompletableFuture<List<AsEntry>> asDump(VppApiClient c, Supplier<TextRead> text) {
        if (c.supports(Messages.LB_AS_V2_DUMP)) {
            return c.dump(Api.LB_AS_V2_DUMP, LbVip.dumpAll()).thenApply(LbApi::fromV2);
        }
        CompletableFuture<List<LbAsDetails>> details = c.dump(Api.LB_AS_DUMP, LbVip.dumpAll());
        if (oldHandlers(c)) {
            return details.thenCombine(text.get().vips(), OldLbReads::ases);
        }
        return details.thenApply(LbApi::fromV1);
    }

    /** The application servers of one VIP: {@link #asDump()} filtered here, never in VPP. */
    public CompletableFuture<List<AsEntry>> asDump(LbVip vip) {
        LbVip v = LbVip.of(vip.pfx(), vip.protocol(), vip.port());
        return asDump().thenApply(all -> all.stream().filter(a -> a.vip().equals(v)).toList());
    }

    private static List<AsEntry> fromV2(List<LbAsV2Details> in) {
        List<AsEntry> out = new ArrayList<>(in.size());
        for (LbAsV2Details d : in) {
            out.add(new AsEntry(d.vip(), d.appSrv(), (d.flags() & 1) != 0, d.inUseSince(), OptionalInt.of(d.weight()),
                    OptionalInt.of(d.numBuckets())));
        }
        return out;
    }

    private static List<AsEntry> fromV1(List<LbAsDetails> in) {
        List<AsEntry> out = new ArrayList<>(in.size());
        for (LbAsDetails d : in) {
            out.add(new AsEntry(d.vip(), d.appSrv(), (d.flags() & 1) != 0, d.inUseSince(), OptionalInt.empty(),
                    OptionalInt.empty()));
        }
        return out;
    }

    /**
     * {@code ip_route_lookup} in table 0.
     *
     * @param exact true: the exact prefix; false: longest-prefix match
     * @return the FIB entry (its {@code statsIndex} is the column of {@code /net/route/to}), or
     *         empty when VPP answers -6 (no such route)
     */
    public CompletableFuture<Optional<IpRoute>> ipRouteLookup(Prefix prefix, boolean exact) {
        Objects.requireNonNull(prefix, "prefix");
        return with(c -> c.call(Api.IP_ROUTE_LOOKUP, new IpRouteLookup(0, exact ? 1 : 0, prefix))
                .handle((r, e) -> {
                    if (e == null) {
                        return Optional.of(r.route());
                    }
                    VppException v = VppException.unwrap(e);
                    if (v instanceof VppApiException a && a.retval() == VppErrors.NO_SUCH_ENTRY) {
                        return Optional.<IpRoute>empty();
                    }
                    throw v != null ? v : new VppProtocolException(e.toString(), e);
                }));
    }

    private static void checkWeight(int weight) {
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("AS weight must be 0..100, is " + weight);
        }
    }

    /** The encap for application servers of {@code as}'s family: GRE4 for IPv4, GRE6 for IPv6. */
    public static LbEncap greFor(InetAddress as) {
        return as instanceof java.net.Inet4Address ? LbEncap.GRE4 : LbEncap.GRE6;
    }
}
