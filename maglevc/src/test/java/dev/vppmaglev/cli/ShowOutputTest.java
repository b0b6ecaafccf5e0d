package dev.vppmaglev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every show command against the fake daemon's data, printed in one-shot mode with colour off and
 * a clock fixed at {@link Cli#NOW}: exact text, including host-mask stripping (/32, /128),
 * lower-case states, two-unit ages, unsigned 64-bit counters and port 0 as "all".
 */
class ShowOutputTest {
    private FakeServer server;

    @BeforeEach
    void start() {
        server = FakeServer.tcp(new FakeMaglev(Cli.NOW));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void assertPrints(String command, String expected) {
        Cli.Result r = Cli.oneShot(server, command.split(" "));
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo(expected);
    }

    @Test
    void showVersion() {
        assertPrints("show version", """
                maglevc          %s
                maglevd          1.0.2
                maglevd-commit   70167439
                maglevd-date     2026-04-15
                maglevd-started  2026-11-18 04:00:00 (3d4h ago)
                """.formatted(Version.maglevc()));
        assertThat(Version.maglevc()).as("filtered from the pom").matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void showVersionAsJsonNamesBothBuilds() {
        Cli.Result r = Cli.oneShot(server, "--json", "show", "version");
        assertThat(r.err()).isEmpty();
        // maglevc's commit and date come from the build-info file the build writes for every program.
        assertThat(Version.commit()).as("build-info.sh ran").matches("[0-9a-f]{7,40}(-dirty)?");
        assertThat(Version.date()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(r.out()).contains("  \"maglevc\": {\n    \"version\": \"" + Version.maglevc() + "\",\n"
                        + "    \"commit\": \"" + Version.commit() + "\",\n    \"date\": \"" + Version.date() + "\",\n")
                .contains("\"commit\": \"70167439\"");
    }

    @Test
    void showFrontends() {
        assertPrints("show frontends", """
                NAME  ADDRESS      PROTO  PORT  STATE  ACTIVE-POOL  UP/TOTAL
                web   192.0.2.1    tcp    80    up     primary      2/3
                web6  2001:db8::1  tcp    443   up     main         1/2
                dns   192.0.2.53   udp    53    down   main         0/2
                """);
    }

    @Test
    void showFrontendWithFallbackPool() {
        assertPrints("show frontend web", """
                name           web
                address        192.0.2.1
                protocol       tcp
                port           80
                state          up
                active-pool    primary
                src-ip-sticky  false
                flush-on-down  true
                description    public web site
                pool primary (active)
                  nginx0  weight 100  effective 100  up
                  nginx1  weight 100  effective   0  down
                pool fallback
                  nginx2  weight  50  effective   0  up
                """);
    }

    @Test
    void showFrontendWithDisabledBackend() {
        assertPrints("show frontend web6", """
                name           web6
                address        2001:db8::1
                protocol       tcp
                port           443
                state          up
                active-pool    main
                src-ip-sticky  true
                flush-on-down  true
                pool main (active)
                  nginx0  weight 100  effective 100  up
                  nginx3  weight 100  effective   0  disabled [disabled]
                """);
    }

    @Test
    void showBackends() {
        assertPrints("show backends", """
                NAME    ADDRESS        STATE     HEALTH  CHECK    CODE      SINCE
                nginx0  10.0.0.1       up        4/4     http     L7OK      1h12m
                nginx1  10.0.0.2       down      0/4     http     L4CON     10m30s
                nginx2  10.0.0.3       up        4/4     http     L7OK      1d16h
                nginx3  2001:db8:1::4  disabled  0/4     tls      disabled  45s
                dns0    10.0.1.1       paused    2/3     dns-tcp  paused    2h
                dns1    10.0.1.2       unknown   1/3     dns-tcp  -         -
                """);
    }

    @Test
    void showBackendWithHistory() {
        assertPrints("show backend nginx1", """
                name         nginx1
                address      10.0.0.2
                state        down
                enabled      true
                healthcheck  http
                health       0/4 (rise 2, fall 3)
                last-code    L4CON
                last-detail  connection refused
                last-probe   3s ago, took 1.2ms
                since        10m30s ago
                frontends    web
                transitions
                  unknown  ->  up    1d16h   L7OK   HTTP 200
                  up       ->  down  10m30s  L4CON  connection refused
                """);
    }

    @Test
    void showBackendNeverProbed() {
        assertPrints("show backend dns1", """
                name         dns1
                address      10.0.1.2
                state        unknown
                enabled      true
                healthcheck  dns-tcp
                health       1/3 (rise 2, fall 2)
                last-code    -
                last-probe   never
                since        -
                frontends    dns
                transitions  none
                """);
    }

    @Test
    void showHealthchecks() {
        assertPrints("show healthchecks", """
                NAME     TYPE   PORT  INTERVAL  FAST   DOWN  TIMEOUT  RISE  FALL  BACKENDS
                http     http   80    2s        1s     5s    1s       2     3     3
                tls      https  443   5s        2s     10s   2.5s     3     2     1
                ping     icmp   -     1s        500ms  5s    750ms    1     1     0
                dns-tcp  tcp    53    1.5s      1.5s   1m    1s       2     2     2
                """);
    }

    @Test
    void showHealthcheckWithParams() {
        assertPrints("show healthcheck http", """
                name           http
                type           http
                port           80
                interval       2s
                fast-interval  1s
                down-interval  5s
                timeout        1s
                rise           2
                fall           3
                backends       nginx0, nginx1, nginx2
                params
                  expect-status  200-399
                  host           www.example.com
                  path           /healthz
                """);
    }

    @Test
    void showHealthcheckIcmp() {
        assertPrints("show healthcheck ping", """
                name            ping
                type            icmp
                port            -
                interval        1s
                fast-interval   500ms
                down-interval   5s
                timeout         750ms
                rise            1
                fall            1
                probe-ipv4-src  192.0.2.250
                backends        none
                params          none
                """);
    }

    @Test
    void showVppInfo() {
        assertPrints("show vpp info", """
                version       26.10-rc0~37-gb575ec2c
                build-date    2026-11-02T10:11:12
                build-dir     /home/vpp/build-root
                vpp-pid       4242
                vpp-boottime  2026-11-19 05:00:00 (2d3h ago)
                connected     2026-11-21 07:49:30 (10m30s ago)
                lb-api        v2
                api-socket    /run/vpp/api.sock
                stats-socket  /run/vpp/stats.sock (mapped)
                """);
    }

    @Test
    void showVppLbState() {
        assertPrints("show vpp lb state", """
                conf  ip4-src 192.0.2.254  ip6-src 2001:db8::fe  sticky-buckets-per-core 65536  flow-timeout 40s

                192.0.2.1  proto tcp  port 80  encap gre4  sticky no  lb-index 0  frontend web
                  ADDRESS   WEIGHT  BUCKETS
                  10.0.0.1     100     1024
                  10.0.0.2       0        0
                  10.0.0.3       0        0

                2001:db8::1  proto tcp  port 443  encap gre6  sticky yes  lb-index 1  frontend web6
                  ADDRESS        WEIGHT  BUCKETS
                  10.0.0.1          100     1024
                  2001:db8:1::4       0        0

                192.0.2.53  proto udp  port 53  encap gre4  sticky no  lb-index 2  frontend dns
                  no application servers

                198.51.100.0/24  proto any  port all  encap l3dsr  sticky ?  lb-index ?
                  no application servers
                """);
    }

    @Test
    void showVppLbCounters() {
        assertPrints("show vpp lb counters", """
                VIP          PROTO  PORT  FIRST      NEXT  UNTRACKED             NO-SERVER  FIB-PACKETS     FIB-BYTES
                192.0.2.1    tcp    80     1200  98765432          3                     0     98766635  123456789012
                2001:db8::1  tcp    443       7      4242          0                     0         4249       5120000
                192.0.2.53   udp    53        0         0          0  18446744073709551615            0             0
                """);
    }

    @Test
    void syncVppLbState() {
        assertPrints("sync vpp lb state", """
                vip-added          0
                vip-removed        1
                as-added           2
                as-removed         0
                as-weight-updated  3
                """);
    }

    @Test
    void watchEventsStopsAfterNum() {
        assertPrints("watch events num 6", """
                2026-11-21 08:00:00.000 frontend web up
                2026-11-21 08:00:00.000 frontend web6 up
                2026-11-21 08:00:00.000 frontend dns down
                2026-11-21 08:00:01.500 backend nginx1 down -> up code=L7OK detail="HTTP 200"
                2026-11-21 08:00:01.501 log info backend-transition backend=nginx1 from=down to=up
                2026-11-21 08:00:02.000 frontend dns down -> up
                """);
    }
}
