package dev.vppmaglev.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid configs: records, defaults, file order, and the forms the schema accepts. */
class ConfigLoaderTest {
    private static final ConfigLoader.Options VPP = ConfigLoader.Options.DEFAULTS;

    private static Path resource(String name) throws Exception {
        return Path.of(ConfigLoaderTest.class.getResource(name).toURI());
    }

    private static Config parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "test.yaml", VPP);
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private static final String MINIMAL = """
            maglev:
              vpp:
                lb:
                  ipv4-src-address: 192.0.2.254
              healthchecks:
                h: { type: http, port: 80 }
                t: { type: tcp, port: 22 }
                i: { type: icmp }
              backends:
                b: { address: 198.51.100.1, healthcheck: h }
              frontends:
                f:
                  address: 192.0.2.1
                  pools:
                    - name: p
                      backends:
                        b: {}
            """;

    @Test
    void fullExampleParsesToTheExpectedRecords() throws Exception {
        Path file = resource("/good/full.yaml");
        Config c = ConfigLoader.load(file, VPP);

        assertThat(c.source()).isEqualTo(file.toAbsolutePath().normalize());
        assertThat(c.healthchecker()).isEqualTo(new HealthCheckerConfig(10, "dataplane"));
        assertThat(c.vppLb()).isEqualTo(new VppLbConfig(
                (Inet4Address) ip("192.0.2.254"), (Inet6Address) ip("2001:db8::254"),
                Duration.ofMinutes(1), 1024, Duration.ofSeconds(120), Duration.ZERO,
                Duration.ofSeconds(90)));

        assertThat(c.healthchecks()).containsExactly(
                entry("web", new HealthCheck("web", CheckType.HTTPS, 443, Duration.ofSeconds(5),
                        Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), 1, 5,
                        (Inet4Address) ip("192.0.2.250"), (Inet6Address) ip("2001:db8::250"),
                        new HttpParams("/healthz?full=1", "www.example.com", "GET",
                                List.of(new StatusRange(200, 200), new StatusRange(204, 204),
                                        new StatusRange(300, 399)),
                                "^ok$", "api.example.com", true))),
                entry("redis", new HealthCheck("redis", CheckType.TCP, 6379,
                        Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofMillis(250),
                        Duration.ofSeconds(1), 2, 3, null, null,
                        new TcpParams("PING\r\n", "^\\+PONG", true, "redis.example.com", false))),
                entry("ping", new HealthCheck("ping", CheckType.ICMP, 0, Duration.ofSeconds(1),
                        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 3,
                        null, null, IcmpParams.INSTANCE)));

        assertThat(c.backends()).containsExactly(
                entry("zeta", new Backend("zeta", ip("198.51.100.30"), "web", false)),
                entry("alpha", new Backend("alpha", ip("198.51.100.10"), "web", true)),
                entry("v6-one", new Backend("v6-one", ip("2001:db8:100::1"), "ping", true)),
                entry("cache", new Backend("cache", ip("198.51.100.40"), "redis", true)));

        assertThat(c.frontends()).containsExactly(
                entry("web-v4", new Frontend("web-v4", "IPng website: ü and all", ip("192.0.2.1"),
                        Protocol.TCP, 443, List.of(
                        new Pool("primary", List.of(new PoolBackend("zeta", 0),
                                new PoolBackend("alpha", 100))),
                        new Pool("fallback", List.of(new PoolBackend("cache", 100)))),
                        true, false)),
                entry("any-v6", new Frontend("any-v6", "", ip("2001:db8::1"), Protocol.ANY, 0,
                        List.of(new Pool("only", List.of(new PoolBackend("v6-one", 100)))),
                        false, true)),
                entry("udp-v4", new Frontend("udp-v4", "", ip("192.0.2.1"), Protocol.UDP, 443,
                        List.of(new Pool("only", List.of(new PoolBackend("alpha", 7)))),
                        false, true)));

        assertThat(c.frontendsUsing("alpha")).extracting(Frontend::name)
                .containsExactly("web-v4", "udp-v4");
        assertThat(c.backendsUsing("web")).extracting(Backend::name)
                .containsExactly("zeta", "alpha");
    }

    @Test
    void netnsIsANameAndAnEmptyOneMeansOurOwnNamespace() throws Exception {
        String named = MINIMAL.replace("maglev:\n", "maglev:\n  healthchecker:\n    netns: dataplane\n");
        assertThat(parse(named).healthchecker().netns()).isEqualTo("dataplane");
        String empty = MINIMAL.replace("maglev:\n", "maglev:\n  healthchecker:\n    netns: \"\"\n");
        assertThat(parse(empty).healthchecker()).isEqualTo(HealthCheckerConfig.DEFAULTS);
        String dots = MINIMAL.replace("maglev:\n", "maglev:\n  healthchecker:\n    netns: \"..\"\n");
        assertThatThrownBy(() -> parse(dots)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("healthchecker.netns: \"..\" is not a namespace name");
    }

    private static <V> java.util.Map.Entry<String, V> entry(String k, V v) {
        return java.util.Map.entry(k, v);
    }

    @Test
    void everyDefaultIsApplied() throws Exception {
        Config c = parse(MINIMAL);
        assertThat(c.source()).as("parsed from text").isNull();
        assertThat(c.healthchecker()).isEqualTo(HealthCheckerConfig.DEFAULTS);
        assertThat(c.healthchecker().transitionHistory()).isEqualTo(5);
        assertThat(c.healthchecker().netns()).isEmpty();
        VppLbConfig lb = c.vppLb();
        assertThat(lb.ipv6SrcAddress()).isNull();
        assertThat(lb.syncInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(lb.stickyBucketsPerCore()).isEqualTo(65536);
        assertThat(lb.flowTimeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(lb.startupMinDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(lb.startupMaxDelay()).isEqualTo(Duration.ofSeconds(30));

        HealthCheck h = c.healthchecks().get("h");
        assertThat(h.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.fastInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.downInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(h.rise()).isEqualTo(2);
        assertThat(h.fall()).isEqualTo(3);
        assertThat(h.probeIpv4Src()).isNull();
        assertThat(h.probeIpv6Src()).isNull();
        assertThat(h.params()).isEqualTo(new HttpParams("/", "", "GET",
                List.of(new StatusRange(200, 399)), "", "", false));
        assertThat(c.healthchecks().get("t").params()).isEqualTo(new TcpParams("", "", false, "", false));
        assertThat(c.healthchecks().get("i").port()).isZero();
        assertThat(c.healthchecks().get("i").params()).isEqualTo(IcmpParams.INSTANCE);

        assertThat(c.backends().get("b").enabled()).isTrue();
        Frontend f = c.frontends().get("f");
        assertThat(f.description()).isEmpty();
        assertThat(f.protocol()).isEqualTo(Protocol.ANY);
        assertThat(f.port()).isZero();
        assertThat(f.srcIpSticky()).isFalse();
        assertThat(f.flushOnDown()).isTrue();
        assertThat(f.pools().get(0).backends()).containsExactly(new PoolBackend("b", 100));
    }

    @Test
    void fastAndDownIntervalDefaultToTheConfiguredInterval() throws Exception {
        Config c = parse(MINIMAL.replace("h: { type: http, port: 80 }",
                "h: { type: http, port: 80, interval: 7s, down-interval: 1m }"));
        HealthCheck h = c.healthchecks().get("h");
        assertThat(h.interval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(h.fastInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(h.downInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aPoolMemberWithoutSettingsHasTheDefaultWeight() throws Exception {
        Config c = parse(MINIMAL.replace("            b: {}", """
                            b:
                        - name: q
                          backends:
                            c: ~
                        - name: r
                          backends:
                            d: { weight: ~ }
                        - name: s
                          backends: {}
                """).replace("    b: { address: 198.51.100.1, healthcheck: h }", """
                    b: { address: 198.51.100.1, healthcheck: h }
                    c: { address: 198.51.100.2, healthcheck: h }
                    d: { address: 198.51.100.3, healthcheck: h }
                """));
        assertThat(c.frontends().get("f").pools()).extracting(Pool::name)
                .containsExactly("p", "q", "r", "s");
        assertThat(c.frontends().get("f").pools()).flatExtracting(Pool::backends)
                .extracting(PoolBackend::weight).containsExactly(100, 100, 100);
        assertThat(c.frontends().get("f").pool("s").backends()).as("an empty pool is allowed").isEmpty();
    }

    @Test
    void mapsKeepTheOrderOfTheFile() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add("n" + Integer.toString(i * 7919 % 1000, 36));
        }
        Collections.shuffle(names, new Random(42));
        StringBuilder y = new StringBuilder("maglev:\n  healthchecks:\n");
        for (String n : names) {
            y.append("    ").append(n).append(": { type: icmp }\n");
        }
        y.append("  backends:\n");
        for (int i = 0; i < names.size(); i++) {
            y.append("    ").append(names.get(i)).append(": { address: 198.51.100.").append(i + 1)
                    .append(", healthcheck: ").append(names.get(i)).append(" }\n");
        }
        y.append("  frontends:\n");
        for (int i = 0; i < names.size(); i++) {
            y.append("    ").append(names.get(i)).append(":\n      address: 192.0.2.").append(i + 1)
                    .append("\n      pools:\n");
            for (int p = 0; p < 3; p++) {
                y.append("        - name: ").append(names.get((i + p) % names.size()))
                        .append("\n          backends:\n");
                for (int b = 0; b < 3; b++) {
                    y.append("            ").append(names.get((i + 3 * p + b) % names.size()))
                            .append(": {}\n");
                }
            }
        }
        Config c = ConfigLoader.parse(y.toString(), "order.yaml", new ConfigLoader.Options(false));
        assertThat(c.healthchecks().keySet()).containsExactlyElementsOf(names);
        assertThat(c.backends().keySet()).containsExactlyElementsOf(names);
        assertThat(c.frontends().keySet()).containsExactlyElementsOf(names);
        Frontend f = c.frontends().get(names.get(5));
        assertThat(f.pools()).extracting(Pool::name)
                .containsExactly(names.get(5), names.get(6), names.get(7));
        assertThat(f.pools().get(1).backends()).extracting(PoolBackend::backend)
                .containsExactly(names.get(8), names.get(9), names.get(10));
    }

    @Test
    void loadMakesTheSourceAbsoluteAndNamesTheFileAsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("maglev.yaml");
        Files.writeString(file, MINIMAL);
        Path relative = Path.of("").toAbsolutePath().relativize(file);
        Config c = ConfigLoader.load(relative, VPP);
        assertThat(c.source()).isAbsolute().isEqualTo(file.toAbsolutePath().normalize());

        Files.writeString(file, MINIMAL.replace("b: {}", "b: { weight: 101 }"));
        assertThatThrownBy(() -> ConfigLoader.load(relative, VPP))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                        .singleElement().satisfies(err -> {
                            assertThat(err.file()).isEqualTo(relative.toString());
                            assertThat(err.toString()).isEqualTo(relative + ":17:26: weight-range: "
                                    + "frontends.f.pools[0].backends.b.weight: weight 101 out of range 0..100");
                        }));
    }

    @Test
    void vipSourceAddressesAreOnlyRequiredWhenVppIsEnabled() throws Exception {
        String v6 = MINIMAL.replace("198.51.100.1", "2001:db8:100::1").replace("192.0.2.1", "2001:db8::1");
        assertThatThrownBy(() -> ConfigLoader.parse(v6, "v6.yaml", VPP))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConfigException.Kind.SEMANTIC);
                    assertThat(e.errors()).extracting(ConfigError::rule)
                            .containsExactly("missing-src-address");
                });
        Config c = ConfigLoader.parse(v6, "v6.yaml", new ConfigLoader.Options(false));
        assertThat(c.frontends().get("f").prefixLength()).isEqualTo(128);
        // IPv4 VIPs only need the IPv4 source.
        assertThat(parse(MINIMAL).vppLb().ipv6SrcAddress()).isNull();
    }

    @Test
    void mergeKeysShareSettingsAndWrittenKeysWin() throws Exception {
        Config c = parse(MINIMAL.replace("""
                    h: { type: http, port: 80 }
                """, """
                    h: &base
                      type: http
                      port: 80
                      interval: 5s
                      params: &params { path: /a, expect-status: 200 }
                    h2:
                      <<: *base
                      port: 8080
                      params:
                        <<: *params
                        path: /b
                """));
        HealthCheck h2 = c.healthchecks().get("h2");
        assertThat(h2.type()).isEqualTo(CheckType.HTTP);
        assertThat(h2.port()).isEqualTo(8080);
        assertThat(h2.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(((HttpParams) h2.params()).path()).isEqualTo("/b");
        assertThat(((HttpParams) h2.params()).expectStatus()).containsExactly(new StatusRange(200, 200));
        assertThat(c.healthchecks().get("h").port()).isEqualTo(80);
        assertThat(c.healthchecks().get("h").sameProbe(h2)).isFalse();
    }

    @Test
    void expectStatusTakesACodeARangeOrAListOfBoth() throws Exception {
        for (var form : List.of(
                List.of("204", List.of(new StatusRange(204, 204))),
                List.of("\"200-299\"", List.of(new StatusRange(200, 299))),
                List.of("[200, 301-302, \"404\"]", List.of(new StatusRange(200, 200),
                        new StatusRange(301, 302), new StatusRange(404, 404))))) {
            Config c = parse(MINIMAL.replace("h: { type: http, port: 80 }",
                    "h: { type: http, port: 80, params: { expect-status: " + form.get(0) + " } }"));
            HttpParams p = (HttpParams) c.healthchecks().get("h").params();
            assertThat(p.expectStatus()).as(form.get(0).toString()).isEqualTo(form.get(1));
            assertThat(p.statusExpected(301)).isEqualTo(form.get(0).toString().contains("301"));
        }
    }

    @Test
    void acceptedSpellings() throws Exception {
        Config c = parse(MINIMAL
                .replace("h: { type: http, port: 80 }",
                        "h: { type: https, port: +80, timeout: \"30s\", interval: 1s,"
                                + " params: { method: head, insecure-skip-verify: False } }")
                .replace("b: { address: 198.51.100.1, healthcheck: h }",
                        "b: { address: \" 198.51.100.1 \", healthcheck: h, enabled: FALSE }")
                .replace("      address: 192.0.2.1", "      address: 192.0.2.1\n      protocol: any"));
        HealthCheck h = c.healthchecks().get("h");
        assertThat(h.port()).isEqualTo(80);
        assertThat(h.timeout()).as("a timeout longer than the interval is allowed")
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(((HttpParams) h.params()).method()).isEqualTo("HEAD");
        assertThat(c.backends().get("b").enabled()).isFalse();
        assertThat(c.backends().get("b").address()).isEqualTo(ip("198.51.100.1"));
        assertThat(c.frontends().get("f").protocol()).isEqualTo(Protocol.ANY);
    }

    @Test
    void nullSectionsAreEmptyAndUnreferencedDefinitionsAreFine() throws Exception {
        Config c = parse("maglev:\n  healthchecker:\n  vpp:\n  healthchecks:\n"
                + "    lonely: { type: icmp }\n  backends:\n"
                + "    idle: { address: 2001:db8::9, healthcheck: lonely }\n  frontends:\n");
        assertThat(c.healthchecker()).isEqualTo(HealthCheckerConfig.DEFAULTS);
        assertThat(c.vppLb()).isEqualTo(VppLbConfig.DEFAULTS);
        assertThat(c.frontends()).isEmpty();
        assertThat(c.backends()).containsKey("idle");
        assertThat(parse("maglev: {}\n").backends()).isEmpty();
    }

    @Test
    void zeroDisablesTheStartupDelaysAndThenOrderIsNotChecked() throws Exception {
        Config c = parse(MINIMAL.replace("      ipv4-src-address: 192.0.2.254",
                "      ipv4-src-address: 192.0.2.254\n      startup-min-delay: 1m\n"
                        + "      startup-max-delay: 0s"));
        assertThat(c.vppLb().startupMinDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.vppLb().startupMaxDelay()).isZero();
    }

    @Test
    void namesMayUseAnyPrintableCharacters() throws Exception {
        Config c = parse(MINIMAL.replace("b: { address", "\"nginx0.ams/ü:1\": { address")
                .replace("b: {}", "\"nginx0.ams/ü:1\": {}"));
        assertThat(c.backends()).containsOnlyKeys("nginx0.ams/ü:1");
        String longest = "x".repeat(SchemaReader.MAX_NAME_LENGTH);
        assertThat(parse(MINIMAL.replace("    f:\n", "    " + longest + ":\n")).frontends())
                .containsOnlyKeys(longest);
    }

    @Test
    void anAllPortVipBlocksPerPortVipsOnItsAddressInEitherOrder() throws Exception {
        String twoFrontends = MINIMAL + """
                    g:
                      address: 192.0.2.1
                      protocol: udp
                      port: 53
                      pools:
                        - name: p
                          backends:
                            b: {}
                """;
        assertThatThrownBy(() -> parse(twoFrontends))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                        .singleElement().satisfies(err -> {
                            assertThat(err.rule()).isEqualTo("all-port-conflict");
                            assertThat(err.line()).isEqualTo(19);
                            assertThat(err.message()).contains("frontend f takes every port of"
                                    + " 192.0.2.1 so frontend g cannot have port 53");
                        }));
        // Different addresses, or per-port VIPs side by side, are fine.
        assertThat(parse(twoFrontends.replace("  address: 192.0.2.1\n      protocol: udp",
                "  address: 192.0.2.2\n      protocol: udp")).frontends()).hasSize(2);
    }

    @Test
    void aMinimumDelayAboveTheDefaultMaximumSaysToSetTheMaximum() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("      ipv4-src-address: 192.0.2.254",
                "      ipv4-src-address: 192.0.2.254\n      startup-min-delay: 1m")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                        .singleElement().satisfies(err -> {
                            assertThat(err.rule()).isEqualTo("startup-delay-order");
                            assertThat(err.line()).as("at the lb: key").isEqualTo(3);
                            assertThat(err.message()).isEqualTo("vpp.lb.startup-max-delay: 30s"
                                    + " (the default) is shorter than startup-min-delay 1m; the"
                                    + " release phase must end after the hands-off window: set"
                                    + " startup-max-delay too");
                        }));
    }

    @Test
    void icmpChecksRefuseProbeSourceAddressesOtherTypesTakeThem() throws Exception {
        // IcmpProber sends every icmp probe of a family through one shared socket: a source
        // address there would be silently ignored, so the loader refuses it.
        assertThatThrownBy(() -> parse(MINIMAL.replace("i: { type: icmp }",
                "i: { type: icmp, probe-ipv4-src: 192.0.2.250, probe-ipv6-src: \"2001:db8::250\" }")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConfigException.Kind.PARSE);
                    assertThat(e.errors()).extracting(ConfigError::rule).containsExactly("not-for-type", "not-for-type");
                    assertThat(e.errors()).extracting(ConfigError::message).containsExactly(
                            "healthchecks.i.probe-ipv4-src: icmp checks cannot choose a source address (every"
                                    + " icmp probe of a family shares one socket); remove it",
                            "healthchecks.i.probe-ipv6-src: icmp checks cannot choose a source address (every"
                                    + " icmp probe of a family shares one socket); remove it");
                });
        Config c = parse(MINIMAL.replace("t: { type: tcp, port: 22 }",
                "t: { type: tcp, port: 22, probe-ipv4-src: 192.0.2.250, probe-ipv6-src: \"2001:db8::250\" }"));
        assertThat(c.healthchecks().get("t").probeIpv4Src()).isEqualTo(ip("192.0.2.250"));
        assertThat(c.healthchecks().get("t").probeIpv6Src()).isEqualTo(ip("2001:db8::250"));
    }

    @Test
    void aTimeoutMayBeUpToOneHour() throws Exception {
        assertThat(parse(MINIMAL.replace("h: { type: http, port: 80 }", "h: { type: http, port: 80, timeout: 1h }"))
                .healthchecks().get("h").timeout()).isEqualTo(HealthCheck.MAX_TIMEOUT);
        assertThatThrownBy(() -> parse(MINIMAL.replace("h: { type: http, port: 80 }",
                "h: { type: http, port: 80, timeout: 61m }")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                        .singleElement().satisfies(err -> {
                            assertThat(err.rule()).isEqualTo("timeout-range");
                            assertThat(err.message()).isEqualTo("healthchecks.h.timeout: 1h1m is above the"
                                    + " maximum of 1h (default 1s)");
                        }));
    }
}
