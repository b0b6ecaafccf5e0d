package dev.vppmaglev.daemon.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vppmaglev.config.ConfigLoader;
import dev.vppmaglev.daemon.BuildInfo;
import dev.vppmaglev.daemon.ConfigManager;
import dev.vppmaglev.daemon.VppControl;
import dev.vppmaglev.daemon.events.EventHub;
import dev.vppmaglev.daemon.logging.LogLevel;
import dev.vppmaglev.daemon.logging.Logging;
import dev.vppmaglev.daemon.logging.SlogEncoder;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.health.Prober;
import dev.vppmaglev.proto.BackendRequest;
import dev.vppmaglev.proto.BackendState;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.FrontendInfo;
import dev.vppmaglev.proto.FrontendState;
import dev.vppmaglev.proto.GetBackendRequest;
import dev.vppmaglev.proto.GetFrontendRequest;
import dev.vppmaglev.proto.GetHealthCheckRequest;
import dev.vppmaglev.proto.GetVPPInfoRequest;
import dev.vppmaglev.proto.HealthCheckInfo;
import dev.vppmaglev.proto.ListBackendsRequest;
import dev.vppmaglev.proto.ListFrontendsRequest;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.ReloadConfigRequest;
import dev.vppmaglev.proto.ReloadConfigResponse;
import dev.vppmaglev.proto.SetLogLevelRequest;
import dev.vppmaglev.proto.SetWeightRequest;
import dev.vppmaglev.proto.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC service over an in-process channel, with a real checker driven by a prober whose
 * answers the test sets per backend address.
 */
class MaglevServiceTest {
    static final String CONFIG = """
            maglev:
              healthchecks:
                hc:
                  type: tcp
                  port: 80
                  interval: 100ms
                  rise: 1
                  fall: 1
              backends:
                a: { address: 10.0.0.1, healthcheck: hc }
                b: { address: 10.0.0.2, healthcheck: hc }
                c: { address: 10.0.0.3, healthcheck: hc, enabled: false }
              frontends:
                web:
                  address: 192.0.2.1
                  protocol: tcp
                  port: 80
                  pools:
                    - name: primary
                      backends: { a: { weight: 60 } }
                    - name: fallback
                      backends: { b: {}, c: {} }
            """;

    @TempDir
    Path dir;

    private final Map<String, Boolean> healthy = new ConcurrentHashMap<>();
    private final Prober prober = (check, target) -> CompletableFuture.completedFuture(
            healthy.getOrDefault(target.getHostAddress(), false)
                    ? ProbeResult.pass("L4OK", "", Duration.ofMillis(1))
                    : ProbeResult.fail("L4CON", "connection refused", Duration.ofMillis(1)));

    private ScheduledExecutorService timer;
    private ExecutorService handlers;
    private Checker checker;
    private MaglevService service;
    private Server server;
    private ManagedChannel channel;
    private MaglevGrpc.MaglevBlockingStub stub;
    private Path configFile;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        configFile = dir.resolve("maglev.yaml");
        Files.writeString(configFile, CONFIG);
        healthy.put("10.0.0.1", true);
        healthy.put("10.0.0.2", true);

        Logging logging = Logging.configure(LogLevel.INFO, SlogEncoder.Format.JSON, logs);
        EventHub hub = new EventHub(logging::subscriberDemand);
        logging.streamTo(hub::publish);
        timer = Executors.newSingleThreadScheduledExecutor();
        handlers = Executors.newVirtualThreadPerTaskExecutor();
        checker = new Checker(prober, timer, InstantSource.system(), RandomGenerator.getDefault());
        checker.addListener(new dev.vppmaglev.health.HealthListener() {
            @Override
            public void onBackendTransition(dev.vppmaglev.health.BackendTransition t) {
                hub.publish(ProtoMapper.event(t));
            }

            @Override
            public void onFrontendTransition(dev.vppmaglev.health.FrontendTransition t) {
                hub.publish(ProtoMapper.event(t));
            }
        });
        ConfigManager configs = new ConfigManager(configFile, new ConfigLoader.Options(false));
        configs.onApply(checker::apply);
        checker.apply(configs.loadInitial());

        service = new MaglevService(checker, configs, new VppControl.Disabled(), hub, logging,
                new BuildInfo("1.2.3", "abc", "today"), Instant.now(), handlers);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(service).executor(handlers).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = MaglevGrpc.newBlockingStub(channel);
        await().atMost(Duration.ofSeconds(10)).until(() -> checker.state("a") == dev.vppmaglev.health.BackendState.UP
                && checker.state("b") == dev.vppmaglev.health.BackendState.UP);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        checker.close();
        timer.shutdownNow();
        handlers.shutdownNow();
    }

    private static Status.Code code(Runnable r) {
        try {
            r.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("expected an error status");
    }

    @Test
    void frontendShowsPoolsConfiguredAndEffectiveWeights() {
        FrontendInfo f = stub.getFrontend(GetFrontendRequest.newBuilder().setName("web").build());
        assertThat(f.getAddress()).isEqualTo("192.0.2.1");
        assertThat(f.getProtocol()).isEqualTo("tcp");
        assertThat(f.getState()).isEqualTo(FrontendState.FRONTEND_STATE_UP);
        assertThat(f.getActivePool()).isEqualTo("primary");
        assertThat(f.getPools(0).getActive()).isTrue();
        assertThat(f.getPools(0).getBackends(0).getWeight()).isEqualTo(60);
        assertThat(f.getPools(0).getBackends(0).getEffectiveWeight()).isEqualTo(60);
        // b is up but in the standby pool: weight 0, no flush; c is disabled: weight 0, flush.
        assertThat(f.getPools(1).getBackends(0).getEffectiveWeight()).isZero();
        assertThat(f.getPools(1).getBackends(0).getFlush()).isFalse();
        assertThat(f.getPools(1).getBackends(1).getState()).isEqualTo(BackendState.BACKEND_STATE_DISABLED);
        assertThat(f.getPools(1).getBackends(1).getFlush()).isTrue();
        assertThat(stub.listFrontends(ListFrontendsRequest.getDefaultInstance()).getFrontendsList())
                .extracting(FrontendInfo::getName).containsExactly("web");
    }

    @Test
    void poolFailoverShowsInTheApiWhenThePrimaryGoesDown() {
        healthy.put("10.0.0.1", false);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                stub.getFrontend(GetFrontendRequest.newBuilder().setName("web").build()).getActivePool().equals("fallback"));
        FrontendInfo f = stub.getFrontend(GetFrontendRequest.newBuilder().setName("web").build());
        assertThat(f.getPools(1).getBackends(0).getEffectiveWeight()).isEqualTo(100);
        assertThat(f.getPools(0).getBackends(0).getState()).isEqualTo(BackendState.BACKEND_STATE_DOWN);
    }

    @Test
    void backendDetailsAndOperatorActions() {
        var a = stub.getBackend(GetBackendRequest.newBuilder().setName("a").build());
        assertThat(a.getAddress()).isEqualTo("10.0.0.1");
        assertThat(a.getHealthcheck()).isEqualTo("hc");
        assertThat(a.getLastCode()).isEqualTo("L4OK");
        assertThat(a.getFrontendsList()).containsExactly("web");
        assertThat(a.getTransitionsList()).isNotEmpty();

        var paused = stub.pauseBackend(BackendRequest.newBuilder().setName("a").build());
        assertThat(paused.getState()).isEqualTo(BackendState.BACKEND_STATE_PAUSED);
        var resumed = stub.resumeBackend(BackendRequest.newBuilder().setName("a").build());
        assertThat(resumed.getState()).isEqualTo(BackendState.BACKEND_STATE_UNKNOWN);
        var disabled = stub.disableBackend(BackendRequest.newBuilder().setName("b").build());
        assertThat(disabled.getState()).isEqualTo(BackendState.BACKEND_STATE_DISABLED);
        assertThat(disabled.getEnabled()).isFalse();
        assertThat(stub.listBackends(ListBackendsRequest.getDefaultInstance()).getBackendsList())
                .extracting(b -> b.getName()).containsExactly("a", "b", "c");

        // Every change is audited with its caller.
        String log = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).contains("\"msg\":\"grpc-mutation\",\"method\":\"PauseBackend\",\"peer\":\"unix-socket\","
                + "\"backend\":\"a\",\"from\":\"up\",\"to\":\"paused\"");
        assertThat(log).contains("\"method\":\"DisableBackend\"");
    }

    @Test
    void changesAreAuditedWhateverTheLogLevel() {
        stub.setLogLevel(SetLogLevelRequest.newBuilder().setLevel("error").build());
        stub.pauseBackend(BackendRequest.newBuilder().setName("a").build());
        stub.setFrontendPoolBackendWeight(SetWeightRequest.newBuilder()
                .setFrontend("web").setPool("primary").setBackend("a").setWeight(25).build());
        stub.setLogLevel(SetLogLevelRequest.newBuilder().setLevel("info").build());

        String log = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).contains("\"method\":\"SetLogLevel\"").contains("\"to\":\"error\"")
                .contains("\"method\":\"PauseBackend\"").contains("\"method\":\"SetFrontendPoolBackendWeight\"")
                .contains("\"to\":\"info\"");
        // while at error, the daemon's other INFO records stay out
        int errorAt = log.indexOf("\"to\":\"error\"");
        int infoAt = log.indexOf("\"to\":\"info\"");
        assertThat(log.substring(errorAt, infoAt).lines().filter(l -> l.contains("\"level\":\"INFO\""))
                .filter(l -> !l.contains("grpc-mutation"))).isEmpty();
    }

    @Test
    void badRequestsGetTheRightStatusAndChangeNothing() {
        assertThat(code(() -> stub.getBackend(GetBackendRequest.newBuilder().setName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> stub.getBackend(GetBackendRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> stub.getBackend(GetBackendRequest.newBuilder().setName("x".repeat(10_000)).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> stub.getFrontend(GetFrontendRequest.newBuilder().setName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> stub.getHealthCheck(GetHealthCheckRequest.newBuilder().setName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        // c is disabled: pause is refused.
        assertThat(code(() -> stub.pauseBackend(BackendRequest.newBuilder().setName("c").build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(() -> stub.setFrontendPoolBackendWeight(SetWeightRequest.newBuilder()
                .setFrontend("web").setPool("primary").setBackend("a").setWeight(101).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        // a uint32 above 2^31 (negative as a Java int) is out of range too, said as sent
        assertThatThrownBy(() -> stub.setFrontendPoolBackendWeight(SetWeightRequest.newBuilder()
                .setFrontend("web").setPool("primary").setBackend("a").setWeight(0x8000_0000).build()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("weight 2147483648 out of range");
        assertThat(code(() -> stub.setFrontendPoolBackendWeight(SetWeightRequest.newBuilder()
                .setFrontend("web").setPool("nope").setBackend("a").setWeight(1).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> stub.setLogLevel(SetLogLevelRequest.newBuilder().setLevel("loud").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThatThrownBy(() -> stub.getVPPInfo(GetVPPInfoRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("UNAVAILABLE").hasMessageContaining("--vpp-api-addr");

        // Nothing changed.
        assertThat(checker.state("c")).isEqualTo(dev.vppmaglev.health.BackendState.DISABLED);
        assertThat(stub.getFrontend(GetFrontendRequest.newBuilder().setName("web").build())
                .getPools(0).getBackends(0).getWeight()).isEqualTo(60);
    }

    @Test
    void setWeightChangesTheEffectiveWeight() {
        FrontendInfo f = stub.setFrontendPoolBackendWeight(SetWeightRequest.newBuilder()
                .setFrontend("web").setPool("primary").setBackend("a").setWeight(25).build());
        assertThat(f.getPools(0).getBackends(0).getWeight()).isEqualTo(25);
        assertThat(f.getPools(0).getBackends(0).getEffectiveWeight()).isEqualTo(25);
    }

    @Test
    void healthCheckShowsParamsAndUsers() {
        HealthCheckInfo h = stub.getHealthCheck(GetHealthCheckRequest.newBuilder().setName("hc").build());
        assertThat(h.getType()).isEqualTo("tcp");
        assertThat(h.getIntervalMs()).isEqualTo(100);
        assertThat(h.getBackendsList()).containsExactly("a", "b", "c");
    }

    @Test
    void reloadRefusesABadFileAndKeepsTheRunningConfig() throws Exception {
        Files.writeString(configFile, CONFIG.replace("weight: 60", "weight: 600"));
        ReloadConfigResponse r = stub.reloadConfig(ReloadConfigRequest.getDefaultInstance());
        assertThat(r.getOk()).isFalse();
        assertThat(r.getSemanticError()).contains("maglev.yaml:").contains("weight-range");
        assertThat(stub.getFrontend(GetFrontendRequest.newBuilder().setName("web").build())
                .getPools(0).getBackends(0).getWeight()).isEqualTo(60);

        Files.writeString(configFile, CONFIG.replace("c: { address: 10.0.0.3, healthcheck: hc, enabled: false }",
                "c: { address: 10.0.0.3, healthcheck: hc, enabled: false }\n    d: { address: 10.0.0.4, healthcheck: hc }"));
        ReloadConfigResponse ok = stub.reloadConfig(ReloadConfigRequest.getDefaultInstance());
        assertThat(ok.getOk()).as(ok.toString()).isTrue();
        assertThat(stub.getBackend(GetBackendRequest.newBuilder().setName("d").build()).getName()).isEqualTo("d");
    }

    @Test
    void watchEventsStartsWithFrontendSnapshotThenStreamsTransitions() {
        List<Event> got = new CopyOnWriteArrayList<>();
        MaglevGrpc.newStub(channel).watchEvents(WatchRequest.newBuilder().setBackend(true).setFrontend(true).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(Event e) {
                        got.add(e);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> !got.isEmpty());
        Event first = got.getFirst();
        assertThat(first.hasFrontend()).isTrue();
        assertThat(first.getFrontend().getName()).isEqualTo("web");
        assertThat(first.getFrontend().getFrom()).isEqualTo(first.getFrontend().getTo());

        healthy.put("10.0.0.2", false);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.stream().anyMatch(e -> e.hasBackend()
                && e.getBackend().getName().equals("b")
                && e.getBackend().getTo() == BackendState.BACKEND_STATE_DOWN));
        assertThat(got).noneMatch(Event::hasLog);
    }

    @Test
    void watchEventsStreamsLogRecordsAtTheSubscribersLevel() {
        List<Event> got = new CopyOnWriteArrayList<>();
        MaglevGrpc.newStub(channel).watchEvents(WatchRequest.newBuilder().setLog(true).setLogLevel("debug").build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(Event e) {
                        got.add(e);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                });
        // probe-done is a DEBUG record; the daemon logs at INFO, the subscriber asked for debug.
        await().atMost(Duration.ofSeconds(10)).until(() -> got.stream()
                .anyMatch(e -> e.hasLog() && e.getLog().getMsg().equals("probe-done")
                        && e.getLog().getLevel().equals("debug")));
        assertThat(got).allMatch(Event::hasLog);
    }

    @Test
    void watchEventsRejectsAnUnknownLogLevel() {
        var it = MaglevGrpc.newBlockingStub(channel).watchEvents(WatchRequest.newBuilder().setLog(true)
                .setLogLevel("chatty").build());
        assertThatThrownBy(it::hasNext).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("chatty");
    }

    @Test
    void endWatchesEndsOpenStreamsAndRefusesNewOnesWithUnavailable() throws Exception {
        List<Event> got = new CopyOnWriteArrayList<>();
        CompletableFuture<Status> ended = new CompletableFuture<>();
        MaglevGrpc.newStub(channel).watchEvents(WatchRequest.newBuilder().setFrontend(true).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(Event e) {
                        got.add(e);
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> !got.isEmpty());

        service.endWatches();

        Status s = ended.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(s.getDescription()).isEqualTo("maglevd is shutting down");
        // The service forgot the stream (the hub too), and a new one is refused the same way.
        await().atMost(Duration.ofSeconds(5)).until(() -> service.openWatches() == 0);
        var late = MaglevGrpc.newBlockingStub(channel).watchEvents(WatchRequest.getDefaultInstance());
        assertThatThrownBy(late::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).isEqualTo("maglevd is shutting down");
        });
    }
}
