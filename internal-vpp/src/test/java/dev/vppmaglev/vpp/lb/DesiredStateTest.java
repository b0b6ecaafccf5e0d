package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.Pool;
import dev.vppmaglev.config.PoolBackend;
import dev.vppmaglev.config.Protocol;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.vppmaglev.health.BackendState.DISABLED;
import static dev.vppmaglev.health.BackendState.DOWN;
import static dev.vppmaglev.health.BackendState.PAUSED;
import static dev.vppmaglev.health.BackendState.UNKNOWN;
import static dev.vppmaglev.health.BackendState.UP;
import static dev.vppmaglev.vpp.lb.TestConfigs.ip;
import static org.assertj.core.api.Assertions.assertThat;

class DesiredStateTest {
    private static final Config CONFIG = TestConfigs.parse(TestConfigs.HEADER + """
              backends:
                b10: { address: 10.0.0.10, healthcheck: web }
                b9:  { address: 10.0.0.9, healthcheck: web }
                c1:  { address: 10.0.1.1, healthcheck: web }
                v6:  { address: "2001:db8::1", healthcheck: web }
              frontends:
                web:
                  address: 192.0.2.1
                  protocol: tcp
                  port: 80
                  src-ip-sticky: true
                  pools:
                    - name: primary
                      backends: { b10: { weight: 50 }, b9: {} }
                    - name: backup
                      backends: { c1: {} }
                keep:
                  address: 192.0.2.2
                  flush-on-down: false
                  pools:
                    - name: only
                      backends: { b9: {} }
                six:
                  address: "2001:db8::80"
                  protocol: udp
                  port: 53
                  pools:
                    - name: only
                      backends: { v6: {} }
            """);

    private static Map<String, BackendState> states(Object... kv) {
        Map<String, BackendState> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (BackendState) kv[i + 1]);
        }
        return m;
    }

    @Test
    void keyEncapStickyAndAsesInIpOrder() {
        DesiredVip d = DesiredState.of(CONFIG, states("b10", UP, "b9", UP, "c1", UP)::get).get("web");
        assertThat(d.frontend()).isEqualTo("web");
        assertThat(d.key()).isEqualTo(LbVip.host(ip("192.0.2.1"), 6, 80));
        assertThat(d.encap()).isEqualTo(LbEncap.GRE4);
        assertThat(d.srcIpSticky()).isTrue();
        // 10.0.0.9 before 10.0.0.10 (numeric), the standby pool's up backend at 0 without flush
        assertThat(d.ases()).containsExactly(new DesiredAs(ip("10.0.0.9"), 100, false),
                new DesiredAs(ip("10.0.0.10"), 50, false), new DesiredAs(ip("10.0.1.1"), 0, false));
        VipSpec spec = d.spec();
        assertThat(spec.newFlowsTableLength()).isEqualTo(1024);
        assertThat(spec.srcIpSticky()).isTrue();
        assertThat(spec.encap()).isEqualTo(LbEncap.GRE4);
    }

    @Test
    void allPortVipUsesProtocol255AndIpv6BackendsGetGre6() {
        Map<String, DesiredVip> all = DesiredState.of(CONFIG, states()::get);
        assertThat(all.keySet()).containsExactly("web", "keep", "six");
        assertThat(all.get("keep").key()).isEqualTo(new LbVip(new dev.vppmaglev.vpp.api.msg.Prefix(ip("192.0.2.2"), 32),
                255, 0));
        assertThat(all.get("six").key()).isEqualTo(LbVip.host(ip("2001:db8::80"), 17, 53));
        assertThat(all.get("six").encap()).isEqualTo(LbEncap.GRE6);
        // unknown backends: weight 0, never flush
        assertThat(all.get("web").ases()).allMatch(a -> a.weight() == 0 && !a.flush());
    }

    @Test
    void poolFailoverAndTheFlushMatrix() {
        // primary all down -> backup active; down backends flushed (flush-on-down default true)
        DesiredVip d = DesiredState.of(CONFIG, states("b10", DOWN, "b9", DISABLED, "c1", UP)::get).get("web");
        assertThat(d.ases()).containsExactly(new DesiredAs(ip("10.0.0.9"), 0, true),
                new DesiredAs(ip("10.0.0.10"), 0, true), new DesiredAs(ip("10.0.1.1"), 100, false));
        // flush-on-down false: down drains without flush; disabled always flushes; paused never
        assertThat(DesiredState.of(CONFIG, states("b9", DOWN)::get).get("keep").ases())
                .containsExactly(new DesiredAs(ip("10.0.0.9"), 0, false));
        assertThat(DesiredState.of(CONFIG, states("b9", DISABLED)::get).get("keep").ases())
                .containsExactly(new DesiredAs(ip("10.0.0.9"), 0, true));
        assertThat(DesiredState.of(CONFIG, states("b9", PAUSED)::get).get("keep").ases())
                .containsExactly(new DesiredAs(ip("10.0.0.9"), 0, false));
        assertThat(DesiredState.of(CONFIG, states("b9", UNKNOWN)::get).get("keep").ases())
                .containsExactly(new DesiredAs(ip("10.0.0.9"), 0, false));
    }

    @Test
    void aBackendInTwoPoolsIsOneAsWithItsBestWeight() {
        Backend b = new Backend("b", ip("10.0.0.1"), "web", true);
        Backend c = new Backend("c", ip("10.0.0.2"), "web", true);
        Frontend f = new Frontend("f", "", ip("192.0.2.9"), Protocol.TCP, 80, List.of(
                new Pool("p1", List.of(new PoolBackend("c", 100))),
                new Pool("p2", List.of(new PoolBackend("b", 30), new PoolBackend("c", 100)))), false, true);
        Map<String, Backend> backends = Map.of("b", b, "c", c);
        // c up in the active pool p1 (100) and standby in p2 (0): one AS at 100
        assertThat(DesiredState.of(f, backends, states("b", UP, "c", UP)::get).ases())
                .containsExactly(new DesiredAs(ip("10.0.0.1"), 0, false), new DesiredAs(ip("10.0.0.2"), 100, false));
        // c down: both occurrences 0 with flush
        assertThat(DesiredState.of(f, backends, states("b", UP, "c", DOWN)::get).ases())
                .containsExactly(new DesiredAs(ip("10.0.0.1"), 30, false), new DesiredAs(ip("10.0.0.2"), 0, true));
    }

    @Test
    void encapFollowsTheBackendsFamilyNotTheVip() {
        Backend v6 = new Backend("v6", ip("2001:db8::7"), "web", true);
        Frontend f = new Frontend("f", "", ip("192.0.2.9"), Protocol.TCP, 80,
                List.of(new Pool("p", List.of(new PoolBackend("v6", 100)))), false, true);
        assertThat(DesiredState.of(f, Map.of("v6", v6), states()::get).encap()).isEqualTo(LbEncap.GRE6);
        Frontend empty = new Frontend("e", "", ip("2001:db8::9"), Protocol.ANY, 0, List.of(new Pool("p", List.of())),
                false, true);
        assertThat(DesiredState.of(empty, Map.of(), states()::get).encap()).isEqualTo(LbEncap.GRE6);
    }
}
