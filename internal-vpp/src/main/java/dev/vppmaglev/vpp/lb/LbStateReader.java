package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.vpp.VppSession;
import dev.vppmaglev.vpp.api.AsEntry;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VppApiException;
import dev.vppmaglev.vpp.api.VppConnectionException;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.VppProtocolException;
import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
import dev.vppmaglev.vpp.api.msg.LbConf;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.Messages;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads VPP's whole lb table (behaviour.md §5.7): {@code lb_conf_get}, {@code lb_vip_dump}, ONE
 * unfiltered {@code lb_as_v2_dump} (a prefix filter silently drops IPv4 replies, §12 item 4)
 * and {@code show lb vips verbose} for {@code src_ip_sticky}, the lb index and the sticky-flow
 * counts, sent back to back (the client pipelines them). At 1,000 VIPs × 32 ASes that is about
 * 33,000 details messages and a 2 MB CLI text (~46 ms on a real VPP).
 *
 * <p>The CLI part is best effort: it is debug-CLI text, not an API, and a newer VPP may print a
 * line the parser does not know. A VIP block that does not parse (or the whole text, when VPP
 * refuses the command) leaves that VIP's {@code src_ip_sticky} empty, its lb index -1 and its flow
 * counts unknown — the read, and so every sync, goes on (the reconciler never recreates a VIP on
 * missing information). Logged as {@code vpp-lb-cli-parse-error}, rate-limited. Only a failure to
 * get an answer at all (timeout, lost connection) fails the read.
 *
 * <p>The same read serves the API ({@code GetVPPLBState}: always fresh, never the reconciler's
 * cache) and the reconciler's full sync (which refreshes its cache from it).
 */
public final class LbStateReader {
    static final String SHOW_LB_VIPS_VERBOSE = "show lb vips verbose";

    private LbStateReader() {}

    /**
     * A fresh read of the lb table on {@code session}, each VIP labelled with the frontend of
     * {@code config} that has its key. Blocks until VPP answered (each request is bounded by the
     * client's request timeout). CLI text that does not parse is logged, not thrown.
     *
     * @throws VppException {@code VppNotConnectedException} / {@code VppConnectionException} when
     *                      the session is gone, {@code VppTimeoutException}, or
     *                      {@code VppApiException} / {@code VppProtocolException} when a dump fails
     */
    public static LbState read(VppSession session, Config config) {
        return read(session, config, new CliParseWarnings());
    }

    /** As {@link #read(VppSession, Config)}, warning through {@code warnings} (the reconciler's rate limit). */
    static LbState read(VppSession session, Config config, CliParseWarnings warnings) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(config, "config");
        Map<LbVip, String> frontends = new HashMap<>();
        for (Frontend f : config.frontends().values()) {
            frontends.put(DesiredState.key(f), f.name());
        }
        return read(session.lb(), hasConfGet(session), frontends, warnings);
    }

    /**
     * Whether {@code session}'s VPP has {@code lb_conf_get} — and with it the fixed lb API
     * handlers (vpp-wire.md §3.6: added in the same commit), whose {@code lb_vip_details} report
     * {@code flow_table_length} in the right byte order. Independent of the other v2 messages.
     */
    static boolean hasConfGet(VppSession session) {
        return session.client().supports(Messages.LB_CONF_GET);
    }

    /**
     * @param confGet   whether VPP has {@code lb_conf_get} (else the conf is left empty, and the
     *                  details' table length is not trusted)
     * @param frontends frontend name by VIP key
     */
    static LbState read(LbApi api, boolean confGet, Map<LbVip, String> frontends, CliParseWarnings warnings) {
        // All four go out before the first answer is awaited.
        CompletableFuture<Optional<LbConf>> conf = confGet ? api.lbConfGet().thenApply(Optional::of)
                : CompletableFuture.completedFuture(Optional.empty());
        LbApi.Tables tables = api.tables(); // on an old VPP the dumps share the one text
        Optional<LbConf> c = await(conf);
        List<LbVipDetails> v = await(tables.vips());
        List<AsEntry> a = await(tables.ases());
        return new LbState(c, merge(v, a, cliVips(tables.showLbVipsVerbose(), warnings), frontends, confGet));
    }

    /** The CLI part, best effort: what parsed; problems go to {@code warnings}. */
    private static List<CliVip> cliVips(CompletableFuture<String> cli, CliParseWarnings warnings) {
        String text;
        try {
            text = await(cli);
        } catch (VppApiException e) { // VPP refused the command: as if it printed nothing we can read
            warnings.report(SHOW_LB_VIPS_VERBOSE, List.of("VPP refused the command: " + e.getMessage()), -1);
            return List.of();
        }
        ShowLbVipsParser.BestEffort parsed = ShowLbVipsParser.parseVerboseBestEffort(text);
        if (!parsed.errors().isEmpty()) {
            warnings.report(SHOW_LB_VIPS_VERBOSE, parsed.errors().stream().map(Throwable::getMessage).toList(),
                    parsed.errors().size());
        }
        return parsed.vips();
    }

    /**
     * One view of the three answers: every VIP of the VIP dump (which lists live VIPs only), its
     * ASes from the AS dump (which also lists ASes of deleted VIPs, matched here by key; per
     * address an in-use entry wins) in {@link IpOrder}, the sticky flag, index, table size and
     * flow counts from the CLI block of the live VIP with that key. A VIP without a CLI block
     * gets the table size of its details when {@code detailsLengthTrusted} (0 when not: unknown):
     * the handlers before lb 1.2.0 byte-swap it (vpp-wire.md §3.6), and {@code lb_conf_get} came
     * with the fix.
     */
    static List<LbVipState> merge(List<LbVipDetails> vips, List<AsEntry> ases, List<CliVip> cli,
                                  Map<LbVip, String> frontends, boolean detailsLengthTrusted) {
        Map<LbVip, CliVip> cliByKey = new HashMap<>();
        for (CliVip c : cli) {
            if (!c.removed()) {
                cliByKey.put(c.key(), c);
            }
        }
        Map<LbVip, TreeMap<InetAddress, AsEntry>> asByVip = new LinkedHashMap<>();
        for (AsEntry a : ases) {
            asByVip.computeIfAbsent(a.vip(), k -> new TreeMap<>(IpOrder.ADDRESSES))
                    .merge(a.address(), a, (x, y) -> x.used() ? x : y);
        }
        List<LbVipState> out = new ArrayList<>(vips.size());
        for (LbVipDetails d : vips) {
            LbVip key = d.vip();
            CliVip c = cliByKey.get(key);
            Map<InetAddress, Long> flows = new HashMap<>();
            if (c != null) {
                for (CliAs a : c.ases()) {
                    if (a.used()) {
                        flows.put(a.address(), a.flows());
                    } else {
                        flows.putIfAbsent(a.address(), a.flows());
                    }
                }
            }
            List<LbAsState> list = new ArrayList<>();
            for (AsEntry a : asByVip.getOrDefault(key, new TreeMap<>(IpOrder.ADDRESSES)).values()) {
                Long f = flows.get(a.address());
                list.add(new LbAsState(a.address(), a.weight(), a.buckets(), a.inUseSince(), a.used(),
                        f == null ? OptionalLong.empty() : OptionalLong.of(f)));
            }
            int length = c != null ? c.newSize() : !detailsLengthTrusted ? 0
                    : d.flowTableLength() == 0 ? 65536 : d.flowTableLength();
            out.add(new LbVipState(key, d.encap(), length,
                    c == null ? Optional.empty() : Optional.of(c.srcIpSticky()),
                    c == null ? -1 : c.index(), list, Optional.ofNullable(frontends.get(key))));
        }
        return out;
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VppConnectionException("interrupted while reading the lb table", e);
        } catch (ExecutionException e) {
            VppException v = VppException.unwrap(e);
            throw v != null ? v : new VppProtocolException("reading the lb table failed: " + e.getCause(), e.getCause());
        }
    }
}
