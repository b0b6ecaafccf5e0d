package dev.vppmaglev.cli;

import dev.vppmaglev.proto.BackendInfo;
import dev.vppmaglev.proto.FrontendInfo;
import dev.vppmaglev.proto.HealthCheckInfo;
import dev.vppmaglev.proto.ListBackendsRequest;
import dev.vppmaglev.proto.ListFrontendsRequest;
import dev.vppmaglev.proto.ListHealthChecksRequest;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.PoolInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Names for completion from the daemon's live data ({@code ListFrontends}, {@code ListBackends},
 * {@code ListHealthChecks}), each list fetched at most once per shell line: the shell calls
 * {@link #invalidate()} before reading a line, and a list older than the time-to-live is fetched
 * again even within one line. A daemon that cannot be reached gives no names, never an error.
 */
final class LiveNames implements NameSource {

    private enum Listing { FRONTENDS, BACKENDS, HEALTHCHECKS }

    private record Cached(Instant fetched, Object value) {}

    private final Supplier<MaglevGrpc.MaglevBlockingStub> stub;
    private final Clock clock;
    private final Duration ttl;
    private final Map<Listing, Cached> cache = new EnumMap<>(Listing.class);

    /**
     * @param stub a stub with a short deadline (Tab must not hang)
     * @param clock for the time-to-live
     * @param ttl how long a fetched list is reused within one line
     */
    LiveNames(Supplier<MaglevGrpc.MaglevBlockingStub> stub, Clock clock, Duration ttl) {
        this.stub = stub;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Forgets every list (a new line starts). */
    synchronized void invalidate() {
        cache.clear();
    }

    @Override
    public synchronized List<Name> names(SlotType.NameKind kind, Map<String, String> args) {
        List<Name> out = new ArrayList<>();
        switch (kind) {
            case FRONTEND -> {
                for (FrontendInfo f : frontends()) {
                    out.add(new Name(f.getName(), "frontend " + Render.stripHostMask(f.getAddress()) + " "
                            + f.getProtocol() + " " + Render.port(f.getPort()) + " " + Render.state(f.getState())));
                }
            }
            case POOL -> {
                String frontend = args.get("frontend");
                for (FrontendInfo f : frontends()) {
                    if (f.getName().equals(frontend)) {
                        for (PoolInfo p : f.getPoolsList()) {
                            int n = p.getBackendsCount();
                            out.add(new Name(p.getName(), "pool of " + f.getName() + ", " + n
                                    + (n == 1 ? " backend" : " backends") + (p.getActive() ? ", active" : "")));
                        }
                    }
                }
            }
            case BACKEND -> {
                Set<String> members = poolMembers(args.get("frontend"), args.get("pool"));
                for (BackendInfo b : backends()) {
                    if (members == null || members.contains(b.getName())) {
                        out.add(new Name(b.getName(), "backend " + Render.stripHostMask(b.getAddress()) + " "
                                + Render.state(b.getState())));
                    }
                }
            }
            case HEALTHCHECK -> {
                for (HealthCheckInfo h : healthchecks()) {
                    out.add(new Name(h.getName(), "health check " + h.getType()
                            + (h.getPort() == 0 ? "" : " port " + h.getPort())));
                }
            }
        }
        return out;
    }

    /**
     * The backends of {@code pool} of {@code frontend} (the backend slot of
     * {@code set frontend F pool P backend}), or {@code null} for every backend: outside that
     * command, or when the daemon does not know the frontend and pool (its error will say so).
     */
    private Set<String> poolMembers(String frontend, String pool) {
        if (frontend == null || pool == null) {
            return null;
        }
        for (FrontendInfo f : frontends()) {
            if (f.getName().equals(frontend)) {
                for (PoolInfo p : f.getPoolsList()) {
                    if (p.getName().equals(pool)) {
                        Set<String> names = new HashSet<>();
                        p.getBackendsList().forEach(b -> names.add(b.getName()));
                        return names;
                    }
                }
            }
        }
        return null;
    }

    private List<FrontendInfo> frontends() {
        return fetch(Listing.FRONTENDS,
                () -> stub.get().listFrontends(ListFrontendsRequest.getDefaultInstance()).getFrontendsList());
    }

    private List<BackendInfo> backends() {
        return fetch(Listing.BACKENDS,
                () -> stub.get().listBackends(ListBackendsRequest.getDefaultInstance()).getBackendsList());
    }

    private List<HealthCheckInfo> healthchecks() {
        return fetch(Listing.HEALTHCHECKS,
                () -> stub.get().listHealthChecks(ListHealthChecksRequest.getDefaultInstance()).getHealthchecksList());
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> fetch(Listing which, Supplier<List<T>> call) {
        Instant now = clock.instant();
        Cached c = cache.get(which);
        if (c != null && c.fetched().plus(ttl).isAfter(now)) {
            return (List<T>) c.value();
        }
        List<T> value;
        try {
            value = call.get();
        } catch (RuntimeException unreachable) {
            value = List.of();
        }
        cache.put(which, new Cached(now, value));
        return value;
    }
}
