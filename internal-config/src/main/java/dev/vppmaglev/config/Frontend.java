package dev.vppmaglev.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code maglev.frontends.<name>}: a VIP and its priority-ordered pools of backends.
 *
 * @param name         the key under {@code frontends}
 * @param description  free text (may be empty)
 * @param address      the VIP; programmed into VPP as a host prefix (/32 or /128)
 * @param protocol     tcp, udp or any (omitted)
 * @param port         0..65535; 0 = every port
 * @param pools        non-empty, in priority order: the first pool with an up backend is active
 * @param srcIpSticky  VPP hashes on the source address only; cannot change on a live VIP
 * @param flushOnDown  flush a backend's flows when it goes down (default true)
 */
public record Frontend(
        String name,
        String description,
        InetAddress address,
        Protocol protocol,
        int port,
        List<Pool> pools,
        boolean srcIpSticky,
        boolean flushOnDown) {

    public Frontend {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        pools = List.copyOf(pools);
    }

    /** Whether any pool names {@code backend}. */
    public boolean references(String backend) {
        for (Pool p : pools) {
            if (p.member(backend) != null) {
                return true;
            }
        }
        return false;
    }

    /** Every backend named in any pool, in pool order, each once. */
    public Set<String> backendNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Pool p : pools) {
            for (PoolBackend pb : p.backends()) {
                names.add(pb.backend());
            }
        }
        return names;
    }

    /** The pool named {@code pool}, or {@code null}. */
    public Pool pool(String pool) {
        for (Pool p : pools) {
            if (p.name().equals(pool)) {
                return p;
            }
        }
        return null;
    }

    /** VIP prefix length: 32 for IPv4, 128 for IPv6. */
    public int prefixLength() {
        return address instanceof Inet4Address ? 32 : 128;
    }

    /** A copy with one pool member's configured weight replaced (runtime set-weight). */
    public Frontend withWeight(String pool, String backend, int weight) {
        List<Pool> out = pools.stream().map(p -> !p.name().equals(pool) ? p
                : new Pool(p.name(), p.backends().stream()
                        .map(pb -> pb.backend().equals(backend) ? new PoolBackend(backend, weight) : pb)
                        .toList()))
                .toList();
        return new Frontend(name, description, address, protocol, port, out, srcIpSticky, flushOnDown);
    }
}
