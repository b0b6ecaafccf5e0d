package dev.vppmaglev.vpp.fake.faults;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.vpp.api.msg.LbConf;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.counters.VipCounters;
import dev.vppmaglev.vpp.fake.FakeVpp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The two recovery checks of the fault tests: the lb table and the counters loop. */
final class Converge {
    static final Duration LONG = Duration.ofSeconds(30);
    /** {@code lb_conf} as {@link Fleet} configures it. */
    static final LbConf CONF = new LbConf((Inet4Address) ip("192.0.2.254"), (Inet6Address) ip("2001:db8::254"), 4096,
            30);
    private static final AtomicLong BUMP = new AtomicLong(1);

    private Converge() {}

    /** Waits until VPP holds exactly what the config and the live health want, and {@link #CONF}. */
    static void table(FakeVpp fake, Rig rig, String what) {
        await().atMost(LONG).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            Config config = rig.checker.config();
            Map<String, BackendState> states = rig.states();
            assertThat(LbTable.differences(LbTable.desired(config, states::get), LbTable.actual(fake)))
                    .as(what + ": VPP's table against config + health").isEmpty();
            assertThat(fake.lbConf()).as(what + ": lb_conf").isEqualTo(CONF);
        });
    }

    /**
     * Counts new traffic on the VIPs of {@code frontends} in the fake VPP (its model and its stats
     * segment) and waits until the counters loop publishes exactly the fake's totals for them: the
     * loop reads the live segment with the right indexes again.
     */
    static void counters(FakeVpp fake, Rig rig, String what, String... frontends) {
        for (String name : frontends) {
            Frontend f = rig.checker.config().frontends().get(name);
            long n = BUMP.getAndIncrement();
            fake.bumpVip(LbVip.host(f.address(), f.protocol().number(), f.port()), n, 2 * n, 0, 3 * n, 6 * n, 600 * n);
        }
        await().atMost(LONG).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (String name : frontends) {
                Frontend f = rig.checker.config().frontends().get(name);
                int index = fake.vipIndex(LbVip.host(f.address(), f.protocol().number(), f.port())).orElseThrow();
                long[] model = fake.vipCounters(index); // next, first, untracked, no server
                VipCounters seen = rig.counters.snapshot().flatMap(s -> s.frontend(name)).orElse(null);
                assertThat(seen).as(what + ": counters of " + name).isNotNull();
                assertThat(new long[] {seen.next(), seen.first(), seen.untracked(), seen.noServer()})
                        .as(what + ": counters of " + name).containsExactly(model);
            }
        });
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
