package dev.vppmaglev.daemon.grpc;

import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.HttpParams;
import dev.vppmaglev.config.IpText;
import dev.vppmaglev.config.Pool;
import dev.vppmaglev.config.TcpParams;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.BackendStatus;
import dev.vppmaglev.health.BackendTransition;
import dev.vppmaglev.health.FrontendState;
import dev.vppmaglev.health.FrontendTransition;
import dev.vppmaglev.health.MemberWeight;
import dev.vppmaglev.health.ProbeResult;
import dev.vppmaglev.health.Weights;
import dev.vppmaglev.proto.BackendEvent;
import dev.vppmaglev.proto.BackendInfo;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.FrontendEvent;
import dev.vppmaglev.proto.FrontendInfo;
import dev.vppmaglev.proto.HealthCheckInfo;
import dev.vppmaglev.proto.PoolBackendInfo;
import dev.vppmaglev.proto.PoolInfo;
import dev.vppmaglev.proto.Transition;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Domain records (config, health) to the gRPC messages of {@code proto/maglev.proto}. */
public final class ProtoMapper {
    private ProtoMapper() {}

    public static dev.vppmaglev.proto.BackendState toProto(BackendState s) {
        return switch (s) {
            case UNKNOWN -> dev.vppmaglev.proto.BackendState.BACKEND_STATE_UNKNOWN;
            case UP -> dev.vppmaglev.proto.BackendState.BACKEND_STATE_UP;
            case DOWN -> dev.vppmaglev.proto.BackendState.BACKEND_STATE_DOWN;
            case PAUSED -> dev.vppmaglev.proto.BackendState.BACKEND_STATE_PAUSED;
            case DISABLED -> dev.vppmaglev.proto.BackendState.BACKEND_STATE_DISABLED;
            case REMOVED -> dev.vppmaglev.proto.BackendState.BACKEND_STATE_REMOVED;
        };
    }

    public static dev.vppmaglev.proto.FrontendState toProto(FrontendState s) {
        return switch (s) {
            case UNKNOWN -> dev.vppmaglev.proto.FrontendState.FRONTEND_STATE_UNKNOWN;
            case UP -> dev.vppmaglev.proto.FrontendState.FRONTEND_STATE_UP;
            case DOWN -> dev.vppmaglev.proto.FrontendState.FRONTEND_STATE_DOWN;
        };
    }

    /** An address as operators write it: {@code 192.0.2.1}, {@code 2001:db8::1} (no host name, no mask). */
    public static String address(InetAddress a) {
        if (a == null) {
            return "";
        }
        return IpText.format(a);
    }

    static long nanos(Instant t) {
        return t == null ? 0 : t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    public static BackendInfo backend(BackendStatus s) {
        BackendInfo.Builder b = BackendInfo.newBuilder()
                .setName(s.name())
                .setAddress(address(s.address()))
                .setState(toProto(s.state()))
                .setEnabled(s.enabled())
                .setHealthcheck(s.healthcheck())
                .setHealthCounter(s.counter())
                .setHealthMax(s.healthMax())
                .setRise(s.rise())
                .setFall(s.fall())
                .setLastProbeNs(nanos(s.lastProbeAt()))
                .setLastTransitionNs(nanos(s.lastTransitionAt()))
                .addAllFrontends(s.frontends());
        ProbeResult r = s.lastResult();
        if (r != null) {
            b.setLastCode(r.code()).setLastDetail(r.detail()).setLastProbeDurationNs(r.duration().toNanos());
        }
        for (BackendTransition t : s.transitions()) {
            b.addTransitions(Transition.newBuilder()
                    .setFrom(toProto(t.from()))
                    .setTo(toProto(t.to()))
                    .setTimeNs(nanos(t.at()))
                    .setCode(t.code())
                    .setDetail(t.detail()));
        }
        return b.build();
    }

    /**
     * A frontend with its pools, configured and effective weights and states.
     *
     * @param states the live state of each backend
     */
    public static FrontendInfo frontend(Frontend f, FrontendState state, Function<String, BackendState> states) {
        List<MemberWeight> weights = Weights.effectiveWeights(f, states);
        int active = Weights.activePoolIndex(f, states);
        FrontendInfo.Builder b = FrontendInfo.newBuilder()
                .setName(f.name())
                .setAddress(address(f.address()))
                .setProtocol(f.protocol().keyword())
                .setPort(f.port())
                .setDescription(f.description())
                .setSrcIpSticky(f.srcIpSticky())
                .setFlushOnDown(f.flushOnDown())
                .setState(toProto(state))
                .setActivePool(f.pools().isEmpty() ? "" : f.pools().get(active).name());
        for (int i = 0; i < f.pools().size(); i++) {
            Pool p = f.pools().get(i);
            PoolInfo.Builder pb = PoolInfo.newBuilder().setName(p.name()).setActive(i == active);
            for (MemberWeight w : weights) {
                if (w.poolIndex() == i) {
                    pb.addBackends(PoolBackendInfo.newBuilder()
                            .setName(w.backend())
                            .setWeight(w.configuredWeight())
                            .setEffectiveWeight(w.effective().weight())
                            .setFlush(w.effective().flush())
                            .setState(toProto(w.state())));
                }
            }
            b.addPools(pb);
        }
        return b.build();
    }

    /**
     * A health check with its parameters as YAML keys and values.
     *
     * @param backends backends that use it, in config order
     */
    public static HealthCheckInfo healthCheck(HealthCheck h, List<String> backends) {
        HealthCheckInfo.Builder b = HealthCheckInfo.newBuilder()
                .setName(h.name())
                .setType(h.type().keyword())
                .setPort(h.port())
                .setIntervalMs(h.interval().toMillis())
                .setFastIntervalMs(h.fastInterval().toMillis())
                .setDownIntervalMs(h.downInterval().toMillis())
                .setTimeoutMs(h.timeout().toMillis())
                .setRise(h.rise())
                .setFall(h.fall())
                .setProbeIpv4Src(address(h.probeIpv4Src()))
                .setProbeIpv6Src(address(h.probeIpv6Src()))
                .addAllBackends(backends);
        switch (h.params()) {
            case HttpParams p -> {
                b.putParams("path", p.path());
                if (!p.host().isEmpty()) {
                    b.putParams("host", p.host());
                }
                b.putParams("method", p.method());
                b.putParams("expect-status", p.expectStatus().stream().map(Object::toString)
                        .collect(Collectors.joining(",")));
                if (!p.expectBody().isEmpty()) {
                    b.putParams("expect-body", p.expectBody());
                }
                if (!p.serverName().isEmpty()) {
                    b.putParams("server-name", p.serverName());
                }
                if (p.insecureSkipVerify()) {
                    b.putParams("insecure-skip-verify", "true");
                }
            }
            case TcpParams p -> {
                if (!p.send().isEmpty()) {
                    b.putParams("send", p.send());
                }
                if (!p.expect().isEmpty()) {
                    b.putParams("expect", p.expect());
                }
                if (p.tls()) {
                    b.putParams("tls", "true");
                }
                if (!p.serverName().isEmpty()) {
                    b.putParams("server-name", p.serverName());
                }
                if (p.insecureSkipVerify()) {
                    b.putParams("insecure-skip-verify", "true");
                }
            }
            default -> {
                // icmp: no params
            }
        }
        return b.build();
    }

    public static Event event(BackendTransition t) {
        return Event.newBuilder()
                .setTimeNs(nanos(t.at()))
                .setBackend(BackendEvent.newBuilder()
                        .setName(t.backend())
                        .setFrom(toProto(t.from()))
                        .setTo(toProto(t.to()))
                        .setCode(t.code())
                        .setDetail(t.detail()))
                .build();
    }

    public static Event event(FrontendTransition t) {
        return frontendEvent(t.frontend(), t.from(), t.to(), t.at());
    }

    /** A frontend event; {@code from == to} for the snapshot a new subscriber gets first. */
    public static Event frontendEvent(String name, FrontendState from, FrontendState to, Instant at) {
        return Event.newBuilder()
                .setTimeNs(nanos(at))
                .setFrontend(FrontendEvent.newBuilder().setName(name).setFrom(toProto(from)).setTo(toProto(to)))
                .build();
    }
}
