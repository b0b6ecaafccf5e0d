package dev.vppmaglev.vpp.fake.reconcile;

import dev.vppmaglev.vpp.api.msg.LbAddDelAsV2;
import dev.vppmaglev.vpp.fake.FakeVpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.LONG;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.mutations;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two maglevds on the same config must push identical call sequences, so VPP builds identical
 * Maglev tables (behaviour.md §12 item 9, §13 item 5).
 */
class ReconcilerDeterminismTest {
    /** 12 IPv4 and 3 IPv6 backends whose string order, map order and numeric order all differ. */
    static String yaml(boolean reversed) {
        List<String> v4 = List.of("10.0.0.100", "10.0.0.9", "10.0.0.10", "10.0.0.1", "10.0.1.0", "10.0.0.255",
                "10.0.0.2", "10.0.0.20", "10.0.0.99", "9.0.0.1", "100.0.0.1", "10.0.0.11");
        List<String> v6 = List.of("2001:db8::10", "2001:db8::9", "2001:db8::a");
        StringBuilder backends = new StringBuilder();
        StringBuilder members4 = new StringBuilder();
        StringBuilder members6 = new StringBuilder();
        List<String> all = new ArrayList<>(v4);
        all.addAll(v6);
        List<String> order = reversed ? all.reversed() : all;
        for (String a : order) {
            String name = "b-" + a.replace('.', '-').replace(':', '-');
            backends.append("    ").append(name).append(": { address: \"").append(a).append("\", healthcheck: web }\n");
            StringBuilder m = a.contains(":") ? members6 : members4;
            m.append(m.isEmpty() ? "" : ", ").append(name).append(": { weight: ").append(10 + a.length()).append(" }");
        }
        return """
                maglev:
                  vpp:
                    lb:
                      ipv4-src-address: 192.0.2.254
                      ipv6-src-address: 2001:db8::254
                      sync-interval: 1h
                      startup-min-delay: 0
                      startup-max-delay: 0
                  healthchecks:
                    web: { type: http, port: 80, interval: 100ms, timeout: 30s, rise: 1, fall: 1 }
                  backends:
                %s  frontends:
                    v4:
                      address: 192.0.2.1
                      protocol: tcp
                      port: 80
                      pools:
                        - name: only
                          backends: { %s }
                    v6:
                      address: "2001:db8::80"
                      pools:
                        - name: only
                          backends: { %s }
                """.formatted(backends, members4, members6);
    }

    @TempDir
    Path dir;
    final List<AutoCloseable> closers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closers.reversed()) {
            c.close();
        }
    }

    /** A fresh fake VPP programmed by a fresh maglevd whose backends are all up before it connects. */
    private FakeVpp program(String name, String yaml) throws IOException {
        FakeVpp fake = FakeVpp.builder().apiSocket(dir.resolve(name + ".sock")).build().start();
        closers.add(fake);
        Maglevd m = Maglevd.builder(fake.apiSocket(), yaml).connectAfterUp().start();
        closers.add(m);
        await().atMost(LONG).until(() -> weights(fake).size() == 2 && weights(fake).get("192.0.2.1/32 tcp 80").size() == 12);
        await().atMost(LONG).until(() -> m.syncCount("all") >= 1);
        return fake;
    }

    @Test
    void twoMaglevdsPushTheSameAsCallsInNumericOrder() throws IOException {
        FakeVpp a = program("a", yaml(false));
        FakeVpp b = program("b", yaml(true)); // same config, every map written in the other order
        List<Object> callsA = mutations(a).stream().map(FakeVpp.Call::request).toList();
        List<Object> callsB = mutations(b).stream().map(FakeVpp.Call::request).toList();
        assertThat(callsA).isNotEmpty().isEqualTo(callsB);
        assertThat(Vpp.buckets(a)).isEqualTo(Vpp.buckets(b));

        List<InetAddress> v4 = mutations(a).stream().filter(c -> c.request() instanceof LbAddDelAsV2 r && r.port() == 80)
                .map(c -> ((LbAddDelAsV2) c.request()).asAddress()).toList();
        assertThat(v4.stream().map(InetAddress::getHostAddress).toList()).containsExactly("9.0.0.1", "10.0.0.1",
                "10.0.0.2", "10.0.0.9", "10.0.0.10", "10.0.0.11", "10.0.0.20", "10.0.0.99", "10.0.0.100", "10.0.0.255",
                "10.0.1.0", "100.0.0.1");
        List<String> v6 = mutations(a).stream().filter(c -> c.request() instanceof LbAddDelAsV2 r && r.port() == 0)
                .map(c -> ((LbAddDelAsV2) c.request()).asAddress().getHostAddress()).toList();
        assertThat(v6).containsExactly("2001:db8:0:0:0:0:0:9", "2001:db8:0:0:0:0:0:a", "2001:db8:0:0:0:0:0:10");
    }
}
