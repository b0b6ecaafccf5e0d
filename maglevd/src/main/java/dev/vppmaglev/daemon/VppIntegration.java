package dev.vppmaglev.daemon;

import dev.vppmaglev.daemon.grpc.ProtoMapper;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.proto.SyncVPPLBStateResponse;
import dev.vppmaglev.proto.VIPCounters;
import dev.vppmaglev.proto.VPPInfo;
import dev.vppmaglev.proto.VPPLBAS;
import dev.vppmaglev.proto.VPPLBConf;
import dev.vppmaglev.proto.VPPLBCounters;
import dev.vppmaglev.proto.VPPLBState;
import dev.vppmaglev.proto.VPPLBVIP;
import dev.vppmaglev.vpp.StatsSessionPart;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionConfig;
import dev.vppmaglev.vpp.VppInfo;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.VppNotConnectedException;
import dev.vppmaglev.vpp.api.msg.LbConf;
import dev.vppmaglev.vpp.counters.CountedVip;
import dev.vppmaglev.vpp.counters.CountersLoop;
import dev.vppmaglev.vpp.counters.CountersSnapshot;
import dev.vppmaglev.vpp.counters.VipCounters;
import dev.vppmaglev.vpp.lb.LbAsState;
import dev.vppmaglev.vpp.lb.LbIndexListener;
import dev.vppmaglev.vpp.lb.LbReconciler;
import dev.vppmaglev.vpp.lb.LbState;
import dev.vppmaglev.vpp.lb.LbSyncException;
import dev.vppmaglev.vpp.lb.LbSyncObserver;
import dev.vppmaglev.vpp.lb.LbVipState;
import dev.vppmaglev.vpp.lb.SyncResult;
import dev.vppmaglev.vpp.stats.StatsOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The VPP side of the daemon: one shared connection (binary API + stats segment as one unit), the
 * lb reconciler on top of it, and the 5 s counters loop. Answers the VPP RPCs ({@link VppControl}).
 *
 * <p>Start order: connection, reconciler, counters; stop order is the reverse. The reconciler
 * registers its own health and connection listeners (the single path from health to VPP).
 */
final class VppIntegration implements VppControl, AutoCloseable {
    private final Path apiSocket;
    private final Path statsSocket;
    private final StatsSessionPart stats;
    private final VppConnection connection;
    private final LbReconciler reconciler;
    private final CountersLoop counters;
    private final Clock clock;

    /**
     * @param apiSocket   {@code --vpp-api-addr}
     * @param statsSocket {@code --vpp-stats-addr}; {@code null} = no stats segment
     * @param observer    counts every API message
     * @param syncs       counts lb sync changes
     * @param startedAt   process start (the warmup clock)
     */
    VppIntegration(Path apiSocket, Path statsSocket, Checker checker, ApiObserver observer, LbSyncObserver syncs,
                   Instant startedAt, Clock clock) {
        this.apiSocket = apiSocket;
        this.statsSocket = statsSocket;
        this.clock = clock;
        stats = statsSocket == null ? StatsSessionPart.disabled()
                : StatsSessionPart.unixSocket(statsSocket, StatsOptions.DEFAULT);
        connection = new VppConnection(VppConnectionConfig.defaults(apiSocket), observer, stats, clock);
        counters = new CountersLoop(connection, stats, CountedVip.fromLiveConfig(checker::config),
                CountersLoop.DEFAULT_INTERVAL, clock);
        // The reconciler's reads keep the counters' lb indexes current (no CLI scrape of their own);
        // after a failed sync the counters look them up again (a VIP may have moved unnoticed).
        LbIndexListener indexes = LbIndexListener.of(counters::lbIndexes, session -> counters.invalidate());
        reconciler = new LbReconciler(connection, checker, syncs, indexes, clock, startedAt);
    }

    void start() {
        connection.start();
        reconciler.start();
        counters.start();
    }

    /** What is known about VPP now (for metrics). */
    VppInfo vppInfo() {
        return connection.info();
    }

    /** VPP's boot time when connected and known. */
    Instant bootTime() {
        VppInfo i = connection.info();
        return i.connected() ? i.bootTime().orElse(null) : null;
    }

    Optional<CountersSnapshot> countersSnapshot() {
        return counters.snapshot();
    }

    /** {@code null} when ready for readiness probes, else why not. */
    String notReadyReason() {
        if (!reconciler.warmupDone()) {
            return "startup warmup (" + reconciler.warmupPhase().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        if (!connection.isConnected()) {
            return "VPP not connected (" + apiSocket + ")";
        }
        return null;
    }

    private VppUnavailableException notConnected() {
        return new VppUnavailableException("not connected to VPP at " + apiSocket
                + " (maglevd retries every " + VppConnectionConfig.DEFAULT_RECONNECT_INTERVAL.toSeconds() + " s)");
    }

    @Override
    public VPPInfo info() {
        VppInfo i = connection.info();
        if (!i.connected()) {
            throw notConnected();
        }
        return VPPInfo.newBuilder()
                .setVersion(i.version())
                .setBuildDate(i.buildDate())
                .setBuildDirectory(i.buildDirectory())
                .setPid(i.pid())
                .setBoottimeNs(i.bootTime().map(VppIntegration::nanos).orElse(0L))
                .setConnecttimeNs(nanos(i.connectedSince()))
                .setLbV2(i.lbV2Supported())
                .setDegradedReason(i.degradedReason())
                .setApiSocket(apiSocket.toString())
                .setStatsSocket(statsSocket == null ? "" : statsSocket.toString())
                .setStatsConnected(stats.segment().isPresent())
                .build();
    }

    @Override
    public VPPLBState lbState() {
        LbState s = call(reconciler::readState);
        VPPLBState.Builder b = VPPLBState.newBuilder();
        s.conf().ifPresent(c -> b.setConf(conf(c)));
        for (LbVipState v : s.vips()) {
            VPPLBVIP.Builder vb = VPPLBVIP.newBuilder()
                    .setPrefix(v.key().pfx().toString())
                    .setProtocol(v.key().protocol())
                    .setPort(v.key().port())
                    .setEncap(v.encap().keyword())
                    .setNewFlowsTableLength(v.newFlowsTableLength())
                    .setLbIndex(v.lbIndex())
                    .setFrontend(v.frontend().orElse(""));
            v.srcIpSticky().ifPresent(vb::setSrcIpSticky);
            for (LbAsState a : v.usedAses()) {
                vb.addAses(VPPLBAS.newBuilder()
                        .setAddress(ProtoMapper.address(a.address()))
                        .setWeight(a.weight().orElse(0))
                        .setNumBuckets(a.buckets().orElse(0))
                        .setInUseSinceS(a.inUseSince())
                        .setFlags(a.flags()));
            }
            b.addVips(vb);
        }
        return b.build();
    }

    private static VPPLBConf conf(LbConf c) {
        VPPLBConf.Builder b = VPPLBConf.newBuilder()
                .setStickyBucketsPerCore(c.stickyBucketsPerCore())
                .setFlowTimeoutS(c.flowTimeout());
        if (!isAllOnes(c.ip4SrcAddress())) {
            b.setIp4Src(ProtoMapper.address(c.ip4SrcAddress()));
        }
        if (!isAllOnes(c.ip6SrcAddress())) {
            b.setIp6Src(ProtoMapper.address(c.ip6SrcAddress()));
        }
        return b.build();
    }

    /** VPP reports an unset source address as all ones. */
    private static boolean isAllOnes(InetAddress a) {
        for (byte x : a.getAddress()) {
            if (x != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    @Override
    public SyncVPPLBStateResponse sync(String frontend) {
        SyncResult r = call(() -> frontend.isEmpty() ? reconciler.syncAll() : reconciler.syncFrontend(frontend));
        return SyncVPPLBStateResponse.newBuilder()
                .setVipAdded(r.vipAdded()).setVipRemoved(r.vipRemoved())
                .setAsAdded(r.asAdded()).setAsRemoved(r.asRemoved())
                .setAsWeightUpdated(r.asWeightUpdated()).build();
    }

    @Override
    public VPPLBCounters counters() {
        if (!connection.isConnected()) {
            throw notConnected();
        }
        if (!stats.enabled()) {
            throw new VppUnavailableException("VPP stats segment disabled (--vpp-stats-addr \"\")");
        }
        CountersSnapshot s = counters.snapshot().orElseThrow(() -> new VppUnavailableException(
                "no counters read yet (the stats segment is read every "
                        + CountersLoop.DEFAULT_INTERVAL.toSeconds() + " s)"));
        VPPLBCounters.Builder b = VPPLBCounters.newBuilder().setScrapedNs(nanos(s.scrapedAt()));
        for (VipCounters v : s.vips()) {
            b.addVips(VIPCounters.newBuilder()
                    .setPrefix(v.prefix().toString())
                    .setProtocol(v.protocol())
                    .setPort(v.port())
                    .setFirst(v.first()).setNext(v.next()).setUntracked(v.untracked()).setNoServer(v.noServer())
                    .setFibPackets(v.fibPackets()).setFibBytes(v.fibBytes())
                    .setFrontend(v.frontend()));
        }
        return b.build();
    }

    @Override
    public void requestSync(String frontend) {
        reconciler.requestSync(frontend);
    }

    /** Runs a VPP operation, turning "not connected" and VPP failures into UNAVAILABLE. */
    private <T> T call(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (VppNotConnectedException e) {
            throw notConnected();
        } catch (LbSyncException e) {
            throw new VppUnavailableException("sync incomplete: " + e.getMessage());
        } catch (VppException e) {
            throw new VppUnavailableException("VPP: " + e.getMessage());
        } catch (CompletionException e) {
            if (e.getCause() instanceof VppNotConnectedException) {
                throw notConnected();
            }
            if (e.getCause() instanceof VppException v) {
                throw new VppUnavailableException("VPP: " + v.getMessage());
            }
            throw e;
        }
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    public void close() {
        counters.close();
        reconciler.close();
        connection.close();
    }
}
