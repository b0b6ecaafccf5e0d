package dev.vppmaglev.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vppmaglev.vpp.api.msg.LbAsSetWeight;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.fake.FakeVpp;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issues 3 and 4 from an operator's seat: bin/maglevd as a process against a fake VPP (binary API
 * and stats segment, in this JVM) with real loopback backends. VIPs and weights appear in VPP;
 * a backend going down is flushed; {@code maglevc show vpp ...} prints what VPP holds; counters
 * bumped in the fake show in the CLI and in /metrics within a scrape; a VPP restart clears them
 * and maglevd reconnects, resyncs and restores them.
 */
class VppE2ETest {
    @TempDir
    Path dir;

    private static final LbVip VIP;

    static {
        try {
            VIP = LbVip.host(InetAddress.getByName("192.0.2.20"), 6, 80);
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static String config(int port) {
        return """
                maglev:
                  vpp:
                    lb:
                      ipv4-src-address: 192.0.2.254
                      sync-interval: 30s
                      startup-min-delay: 0s
                      startup-max-delay: 0s
                  healthchecks:
                    web:
                      type: http
                      port: %d
                      interval: 300ms
                      fast-interval: 100ms
                      timeout: 500ms
                      rise: 2
                      fall: 2
                  backends:
                    a: { address: 127.0.0.2, healthcheck: web }
                    b: { address: 127.0.0.3, healthcheck: web }
                  frontends:
                    web:
                      address: 192.0.2.20
                      protocol: tcp
                      port: 80
                      pools:
                        - name: main
                          backends: { a: {}, b: { weight: 50 } }
                """.formatted(port);
    }


    @Test
    void programsVppShowsItAndServesCountersAcrossAVppRestart() throws Exception {
        try (Backends backends = new Backends("127.0.0.2", "127.0.0.3");
             FakeVpp vpp = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).statsSocket(dir.resolve("stats.sock"))
                     .build().start()) {
            backends.start("127.0.0.2");
            HttpServer b = backends.start("127.0.0.3");
            Path cfg = dir.resolve("maglev.yaml");
            Files.writeString(cfg, config(backends.port));

            try (Programs.Maglevd d = new Programs.Maglevd(List.of("--config", cfg.toString(),
                    "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
                    "--vpp-api-addr", dir.resolve("api.sock").toString(),
                    "--vpp-stats-addr", dir.resolve("stats.sock").toString()))) {
                d.awaitStarted(Duration.ofSeconds(60));
                String server = d.server();

                // Programmed from config and health: a at 100, b at 50.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    String cli = vpp.cli("show lb vips verbose");
                    assertThat(cli).contains("192.0.2.20/32").containsPattern("127\\.0\\.0\\.2 weight:100")
                            .containsPattern("127\\.0\\.0\\.3 weight:50");
                });
                Programs.Result state = Programs.maglevc(server, "show", "vpp", "lb", "state");
                assertThat(state.exit()).as(state.stderr()).isZero();
                assertThat(state.stdout()).contains("ip4-src 192.0.2.254")
                        .containsPattern("192\\.0\\.2\\.20\\s+proto tcp\\s+port 80\\s+encap gre4")
                        .doesNotContain("192.0.2.20/32")
                        .containsPattern("127\\.0\\.0\\.2\\s+100\\s+\\d+")
                        .containsPattern("127\\.0\\.0\\.3\\s+50\\s+\\d+");
                Programs.Result info = Programs.maglevc(server, "show", "vpp", "info");
                assertThat(info.stdout()).contains("26.10").containsPattern("lb-api\\s+v2");

                // b goes down: weight 0 with flush (flush-on-down defaults to true).
                vpp.clearCalls();
                b.stop(0);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(vpp.callLog())
                        .anySatisfy(c -> {
                            assertThat(c.request()).isInstanceOf(LbAsSetWeight.class);
                            LbAsSetWeight w = (LbAsSetWeight) c.request();
                            assertThat(w.asAddress().getHostAddress()).isEqualTo("127.0.0.3");
                            assertThat(w.weight()).isZero();
                            assertThat(w.isFlush()).isTrue();
                        }));

                // Counters bumped in VPP show up within one scrape (5 s).
                vpp.bumpVip(VIP, 7, 1000, 2, 3, 1012, 123_456);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    Programs.Result c = Programs.maglevc(server, "show", "vpp", "lb", "counters");
                    assertThat(c.exit()).as(c.stderr()).isZero();
                    assertThat(c.stdout()).containsPattern("192\\.0\\.2\\.20\\s+tcp\\s+80\\s+7\\s+1000\\s+2\\s+3\\s+1012\\s+123456");
                });
                assertThat(d.metrics())
                        .contains("maglev_vip_packets_total{kind=\"first\",port=\"80\",prefix=\"192.0.2.20/32\",protocol=\"tcp\"} 7.0")
                        .contains("maglev_vip_route_bytes_total{port=\"80\",prefix=\"192.0.2.20/32\",protocol=\"tcp\"} 123456.0")
                        .contains("maglev_vpp_connected 1.0");

                // VPP restarts with an empty table: counters are gone until maglevd reconnects,
                // then the VIP is programmed again and counters flow again.
                vpp.restart();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(d.metrics()).doesNotContain("maglev_vip_packets_total{"));
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(vpp.cli("show lb vips verbose")).contains("192.0.2.20/32")
                                .containsPattern("127\\.0\\.0\\.2 weight:100"));
                vpp.bumpVip(VIP, 5, 6, 0, 0, 11, 2222);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(Programs.maglevc(server, "show", "vpp", "lb", "counters").stdout())
                                .containsPattern("192\\.0\\.2\\.20\\s+tcp\\s+80\\s+5\\s+6\\s+0\\s+0\\s+11\\s+2222"));
                assertThat(d.logLines(l -> l.contains("\"msg\":\"vpp-disconnect\""))).isNotEmpty();
                assertThat(d.stop()).isZero();
            }
        }
    }
}
