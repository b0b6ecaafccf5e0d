package dev.vppmaglev.daemon.grpc;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.PoolBackend;
import dev.vppmaglev.daemon.BuildInfo;
import dev.vppmaglev.daemon.ConfigManager;
import dev.vppmaglev.daemon.VppControl;
import dev.vppmaglev.daemon.events.EventHub;
import dev.vppmaglev.daemon.logging.LogLevel;
import dev.vppmaglev.daemon.logging.Logging;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.BackendStatus;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.FrontendState;
import dev.vppmaglev.health.UnknownNameException;
import dev.vppmaglev.proto.BackendInfo;
import dev.vppmaglev.proto.BackendRequest;
import dev.vppmaglev.proto.CheckConfigRequest;
import dev.vppmaglev.proto.CheckConfigResponse;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.FrontendInfo;
import dev.vppmaglev.proto.GetBackendRequest;
import dev.vppmaglev.proto.GetFrontendRequest;
import dev.vppmaglev.proto.GetHealthCheckRequest;
import dev.vppmaglev.proto.GetVPPInfoRequest;
import dev.vppmaglev.proto.GetVPPLBCountersRequest;
import dev.vppmaglev.proto.GetVPPLBStateRequest;
import dev.vppmaglev.proto.GetVersionRequest;
import dev.vppmaglev.proto.HealthCheckInfo;
import dev.vppmaglev.proto.ListBackendsRequest;
import dev.vppmaglev.proto.ListBackendsResponse;
import dev.vppmaglev.proto.ListFrontendsRequest;
import dev.vppmaglev.proto.ListFrontendsResponse;
import dev.vppmaglev.proto.ListHealthChecksRequest;
import dev.vppmaglev.proto.ListHealthChecksResponse;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.ReloadConfigRequest;
import dev.vppmaglev.proto.ReloadConfigResponse;
import dev.vppmaglev.proto.SetLogLevelRequest;
import dev.vppmaglev.proto.SetLogLevelResponse;
import dev.vppmaglev.proto.SetWeightRequest;
import dev.vppmaglev.proto.SyncVPPLBStateRequest;
import dev.vppmaglev.proto.SyncVPPLBStateResponse;
import dev.vppmaglev.proto.VPPInfo;
import dev.vppmaglev.proto.VPPLBCounters;
import dev.vppmaglev.proto.VPPLBState;
import dev.vppmaglev.proto.VersionInfo;
import dev.vppmaglev.proto.WatchRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code maglev.Maglev} gRPC service. Reads go to the checker's live state; mutations go
 * through the checker (backend actions, weights), the config manager (reload) and the VPP
 * control (sync). Errors map to status codes in {@link GrpcErrors}; nothing here lets an exception
 * reach the client as a stack trace.
 */
public final class MaglevService extends MaglevGrpc.MaglevImplBase {
    private static final Logger log = LoggerFactory.getLogger(MaglevService.class);
    /** The audit records: logged whatever the daemon's level (Logging.AUDIT). */
    private static final Logger AUDIT = LoggerFactory.getLogger(Logging.AUDIT);

    /** Undelivered events a WatchEvents client may have before it is cut off. */
    public static final int WATCH_QUEUE_CAPACITY = 4096;
    /** WatchEvents streams open at once; more are refused with RESOURCE_EXHAUSTED. */
    public static final int MAX_WATCHERS = 4096;
    /** How open and new WatchEvents streams end once {@link #endWatches()} ran. */
    static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription("maglevd is shutting down");

    private final Checker checker;
    private final ConfigManager configs;
    private final VppControl vpp;
    private final EventHub hub;
    private final Logging logging;
    private final BuildInfo build;
    private final Instant startedAt;
    private final Executor watchExecutor;
    private final Set<WatchStream> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    public MaglevService(Checker checker, ConfigManager configs, VppControl vpp, EventHub hub,
                         Logging logging, BuildInfo build, Instant startedAt, Executor watchExecutor) {
        this.checker = Objects.requireNonNull(checker);
        this.configs = Objects.requireNonNull(configs);
        this.vpp = Objects.requireNonNull(vpp);
        this.hub = Objects.requireNonNull(hub);
        this.logging = Objects.requireNonNull(logging);
        this.build = Objects.requireNonNull(build);
        this.startedAt = Objects.requireNonNull(startedAt);
        this.watchExecutor = Objects.requireNonNull(watchExecutor);
    }

    // ---------------------------------------------------------------- frontends

    @Override
    public void listFrontends(ListFrontendsRequest req, StreamObserver<ListFrontendsResponse> out) {
        GrpcErrors.unary(out, () -> {
            Checker.View view = checker.view(); // one consistent snapshot for every frontend
            ListFrontendsResponse.Builder b = ListFrontendsResponse.newBuilder();
            for (Frontend f : view.config().frontends().values()) {
                b.addFrontends(frontendInfo(f, view));
            }
            return b.build();
        });
    }

    @Override
    public void getFrontend(GetFrontendRequest req, StreamObserver<FrontendInfo> out) {
        GrpcErrors.unary(out, () -> {
            String name = GrpcErrors.name("name", req.getName());
            Checker.View view = checker.view();
            return frontendInfo(frontend(view, name), view);
        });
    }

    @Override
    public void setFrontendPoolBackendWeight(SetWeightRequest req, StreamObserver<FrontendInfo> out) {
        GrpcErrors.unary(out, () -> {
            String fe = GrpcErrors.name("frontend", req.getFrontend());
            String pool = GrpcErrors.name("pool", req.getPool());
            String be = GrpcErrors.name("backend", req.getBackend());
            if (Integer.compareUnsigned(req.getWeight(), PoolBackend.MAX_WEIGHT) > 0) { // uint32 on the wire
                throw new InvalidArgumentException("weight " + Integer.toUnsignedString(req.getWeight())
                        + " out of range 0.." + PoolBackend.MAX_WEIGHT);
            }
            Frontend before = frontend(fe);
            checker.setWeight(fe, pool, be, req.getWeight());
            var p = before.pool(pool);
            var member = p == null ? null : p.member(be);
            audit("SetFrontendPoolBackendWeight").addKeyValue("frontend", fe).addKeyValue("pool", pool)
                    .addKeyValue("backend", be)
                    .addKeyValue("from", member == null ? "" : Integer.toString(member.weight()))
                    .addKeyValue("to", Integer.toString(req.getWeight())).log();
            // No backend transition happens, so the reconciler would not notice: ask for a sync.
            vpp.requestSync(fe);
            Checker.View view = checker.view();
            return frontendInfo(frontend(view, fe), view);
        });
    }

    private Frontend frontend(String name) {
        return frontend(checker.view(), name);
    }

    private static Frontend frontend(Checker.View view, String name) {
        Frontend f = view.config().frontends().get(name);
        if (f == null) {
            throw new UnknownNameException("frontend", name);
        }
        return f;
    }

    private static FrontendInfo frontendInfo(Frontend f, Checker.View view) {
        FrontendState state = view.frontends().getOrDefault(f.name(), FrontendState.UNKNOWN);
        return ProtoMapper.frontend(f, state, view::state);
    }

    // ---------------------------------------------------------------- backends

    @Override
    public void listBackends(ListBackendsRequest req, StreamObserver<ListBackendsResponse> out) {
        GrpcErrors.unary(out, () -> {
            ListBackendsResponse.Builder b = ListBackendsResponse.newBuilder();
            for (BackendStatus s : checker.statuses()) {
                b.addBackends(ProtoMapper.backend(s));
            }
            return b.build();
        });
    }

    @Override
    public void getBackend(GetBackendRequest req, StreamObserver<BackendInfo> out) {
        GrpcErrors.unary(out, () -> ProtoMapper.backend(checker.status(GrpcErrors.name("name", req.getName()))));
    }

    @Override
    public void pauseBackend(BackendRequest req, StreamObserver<BackendInfo> out) {
        GrpcErrors.unary(out, () -> backendAction("PauseBackend", req.getName(), checker::pause));
    }

    @Override
    public void resumeBackend(BackendRequest req, StreamObserver<BackendInfo> out) {
        GrpcErrors.unary(out, () -> backendAction("ResumeBackend", req.getName(), checker::resume));
    }

    @Override
    public void enableBackend(BackendRequest req, StreamObserver<BackendInfo> out) {
        GrpcErrors.unary(out, () -> backendAction("EnableBackend", req.getName(), checker::enable));
    }

    @Override
    public void disableBackend(BackendRequest req, StreamObserver<BackendInfo> out) {
        GrpcErrors.unary(out, () -> backendAction("DisableBackend", req.getName(), checker::disable));
    }

    private BackendInfo backendAction(String method, String rawName, java.util.function.Function<String, BackendStatus> action) {
        String name = GrpcErrors.name("name", rawName);
        BackendState before = checker.state(name);
        BackendStatus after = action.apply(name);
        audit(method).addKeyValue("backend", name).addKeyValue("from", before.keyword())
                .addKeyValue("to", after.state().keyword()).log();
        return ProtoMapper.backend(after);
    }

    /**
     * The audit record of a mutating RPC: INFO {@code grpc-mutation} with the method and the caller
     * (socket, address or certificate subject); callers add what changed. Streamed to WatchEvents
     * log subscribers like every log record.
     */
    private static org.slf4j.spi.LoggingEventBuilder audit(String method) {
        return AUDIT.atInfo().setMessage("grpc-mutation").addKeyValue("method", method)
                .addKeyValue("peer", Peer.current().describe());
    }

    // ---------------------------------------------------------------- health checks

    @Override
    public void listHealthChecks(ListHealthChecksRequest req, StreamObserver<ListHealthChecksResponse> out) {
        GrpcErrors.unary(out, () -> {
            Config c = checker.config();
            ListHealthChecksResponse.Builder b = ListHealthChecksResponse.newBuilder();
            for (HealthCheck h : c.healthchecks().values()) {
                b.addHealthchecks(healthCheckInfo(c, h));
            }
            return b.build();
        });
    }

    @Override
    public void getHealthCheck(GetHealthCheckRequest req, StreamObserver<HealthCheckInfo> out) {
        GrpcErrors.unary(out, () -> {
            String name = GrpcErrors.name("name", req.getName());
            Config c = checker.config();
            HealthCheck h = c.healthchecks().get(name);
            if (h == null) {
                throw new UnknownNameException("healthcheck", name);
            }
            return healthCheckInfo(c, h);
        });
    }

    private static HealthCheckInfo healthCheckInfo(Config c, HealthCheck h) {
        List<String> users = c.backendsUsing(h.name()).stream().map(b -> b.name()).toList();
        return ProtoMapper.healthCheck(h, users);
    }

    // ---------------------------------------------------------------- events

    @Override
    public void watchEvents(WatchRequest req, StreamObserver<Event> out) {
        EventHub.Filter filter;
        try {
            filter = filterOf(req);
        } catch (InvalidArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        if (hub.subscriberCount() >= MAX_WATCHERS) {
            out.onError(Status.RESOURCE_EXHAUSTED.withDescription("too many WatchEvents streams open ("
                    + MAX_WATCHERS + "); close some and retry").asRuntimeException());
            return;
        }
        ServerCallStreamObserver<Event> call = (ServerCallStreamObserver<Event>) out;
        WatchStream stream = new WatchStream(call, watchExecutor, watches::remove);
        // Registered before the flag is read, endWatches() sets the flag before it looks: a stream
        // starting during shutdown is either refused here or ended there.
        watches.add(stream);
        if (shuttingDown) {
            watches.remove(stream);
            out.onError(SHUTTING_DOWN.asRuntimeException());
            return;
        }
        // Subscribe while the checker cannot publish a transition: the snapshot comes first, every
        // later transition after it. Lock order is always checker -> hub (the checker publishes
        // under its lock), never the reverse.
        EventHub.Subscription sub = checker.withFrontendStates(states -> {
            List<Event> snapshot = new ArrayList<>(states.size());
            Instant now = Instant.now();
            for (Map.Entry<String, FrontendState> e : states.entrySet()) {
                snapshot.add(ProtoMapper.frontendEvent(e.getKey(), e.getValue(), e.getValue(), now));
            }
            return hub.subscribe(filter, WATCH_QUEUE_CAPACITY, snapshot, stream::drainSoon, stream::overflow);
        });
        stream.start(sub);
    }

    /**
     * Ends every open WatchEvents stream with UNAVAILABLE "maglevd is shutting down" (what maglevc
     * prints as its one error line) and refuses new ones the same way. The daemon calls it just
     * before the gRPC server shuts down (behaviour.md §1.2: active streams are closed), so the
     * server's drain does not wait on streams that would never end by themselves. Returns at
     * once; queued events are still written while the transport takes them.
     */
    public void endWatches() {
        shuttingDown = true;
        for (WatchStream w : watches) {
            w.end(SHUTTING_DOWN);
        }
    }

    /** WatchEvents streams open now (started and not yet ended). */
    public int openWatches() {
        return watches.size();
    }

    private static LogLevel logLevel(String s) {
        try {
            return LogLevel.parse(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
    }

    /** The request's filter; no kind selected means every kind. */
    static EventHub.Filter filterOf(WatchRequest req) {
        LogLevel level = req.getLogLevel().isEmpty() ? LogLevel.INFO : logLevel(req.getLogLevel());
        boolean all = !req.getLog() && !req.getBackend() && !req.getFrontend();
        return new EventHub.Filter(all || req.getLog(), level, all || req.getBackend(), all || req.getFrontend());
    }

    // ---------------------------------------------------------------- config

    @Override
    public void checkConfig(CheckConfigRequest req, StreamObserver<CheckConfigResponse> out) {
        GrpcErrors.unary(out, () -> {
            ConfigManager.Outcome o = configs.check();
            return CheckConfigResponse.newBuilder().setOk(o.ok())
                    .setParseError(o.parseError()).setSemanticError(o.semanticError()).build();
        });
    }

    @Override
    public void reloadConfig(ReloadConfigRequest req, StreamObserver<ReloadConfigResponse> out) {
        GrpcErrors.unary(out, () -> {
            ConfigManager.Outcome o = configs.reload("grpc");
            audit("ReloadConfig").addKeyValue("ok", o.ok()).log();
            return ReloadConfigResponse.newBuilder().setOk(o.ok())
                    .setParseError(o.parseError()).setSemanticError(o.semanticError()).build();
        });
    }

    // ---------------------------------------------------------------- VPP

    @Override
    public void getVPPInfo(GetVPPInfoRequest req, StreamObserver<VPPInfo> out) {
        GrpcErrors.unary(out, vpp::info);
    }

    @Override
    public void getVPPLBState(GetVPPLBStateRequest req, StreamObserver<VPPLBState> out) {
        GrpcErrors.unary(out, vpp::lbState);
    }

    @Override
    public void syncVPPLBState(SyncVPPLBStateRequest req, StreamObserver<SyncVPPLBStateResponse> out) {
        GrpcErrors.unary(out, () -> {
            String fe = req.getFrontend();
            if (!fe.isEmpty()) {
                frontend(GrpcErrors.name("frontend", fe));
            }
            SyncVPPLBStateResponse r = vpp.sync(fe);
            audit("SyncVPPLBState").addKeyValue("frontend", fe.isEmpty() ? "(all)" : fe)
                    .addKeyValue("vip_added", r.getVipAdded()).addKeyValue("vip_removed", r.getVipRemoved())
                    .addKeyValue("as_added", r.getAsAdded()).addKeyValue("as_removed", r.getAsRemoved())
                    .addKeyValue("as_weight_updated", r.getAsWeightUpdated()).log();
            return r;
        });
    }

    @Override
    public void getVPPLBCounters(GetVPPLBCountersRequest req, StreamObserver<VPPLBCounters> out) {
        GrpcErrors.unary(out, vpp::counters);
    }

    // ---------------------------------------------------------------- misc

    @Override
    public void setLogLevel(SetLogLevelRequest req, StreamObserver<SetLogLevelResponse> out) {
        GrpcErrors.unary(out, () -> {
            LogLevel level = logLevel(req.getLevel());
            LogLevel prev = logging.setLevel(level);
            audit("SetLogLevel").addKeyValue("from", prev.keyword()).addKeyValue("to", level.keyword()).log();
            return SetLogLevelResponse.newBuilder().setPrevious(prev.keyword()).setLevel(level.keyword()).build();
        });
    }

    @Override
    public void getVersion(GetVersionRequest req, StreamObserver<VersionInfo> out) {
        GrpcErrors.unary(out, () -> VersionInfo.newBuilder()
                .setVersion(build.version())
                .setCommit(build.commit())
                .setDate(build.date())
                .setStartTimeNs(startedAt.getEpochSecond() * 1_000_000_000L + startedAt.getNano())
                .build());
    }
}
