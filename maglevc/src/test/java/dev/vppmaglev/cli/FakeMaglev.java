package dev.vppmaglev.cli;

import dev.vppmaglev.proto.BackendEvent;
import dev.vppmaglev.proto.BackendInfo;
import dev.vppmaglev.proto.BackendRequest;
import dev.vppmaglev.proto.BackendState;
import dev.vppmaglev.proto.CheckConfigRequest;
import dev.vppmaglev.proto.CheckConfigResponse;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.FrontendEvent;
import dev.vppmaglev.proto.FrontendInfo;
import dev.vppmaglev.proto.FrontendState;
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
import dev.vppmaglev.proto.LogEvent;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.PoolBackendInfo;
import dev.vppmaglev.proto.PoolInfo;
import dev.vppmaglev.proto.ReloadConfigRequest;
import dev.vppmaglev.proto.ReloadConfigResponse;
import dev.vppmaglev.proto.SetLogLevelRequest;
import dev.vppmaglev.proto.SetLogLevelResponse;
import dev.vppmaglev.proto.SetWeightRequest;
import dev.vppmaglev.proto.SyncVPPLBStateRequest;
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
import dev.vppmaglev.proto.WatchRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A maglevd stand-in with realistic state: three frontends (IPv4 tcp with a fallback pool, IPv6
 * tcp, udp with a paused and an unknown backend), six backends in every state, four health
 * checks, a connected VPP with lb v2, three VIPs with ASes and counters, and a WatchEvents stream
 * that replays frontend states and then live events. Operator actions change the state; names
 * that do not exist answer NOT_FOUND with the daemon's wording.
 */
final class FakeMaglev extends MaglevGrpc.MaglevImplBase {

    /** "Now" of the canned data; tests print with a clock fixed here. */
    final Instant now;
    private final Map<String, BackendInfo> backends = new LinkedHashMap<>();
    private final Map<String, FrontendInfo> frontends = new LinkedHashMap<>();
    private final Map<String, HealthCheckInfo> healthchecks = new LinkedHashMap<>();
    private final List<StreamObserver<Event>> watchers = new CopyOnWriteArrayList<>();
    private final List<Event> liveEvents = new ArrayList<>();
    private volatile boolean vppConnected = true;
    private volatile String configError = "";
    private volatile String logLevel = "info";
    final AtomicInteger watchCancels = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    FakeMaglev(Instant now) {
        this.now = now;
        healthcheck("http", "http", 80, 2000, 1000, 5000, 1000, 2, 3,
                Map.of("path", "/healthz", "host", "www.example.com", "expect-status", "200-399"),
                "nginx0", "nginx1", "nginx2");
        healthcheck("tls", "https", 443, 5000, 2000, 10_000, 2500, 3, 2,
                Map.of("path", "/", "server-name", "www.example.com"), "nginx3");
        healthcheck("ping", "icmp", 0, 1000, 500, 5000, 750, 1, 1, Map.of());
        healthcheck("dns-tcp", "tcp", 53, 1500, 1500, 60_000, 1000, 2, 2, Map.of(), "dns0", "dns1");

        backend("nginx0", "10.0.0.1", BackendState.BACKEND_STATE_UP, true, "http", 4, 4, "L7OK", "HTTP 200",
                ago(Duration.ofHours(1).plusMinutes(12)), List.of("web", "web6"),
                transition(BackendState.BACKEND_STATE_UNKNOWN, BackendState.BACKEND_STATE_UP,
                        ago(Duration.ofHours(1).plusMinutes(12)), "L7OK", "HTTP 200"));
        backend("nginx1", "10.0.0.2", BackendState.BACKEND_STATE_DOWN, true, "http", 0, 4, "L4CON",
                "connection refused", ago(Duration.ofMinutes(10).plusSeconds(30)), List.of("web"),
                transition(BackendState.BACKEND_STATE_UNKNOWN, BackendState.BACKEND_STATE_UP,
                        ago(Duration.ofDays(1).plusHours(16)), "L7OK", "HTTP 200"),
                transition(BackendState.BACKEND_STATE_UP, BackendState.BACKEND_STATE_DOWN,
                        ago(Duration.ofMinutes(10).plusSeconds(30)), "L4CON", "connection refused"));
        backend("nginx2", "10.0.0.3", BackendState.BACKEND_STATE_UP, true, "http", 4, 4, "L7OK", "HTTP 200",
                ago(Duration.ofDays(1).plusHours(16)), List.of("web"));
        backend("nginx3", "2001:db8:1::4", BackendState.BACKEND_STATE_DISABLED, false, "tls", 0, 4, "disabled", "",
                ago(Duration.ofSeconds(45)), List.of("web6"),
                transition(BackendState.BACKEND_STATE_UP, BackendState.BACKEND_STATE_DISABLED,
                        ago(Duration.ofSeconds(45)), "disabled", "operator"));
        backend("dns0", "10.0.1.1", BackendState.BACKEND_STATE_PAUSED, true, "dns-tcp", 2, 3, "paused", "",
                ago(Duration.ofHours(2)), List.of("dns"));
        backend("dns1", "10.0.1.2", BackendState.BACKEND_STATE_UNKNOWN, true, "dns-tcp", 1, 3, "", "", 0,
                List.of("dns"));

        frontends.put("web", FrontendInfo.newBuilder().setName("web").setAddress("192.0.2.1").setProtocol("tcp")
                .setPort(80).setDescription("public web site").setFlushOnDown(true)
                .setState(FrontendState.FRONTEND_STATE_UP).setActivePool("primary")
                .addPools(pool("primary", true, pb("nginx0", 100, 100), pb("nginx1", 100, 0)))
                .addPools(pool("fallback", false, pb("nginx2", 50, 0)))
                .build());
        frontends.put("web6", FrontendInfo.newBuilder().setName("web6").setAddress("2001:db8::1").setProtocol("tcp")
                .setPort(443).setSrcIpSticky(true).setFlushOnDown(true)
                .setState(FrontendState.FRONTEND_STATE_UP).setActivePool("main")
                .addPools(pool("main", true, pb("nginx0", 100, 100), pb("nginx3", 100, 0)))
                .build());
        frontends.put("dns", FrontendInfo.newBuilder().setName("dns").setAddress("192.0.2.53").setProtocol("udp")
                .setPort(53).setFlushOnDown(false)
                .setState(FrontendState.FRONTEND_STATE_DOWN).setActivePool("main")
                .addPools(pool("main", true, pb("dns0", 100, 0), pb("dns1", 100, 0)))
                .build());

        liveEvents.add(Event.newBuilder().setTimeNs(ns(now.plusMillis(1500))).setBackend(BackendEvent.newBuilder()
                .setName("nginx1").setFrom(BackendState.BACKEND_STATE_DOWN).setTo(BackendState.BACKEND_STATE_UP)
                .setCode("L7OK").setDetail("HTTP 200")).build());
        liveEvents.add(Event.newBuilder().setTimeNs(ns(now.plusMillis(1501))).setLog(LogEvent.newBuilder()
                .setLevel("info").setMsg("backend-transition").putAttrs("backend", "nginx1").putAttrs("from", "down")
                .putAttrs("to", "up")).build());
        liveEvents.add(Event.newBuilder().setTimeNs(ns(now.plusMillis(1502))).setLog(LogEvent.newBuilder()
                .setLevel("debug").setMsg("probe-done").putAttrs("backend", "nginx0").putAttrs("code", "L7OK")
                .putAttrs("detail", "HTTP 200 in 1.2ms")).build());
        liveEvents.add(Event.newBuilder().setTimeNs(ns(now.plusMillis(2000))).setFrontend(FrontendEvent.newBuilder()
                .setName("dns").setFrom(FrontendState.FRONTEND_STATE_DOWN).setTo(FrontendState.FRONTEND_STATE_UP))
                .build());
    }

    // ------------------------------------------------------------------ knobs for tests

    void vppConnected(boolean connected) {
        vppConnected = connected;
    }

    /** Makes config check / reload report this error ("" = ok). */
    void configError(String error) {
        configError = error;
    }

    /** Sends an event to every watcher now. */
    void emit(Event e) {
        for (StreamObserver<Event> w : watchers) {
            synchronized (w) {
                w.onNext(e);
            }
        }
    }

    int watchers() {
        return watchers.size();
    }

    // ------------------------------------------------------------------ data helpers

    long ns(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private long ago(Duration d) {
        return ns(now.minus(d));
    }

    private static Transition transition(BackendState from, BackendState to, long timeNs, String code, String detail) {
        return Transition.newBuilder().setFrom(from).setTo(to).setTimeNs(timeNs).setCode(code).setDetail(detail).build();
    }

    private void healthcheck(String name, String type, int port, long interval, long fast, long down, long timeout,
            int rise, int fall, Map<String, String> params, String... users) {
        healthchecks.put(name, HealthCheckInfo.newBuilder().setName(name).setType(type).setPort(port)
                .setIntervalMs(interval).setFastIntervalMs(fast).setDownIntervalMs(down).setTimeoutMs(timeout)
                .setRise(rise).setFall(fall).putAllParams(params).addAllBackends(List.of(users))
                .setProbeIpv4Src(type.equals("icmp") ? "192.0.2.250" : "").build());
    }

    private void backend(String name, String address, BackendState state, boolean enabled, String check, int counter,
            int max, String code, String detail, long since, List<String> fes, Transition... history) {
        BackendInfo.Builder b = BackendInfo.newBuilder().setName(name).setAddress(address).setState(state)
                .setEnabled(enabled).setHealthcheck(check).setHealthCounter(counter).setHealthMax(max)
                .setLastCode(code).setLastDetail(detail).setLastTransitionNs(since).addAllFrontends(fes)
                .addAllTransitions(List.of(history));
        HealthCheckInfo hc = healthchecks.get(check);
        b.setRise(hc.getRise()).setFall(hc.getFall());
        if (state == BackendState.BACKEND_STATE_UP || state == BackendState.BACKEND_STATE_DOWN) {
            b.setLastProbeNs(ago(Duration.ofSeconds(3))).setLastProbeDurationNs(1_234_000);
        }
        backends.put(name, b.build());
    }

    private PoolInfo pool(String name, boolean active, PoolBackendInfo... members) {
        return PoolInfo.newBuilder().setName(name).setActive(active).addAllBackends(List.of(members)).build();
    }

    private PoolBackendInfo pb(String name, int weight, int effective) {
        return PoolBackendInfo.newBuilder().setName(name).setWeight(weight).setEffectiveWeight(effective)
                .setFlush(true).setState(backends.get(name).getState()).build();
    }

    private static <T> boolean notFound(StreamObserver<T> out, String kind, String name) {
        out.onError(Status.NOT_FOUND.withDescription(kind + " \"" + name + "\" not found").asRuntimeException());
        return true;
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    // ------------------------------------------------------------------ RPCs

    @Override
    public void getVersion(GetVersionRequest request, StreamObserver<VersionInfo> out) {
        calls.incrementAndGet();
        reply(out, VersionInfo.newBuilder().setVersion("1.0.2").setCommit("70167439").setDate("2026-04-15")
                .setStartTimeNs(ago(Duration.ofDays(3).plusHours(4))).build());
    }

    @Override
    public void listFrontends(ListFrontendsRequest request, StreamObserver<ListFrontendsResponse> out) {
        calls.incrementAndGet();
        reply(out, ListFrontendsResponse.newBuilder().addAllFrontends(frontends.values()).build());
    }

    @Override
    public void getFrontend(GetFrontendRequest request, StreamObserver<FrontendInfo> out) {
        calls.incrementAndGet();
        FrontendInfo f = frontends.get(request.getName());
        if (f == null) {
            notFound(out, "frontend", request.getName());
            return;
        }
        reply(out, f);
    }

    @Override
    public void listBackends(ListBackendsRequest request, StreamObserver<ListBackendsResponse> out) {
        calls.incrementAndGet();
        reply(out, ListBackendsResponse.newBuilder().addAllBackends(backends.values()).build());
    }

    @Override
    public void getBackend(GetBackendRequest request, StreamObserver<BackendInfo> out) {
        calls.incrementAndGet();
        BackendInfo b = backends.get(request.getName());
        if (b == null) {
            notFound(out, "backend", request.getName());
            return;
        }
        reply(out, b);
    }

    @Override
    public void pauseBackend(BackendRequest request, StreamObserver<BackendInfo> out) {
        transition(request.getName(), BackendState.BACKEND_STATE_PAUSED, true, out);
    }

    @Override
    public void resumeBackend(BackendRequest request, StreamObserver<BackendInfo> out) {
        transition(request.getName(), BackendState.BACKEND_STATE_UNKNOWN, true, out);
    }

    @Override
    public void enableBackend(BackendRequest request, StreamObserver<BackendInfo> out) {
        transition(request.getName(), BackendState.BACKEND_STATE_UNKNOWN, false, out);
    }

    @Override
    public void disableBackend(BackendRequest request, StreamObserver<BackendInfo> out) {
        transition(request.getName(), BackendState.BACKEND_STATE_DISABLED, false, out);
    }

    private synchronized void transition(String name, BackendState to, boolean refuseDisabled,
            StreamObserver<BackendInfo> out) {
        calls.incrementAndGet();
        BackendInfo b = backends.get(name);
        if (b == null) {
            notFound(out, "backend", name);
            return;
        }
        if (refuseDisabled && b.getState() == BackendState.BACKEND_STATE_DISABLED) {
            out.onError(Status.FAILED_PRECONDITION
                    .withDescription("backend \"" + name + "\" is disabled; enable it first").asRuntimeException());
            return;
        }
        BackendInfo updated = b.toBuilder().setState(to).setEnabled(to != BackendState.BACKEND_STATE_DISABLED).build();
        backends.put(name, updated);
        reply(out, updated);
    }

    @Override
    public void listHealthChecks(ListHealthChecksRequest request, StreamObserver<ListHealthChecksResponse> out) {
        calls.incrementAndGet();
        reply(out, ListHealthChecksResponse.newBuilder().addAllHealthchecks(healthchecks.values()).build());
    }

    @Override
    public void getHealthCheck(GetHealthCheckRequest request, StreamObserver<HealthCheckInfo> out) {
        calls.incrementAndGet();
        HealthCheckInfo h = healthchecks.get(request.getName());
        if (h == null) {
            notFound(out, "healthcheck", request.getName());
            return;
        }
        reply(out, h);
    }

    @Override
    public synchronized void setFrontendPoolBackendWeight(SetWeightRequest r, StreamObserver<FrontendInfo> out) {
        calls.incrementAndGet();
        FrontendInfo f = frontends.get(r.getFrontend());
        if (f == null) {
            notFound(out, "frontend", r.getFrontend());
            return;
        }
        if (r.getWeight() > 100) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("weight " + r.getWeight() + " is out of range 0..100")
                    .asRuntimeException());
            return;
        }
        FrontendInfo.Builder fb = f.toBuilder();
        for (PoolInfo.Builder p : fb.getPoolsBuilderList()) {
            if (!p.getName().equals(r.getPool())) {
                continue;
            }
            for (PoolBackendInfo.Builder b : p.getBackendsBuilderList()) {
                if (b.getName().equals(r.getBackend())) {
                    b.setWeight(r.getWeight());
                    if (p.getActive() && b.getState() == BackendState.BACKEND_STATE_UP) {
                        b.setEffectiveWeight(r.getWeight());
                    }
                    FrontendInfo updated = fb.build();
                    frontends.put(f.getName(), updated);
                    reply(out, updated);
                    return;
                }
            }
            notFound(out, "backend", r.getBackend() + "\" in pool \"" + r.getPool());
            return;
        }
        notFound(out, "pool", r.getPool() + "\" of frontend \"" + r.getFrontend());
    }

    @Override
    public void watchEvents(WatchRequest request, StreamObserver<Event> out) {
        calls.incrementAndGet();
        ServerCallStreamObserver<Event> server = (ServerCallStreamObserver<Event>) out;
        boolean all = !request.getLog() && !request.getBackend() && !request.getFrontend();
        int minLevel = Commands.LEVELS.indexOf(request.getLogLevel().isEmpty() ? "info" : request.getLogLevel());
        StreamObserver<Event> filtered = new StreamObserver<>() {
            @Override
            public void onNext(Event e) {
                boolean wanted = switch (e.getEventCase()) {
                    case LOG -> (all || request.getLog()) && Commands.LEVELS.indexOf(e.getLog().getLevel()) >= minLevel;
                    case BACKEND -> all || request.getBackend();
                    case FRONTEND -> all || request.getFrontend();
                    case EVENT_NOT_SET -> false;
                };
                if (wanted && !server.isCancelled()) {
                    server.onNext(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                server.onError(t);
            }

            @Override
            public void onCompleted() {
                server.onCompleted();
            }
        };
        server.setOnCancelHandler(() -> {
            watchers.remove(filtered);
            watchCancels.incrementAndGet();
        });
        synchronized (filtered) {
            for (FrontendInfo f : frontends.values()) {
                filtered.onNext(Event.newBuilder().setTimeNs(ns(now)).setFrontend(FrontendEvent.newBuilder()
                        .setName(f.getName()).setFrom(f.getState()).setTo(f.getState())).build());
            }
            for (Event e : liveEvents) {
                filtered.onNext(e);
            }
            watchers.add(filtered);
        }
    }

    @Override
    public void checkConfig(CheckConfigRequest request, StreamObserver<CheckConfigResponse> out) {
        calls.incrementAndGet();
        String error = configError;
        reply(out, CheckConfigResponse.newBuilder().setOk(error.isEmpty()).setSemanticError(error).build());
    }

    @Override
    public void reloadConfig(ReloadConfigRequest request, StreamObserver<ReloadConfigResponse> out) {
        calls.incrementAndGet();
        String error = configError;
        reply(out, ReloadConfigResponse.newBuilder().setOk(error.isEmpty()).setSemanticError(error).build());
    }

    @Override
    public void getVPPInfo(GetVPPInfoRequest request, StreamObserver<VPPInfo> out) {
        calls.incrementAndGet();
        if (!vppConnected) {
            out.onError(Status.UNAVAILABLE.withDescription("VPP is not connected").asRuntimeException());
            return;
        }
        reply(out, VPPInfo.newBuilder().setVersion("26.10-rc0~37-gb575ec2c").setBuildDate("2026-11-02T10:11:12")
                .setBuildDirectory("/home/vpp/build-root").setPid(4242)
                .setBoottimeNs(ago(Duration.ofDays(2).plusHours(3))).setConnecttimeNs(ago(Duration.ofMinutes(10).plusSeconds(30)))
                .setLbV2(true).setApiSocket("/run/vpp/api.sock").setStatsSocket("/run/vpp/stats.sock")
                .setStatsConnected(true).build());
    }

    @Override
    public void getVPPLBState(GetVPPLBStateRequest request, StreamObserver<VPPLBState> out) {
        calls.incrementAndGet();
        if (!vppConnected) {
            out.onError(Status.UNAVAILABLE.withDescription("VPP is not connected").asRuntimeException());
            return;
        }
        reply(out, VPPLBState.newBuilder()
                .setConf(VPPLBConf.newBuilder().setIp4Src("192.0.2.254").setIp6Src("2001:db8::fe")
                        .setStickyBucketsPerCore(65536).setFlowTimeoutS(40))
                .addVips(VPPLBVIP.newBuilder().setPrefix("192.0.2.1/32").setProtocol(6).setPort(80).setEncap("gre4")
                        .setNewFlowsTableLength(1024).setSrcIpSticky(false).setLbIndex(0).setFrontend("web")
                        .addAses(as("10.0.0.1/32", 100, 1024)).addAses(as("10.0.0.2/32", 0, 0))
                        .addAses(as("10.0.0.3/32", 0, 0)))
                .addVips(VPPLBVIP.newBuilder().setPrefix("2001:db8::1/128").setProtocol(6).setPort(443).setEncap("gre6")
                        .setNewFlowsTableLength(1024).setSrcIpSticky(true).setLbIndex(1).setFrontend("web6")
                        .addAses(as("10.0.0.1/32", 100, 1024)).addAses(as("2001:db8:1::4/128", 0, 0)))
                .addVips(VPPLBVIP.newBuilder().setPrefix("192.0.2.53/32").setProtocol(17).setPort(53).setEncap("gre4")
                        .setNewFlowsTableLength(1024).setSrcIpSticky(false).setLbIndex(2).setFrontend("dns"))
                .addVips(VPPLBVIP.newBuilder().setPrefix("198.51.100.0/24").setProtocol(255).setPort(0)
                        .setEncap("l3dsr").setLbIndex(-1)) // its CLI block did not parse: sticky unknown
                .build());
    }

    private static VPPLBAS as(String address, int weight, int buckets) {
        return VPPLBAS.newBuilder().setAddress(address).setWeight(weight).setNumBuckets(buckets)
                .setInUseSinceS(12.5).build();
    }

    @Override
    public void syncVPPLBState(SyncVPPLBStateRequest request, StreamObserver<SyncVPPLBStateResponse> out) {
        calls.incrementAndGet();
        if (!request.getFrontend().isEmpty() && !frontends.containsKey(request.getFrontend())) {
            notFound(out, "frontend", request.getFrontend());
            return;
        }
        reply(out, request.getFrontend().isEmpty()
                ? SyncVPPLBStateResponse.newBuilder().setVipRemoved(1).setAsAdded(2).setAsWeightUpdated(3).build()
                : SyncVPPLBStateResponse.newBuilder().setAsWeightUpdated(1).build());
    }

    @Override
    public void getVPPLBCounters(GetVPPLBCountersRequest request, StreamObserver<VPPLBCounters> out) {
        calls.incrementAndGet();
        reply(out, VPPLBCounters.newBuilder().setScrapedNs(ns(now))
                .addVips(VIPCounters.newBuilder().setPrefix("192.0.2.1/32").setProtocol(6).setPort(80).setFirst(1200)
                        .setNext(98_765_432L).setUntracked(3).setNoServer(0).setFibPackets(98_766_635L)
                        .setFibBytes(123_456_789_012L).setFrontend("web"))
                .addVips(VIPCounters.newBuilder().setPrefix("2001:db8::1/128").setProtocol(6).setPort(443).setFirst(7)
                        .setNext(4242).setFibPackets(4249).setFibBytes(5_120_000).setFrontend("web6"))
                .addVips(VIPCounters.newBuilder().setPrefix("192.0.2.53/32").setProtocol(17).setPort(53)
                        .setNoServer(-1L).setFrontend("dns"))
                .build());
    }

    @Override
    public void setLogLevel(SetLogLevelRequest request, StreamObserver<SetLogLevelResponse> out) {
        calls.incrementAndGet();
        String previous = logLevel;
        logLevel = request.getLevel();
        reply(out, SetLogLevelResponse.newBuilder().setPrevious(previous).setLevel(request.getLevel()).build());
    }
}
