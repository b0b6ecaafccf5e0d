package dev.vppmaglev.cli;

import dev.vppmaglev.proto.BackendInfo;
import dev.vppmaglev.proto.BackendState;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.FrontendEvent;
import dev.vppmaglev.proto.FrontendInfo;
import dev.vppmaglev.proto.FrontendState;
import dev.vppmaglev.proto.GetBackendRequest;
import dev.vppmaglev.proto.GetFrontendRequest;
import dev.vppmaglev.proto.GetVPPInfoRequest;
import dev.vppmaglev.proto.GetVPPLBCountersRequest;
import dev.vppmaglev.proto.GetVPPLBStateRequest;
import dev.vppmaglev.proto.GetVersionRequest;
import dev.vppmaglev.proto.ListBackendsRequest;
import dev.vppmaglev.proto.ListBackendsResponse;
import dev.vppmaglev.proto.ListFrontendsRequest;
import dev.vppmaglev.proto.ListFrontendsResponse;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.PoolBackendInfo;
import dev.vppmaglev.proto.PoolInfo;
import dev.vppmaglev.proto.VIPCounters;
import dev.vppmaglev.proto.VPPInfo;
import dev.vppmaglev.proto.VPPLBAS;
import dev.vppmaglev.proto.VPPLBConf;
import dev.vppmaglev.proto.VPPLBCounters;
import dev.vppmaglev.proto.VPPLBState;
import dev.vppmaglev.proto.VPPLBVIP;
import dev.vppmaglev.proto.VersionInfo;
import dev.vppmaglev.proto.WatchRequest;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The training run for maglevc's JDK 25 AOT cache (JEP 483/514), run by the Maven build
 * ({@code exec} in the package phase) with {@code -XX:AOTCacheOutput}: typical one-shot commands
 * through {@link Main#run}, against a small maglevd stand-in started as a <em>child</em> process,
 * so the cache holds the client's classes and not the server's (an AOT cache's classes are all
 * loaded at start-up). Needs no live daemon.
 */
final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve();
            return;
        }
        Main.tuneForAShortLivedClient();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                AotTraining.class.getName(), "serve");
        pb.environment().remove("JAVA_TOOL_OPTIONS"); // the one-step AOT mode passes its flags here
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process server = pb.start();
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String ready = in.readLine();
            if (ready == null || !ready.startsWith("listening ")) {
                throw new IllegalStateException("training server did not start: " + ready);
            }
            String address = ready.substring("listening ".length());
            List<String> commands = List.of("show frontends", "show backends", "show frontend web",
                    "show backend nginx0", "show backend nope", "sh fronted", "show vpp info", "show vpp lb state",
                    "show vpp lb counters", "show version", "watch events num 2", "--json show frontends",
                    "--complete show backend ng", "--complete sh");
            for (int round = 0; round < 2; round++) {
                for (String command : commands) {
                    String[] words = ("--server " + address + " " + command).split(" ");
                    Main.run(words, new Env(new ByteArrayInputStream(new byte[0]), nowhere(), nowhere(), Map.of(),
                            false, Clock.systemDefaultZone(), Path.of(System.getProperty("user.home"))));
                }
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static PrintStream nowhere() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static void serve() throws IOException, InterruptedException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new Service()).build().start();
        System.out.println("listening 127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().getFirst()).getPort());
        System.out.flush();
        server.awaitTermination();
    }

    /** Answers the training commands with a little data of every shape they print. */
    private static final class Service extends MaglevGrpc.MaglevImplBase {
        private static final long NOW = System.currentTimeMillis() * 1_000_000L;

        private static <T> void reply(StreamObserver<T> out, T value) {
            out.onNext(value);
            out.onCompleted();
        }

        private static FrontendInfo frontend() {
            return FrontendInfo.newBuilder().setName("web").setAddress("192.0.2.1").setProtocol("tcp").setPort(80)
                    .setState(FrontendState.FRONTEND_STATE_UP).setActivePool("primary")
                    .addPools(PoolInfo.newBuilder().setName("primary").setActive(true)
                            .addBackends(PoolBackendInfo.newBuilder().setName("nginx0").setWeight(100)
                                    .setEffectiveWeight(100).setState(BackendState.BACKEND_STATE_UP)))
                    .build();
        }

        private static BackendInfo backend() {
            return BackendInfo.newBuilder().setName("nginx0").setAddress("10.0.0.1")
                    .setState(BackendState.BACKEND_STATE_UP).setEnabled(true).setHealthcheck("http")
                    .setHealthCounter(4).setHealthMax(4).setLastCode("L7OK").setLastTransitionNs(NOW - 60_000_000_000L)
                    .build();
        }

        @Override
        public void getVersion(GetVersionRequest r, StreamObserver<VersionInfo> out) {
            reply(out, VersionInfo.newBuilder().setVersion("training").setStartTimeNs(NOW).build());
        }

        @Override
        public void listFrontends(ListFrontendsRequest r, StreamObserver<ListFrontendsResponse> out) {
            reply(out, ListFrontendsResponse.newBuilder().addFrontends(frontend()).build());
        }

        @Override
        public void getFrontend(GetFrontendRequest r, StreamObserver<FrontendInfo> out) {
            reply(out, frontend());
        }

        @Override
        public void listBackends(ListBackendsRequest r, StreamObserver<ListBackendsResponse> out) {
            reply(out, ListBackendsResponse.newBuilder().addBackends(backend()).build());
        }

        @Override
        public void getBackend(GetBackendRequest r, StreamObserver<BackendInfo> out) {
            if (!r.getName().equals("nginx0")) {
                out.onError(Status.NOT_FOUND.withDescription("backend \"" + r.getName() + "\" not found")
                        .asRuntimeException());
                return;
            }
            reply(out, backend());
        }

        @Override
        public void getVPPInfo(GetVPPInfoRequest r, StreamObserver<VPPInfo> out) {
            reply(out, VPPInfo.newBuilder().setVersion("training").setPid(1).setBoottimeNs(NOW).setConnecttimeNs(NOW)
                    .setLbV2(true).build());
        }

        @Override
        public void getVPPLBState(GetVPPLBStateRequest r, StreamObserver<VPPLBState> out) {
            reply(out, VPPLBState.newBuilder().setConf(VPPLBConf.newBuilder().setIp4Src("192.0.2.254"))
                    .addVips(VPPLBVIP.newBuilder().setPrefix("192.0.2.1/32").setProtocol(6).setPort(80)
                            .setEncap("gre4").addAses(VPPLBAS.newBuilder().setAddress("10.0.0.1").setWeight(100)))
                    .build());
        }

        @Override
        public void getVPPLBCounters(GetVPPLBCountersRequest r, StreamObserver<VPPLBCounters> out) {
            reply(out, VPPLBCounters.newBuilder().addVips(VIPCounters.newBuilder().setPrefix("192.0.2.1/32")
                    .setProtocol(6).setPort(80).setFirst(1)).build());
        }

        @Override
        public void watchEvents(WatchRequest r, StreamObserver<Event> out) {
            for (int i = 0; i < 3; i++) {
                out.onNext(Event.newBuilder().setTimeNs(NOW).setFrontend(FrontendEvent.newBuilder().setName("web")
                        .setFrom(FrontendState.FRONTEND_STATE_UP).setTo(FrontendState.FRONTEND_STATE_UP)).build());
            }
        }
    }
}
