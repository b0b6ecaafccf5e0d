package dev.vppmaglev.vpp.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.CliVipCounters;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
import dev.vppmaglev.vpp.api.msg.LbAsV2Details;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.Messages;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code show lb vips verbose} parser against every golden text, cross-checked with the
 * {@code lb_vip_dump} / {@code lb_as_v2_dump} replies captured at the same step.
 */
class ShowLbVipsParserTest {

    private static List<CliVip> parse(String file) {
        return ShowLbVipsParser.parseVerbose(Golden.cli(file));
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenVerboseTextParsesCompletely() {
        List<Path> files = Golden.cliFiles("show-lb-vips-verbose-*");
        assertThat(files).hasSize(13);
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String text = Golden.read(p);
            List<CliVip> vips = ShowLbVipsParser.parseVerbose(text);
            long heads = text.lines().filter(l -> l.matches("^ ip[46]-\\S+ \\[\\d+\\] .*")).count();
            long asLines = text.lines().filter(l -> l.startsWith("    ") && l.contains(" weight:")).count();
            assertThat(vips).hasSize((int) heads).isNotEmpty();
            assertThat(vips.stream().mapToInt(v -> v.ases().size()).sum()).isEqualTo((int) asLines);
            assertThat(vips).extracting(CliVip::index).doesNotHaveDuplicates();
        }));
    }

    @Test
    void crlfTextFromTheCliSocketParsesLikeTheApiText() {
        assertThat(parse("show-lb-vips-verbose-cli-configured.vppctl.txt"))
                .isEqualTo(parse("show-lb-vips-verbose-cli-configured.txt"));
    }

    @Test
    void withAsesShowsStickyFlagIndexesAndUnequalBuckets() {
        List<CliVip> v = parse("show-lb-vips-verbose-with-ases.txt");
        assertThat(v).extracting(CliVip::index).containsExactly(1, 2, 3, 4);
        assertThat(v).extracting(CliVip::srcIpSticky).containsExactly(false, true, false, false);
        assertThat(v).extracting(CliVip::type).containsExactly("ip4-gre4", "ip4-gre4", "ip6-gre6", "ip4-gre4");
        assertThat(v.get(3).protocol()).isEqualTo(255);
        assertThat(v.get(3).port()).isZero();
        assertThat(v.get(0).ases()).extracting(CliAs::weight).containsExactly(100, 50, 0);
        assertThat(v.get(0).ases()).extracting(CliAs::buckets).containsExactly(674, 350, 0);
        assertThat(v.get(0).ases()).extracting(CliAs::dpo).containsExactly(12, 13, 14);
        assertThat(v.get(2).encap()).isEqualTo(LbEncap.GRE6);
        assertThat(v.get(2).key().toString()).isEqualTo("2001:db8::1/128 tcp 443");
    }

    @Test
    void weightChangesShowInBuckets() {
        assertThat(parse("show-lb-vips-verbose-after-weight-0-flush.txt").get(0).ases())
                .extracting(CliAs::buckets).containsExactly(1024, 0, 0);
        assertThat(parse("show-lb-vips-verbose-after-weight-restore.txt").get(0).ases())
                .extracting(CliAs::buckets).containsExactly(512, 512, 0);
        assertThat(parse("show-lb-vips-verbose-weight-101.txt").get(0).ases())
                .extracting(CliAs::weight, CliAs::buckets)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(101, 515), org.assertj.core.groups.Tuple.tuple(100, 509),
                        org.assertj.core.groups.Tuple.tuple(0, 0));
    }

    @Test
    void plainTextAgreesWithTheDumpsOfTheSameMoment() {
        // b16/b17 (dumps) and b22 (CLI) see the same state: nothing changed in between
        List<Golden.Frame> b = Golden.transcript("b-lb-programming");
        crossCheck(parse("show-lb-vips-verbose-plain.txt"), details(b, "b16-vip-dump"), asDetails(b, "b17-as-v2-dump-all"));
    }

    @Test
    void afterDeletesAgreesWithTheDumpsAndKeepsRemovedEntries() {
        List<Golden.Frame> b = Golden.transcript("b-lb-programming");
        List<CliVip> cli = parse("show-lb-vips-verbose-after-deletes.txt");
        crossCheck(cli, details(b, "b30-vip-dump-after-deletes"), asDetails(b, "b31-as-v2-dump-after-deletes"));
        assertThat(cli.get(3).removed()).isTrue();
        assertThat(cli.get(3).prefix().toString()).isEqualTo("192.0.2.3/32");
        CliAs removed = cli.get(0).ases().get(2);
        assertThat(removed.used()).isFalse();
        assertThat(removed.dpo()).isEqualTo(14);
    }

    @Test
    void afterTrafficCountersEqualTheStatsSegmentValues() {
        List<Golden.Frame> c = Golden.transcript("c-after-traffic");
        List<CliVip> cli = parse("show-lb-vips-verbose-after-traffic.txt");
        crossCheck(cli, details(c, "c03-vip-dump"), asDetails(c, "c04-as-v2-dump"));
        JsonObject expected = JsonParser.parseString(Golden.read(Golden.dir().resolve("stats/expected.json")))
                .getAsJsonObject();
        for (JsonElement e : expected.getAsJsonArray("vips")) {
            JsonObject v = e.getAsJsonObject();
            CliVip got = cli.stream().filter(x -> x.index() == v.get("lb_vip_index").getAsInt()).findFirst().orElseThrow();
            JsonObject lc = v.getAsJsonObject("lb_counters");
            assertThat(got.counters()).isEqualTo(new CliVipCounters(lc.get("packet from existing sessions").getAsLong(),
                    lc.get("first session packet").getAsLong(), lc.get("untracked packet").getAsLong(),
                    lc.get("no server configured").getAsLong()));
            assertThat(got.srcIpSticky()).isEqualTo(v.get("src_ip_sticky").getAsBoolean());
            assertThat(got.removed()).isEqualTo(v.get("removed").getAsBoolean());
            assertThat(got.prefix().toString()).isEqualTo(v.get("prefix").getAsString());
        }
        assertThat(cli.get(0).ases()).extracting(CliAs::flows).containsExactly(6L, 2L, 0L);
    }

    @Test
    void encapVariantsAgreeWithTheDumpsIncludingDscpNatAndBigTables() {
        List<Golden.Frame> d = Golden.transcript("d-lb-encap-variants");
        List<CliVip> cli = parse("show-lb-vips-verbose-encap-variants.txt");
        crossCheck(cli, details(d, "d24-vip-dump"), asDetails(d, "d25-as-v2-dump"));
        assertThat(cli.get(0).dscp()).hasValue(10);
        assertThat(cli.get(10).dscp()).hasValue(6);
        assertThat(cli.get(2).nat()).hasValueSatisfying(n -> {
            assertThat(n.srvType()).isEqualTo("clusterip");
            assertThat(n.port()).isEqualTo(20480);
            assertThat(n.vipPort()).isEqualTo(80);
            assertThat(n.targetPort()).isEqualTo(8080);
        });
        assertThat(cli.get(3).nat().orElseThrow().srvType()).as("NODEPORT sent big-endian arrives as clusterip")
                .isEqualTo("clusterip");
        assertThat(cli.get(9).newSize()).isEqualTo(65536);
        assertThat(cli.get(7).encap()).as("IPv6 + l3dsr is created as ip6-gre6").isEqualTo(LbEncap.GRE6);
        assertThat(cli.get(12).prefix().toString()).isEqualTo("198.51.100.0/24");
    }

    @Test
    void cliConfiguredVipShowsPoolOrderAndWeights() {
        CliVip v = parse("show-lb-vips-verbose-cli-configured.txt").stream().filter(x -> x.index() == 14)
                .findFirst().orElseThrow();
        assertThat(v.srcIpSticky()).isTrue();
        assertThat(v.newSize()).isEqualTo(2048);
        assertThat(v.ases()).extracting(a -> a.address().getHostAddress()).containsExactly("10.2.0.21", "10.2.0.20");
        assertThat(v.ases()).extracting(CliAs::weight).containsExactly(30, 100);
        assertThat(v.ases()).extracting(CliAs::buckets).containsExactly(480, 1568);
    }

    @Test
    void malformedTextFailsNamingTheLine() {
        String good = Golden.cli("show-lb-vips-verbose-one-vip-no-as.txt");
        assertThatThrownBy(() -> ShowLbVipsParser.parseVerbose(good.replace("  new_size:1024", "  new_size:x")))
                .isInstanceOf(VppProtocolException.class).hasMessageContaining("line 2")
                .hasMessageContaining("new_size");
        assertThatThrownBy(() -> ShowLbVipsParser.parseVerbose(good.replace("#as:0", "#as:1")))
                .isInstanceOf(VppProtocolException.class).hasMessageContaining("weight:");
        assertThatThrownBy(() -> ShowLbVipsParser.parseVerbose(good.substring(0, good.indexOf("  counters:"))))
                .isInstanceOf(VppProtocolException.class).hasMessageContaining("line 4").hasMessageContaining("counters:");
        assertThat(ShowLbVipsParser.parseVerbose("")).isEmpty();
    }

    @Test
    void bestEffortSkipsOnlyTheBlocksThatDoNotParse() {
        String good = Golden.cli("show-lb-vips-verbose-with-ases.txt");
        List<CliVip> all = ShowLbVipsParser.parseVerbose(good);
        assertThat(ShowLbVipsParser.parseVerboseBestEffort(good)).isEqualTo(new ShowLbVipsParser.BestEffort(all, List.of()));

        // a newer VPP prints a flag we do not know on the second VIP's head line, and a new line
        // in the fourth block: those two are skipped, the others parse as before
        String[] lines = good.split("\n", -1);
        int second = -1;
        int fourth = -1;
        int heads = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].matches("^ ip[46]-\\S+ \\[\\d+\\] .*")) {
                heads++;
                if (heads == 2) {
                    second = i;
                } else if (heads == 4) {
                    fourth = i;
                }
            }
        }
        lines[second] = lines[second] + " punt";
        lines[fourth + 1] = lines[fourth + 1] + "\n  future_field:7";
        String drifted = String.join("\n", lines);
        assertThatThrownBy(() -> ShowLbVipsParser.parseVerbose(drifted)).isInstanceOf(VppProtocolException.class);

        ShowLbVipsParser.BestEffort r = ShowLbVipsParser.parseVerboseBestEffort(drifted);
        assertThat(r.vips()).containsExactly(all.get(0), all.get(2));
        assertThat(r.errors()).hasSize(2);
        assertThat(r.errors().get(0)).hasMessageContaining("line " + (second + 1)).hasMessageContaining("punt");
        assertThat(r.errors().get(1)).hasMessageContaining("future_field:7");
    }

    @Test
    void bestEffortTurnsAnOverflowingNumberIntoAProblemOfItsBlock() {
        String good = Golden.cli("show-lb-vips-verbose-one-vip-no-as.txt");
        String huge = good.replace("  new_size:1024", "  new_size:99999999999");
        assertThatThrownBy(() -> ShowLbVipsParser.parseVerbose(huge)).isInstanceOf(VppProtocolException.class)
                .hasMessageContaining("a number that fits");
        ShowLbVipsParser.BestEffort r = ShowLbVipsParser.parseVerboseBestEffort(huge + huge);
        assertThat(r.vips()).isEmpty();
        assertThat(r.errors()).hasSize(2);
        assertThat(ShowLbVipsParser.parseVerboseBestEffort("garbage\n\nmore garbage\n").errors()).hasSize(2);
    }

    private static void crossCheck(List<CliVip> cli, List<LbVipDetails> vips, List<LbAsV2Details> ases) {
        Map<String, CliVip> byKey = cli.stream().collect(Collectors.toMap(v -> v.key().toString(), v -> v));
        assertThat(cli.stream().filter(v -> !v.removed()).count()).isEqualTo(vips.size());
        for (LbVipDetails d : vips) {
            CliVip v = byKey.get(d.vip().toString());
            assertThat(v).as("CLI has " + d.vip()).isNotNull();
            assertThat(v.removed()).isFalse();
            assertThat(v.newSize() & 0xffff).isEqualTo(d.flowTableLength());
            assertThat(v.encap()).isEqualTo(d.encap());
            if (d.encap() == LbEncap.L3DSR) {
                assertThat(v.dscp()).hasValue(d.dscp());
            }
        }
        for (LbAsV2Details a : ases) {
            CliVip v = byKey.get(a.vip().toString());
            Optional<CliAs> as = v.ases().stream().filter(x -> x.address().equals(a.appSrv())).findFirst();
            assertThat(as).as(a.appSrv() + " under " + a.vip()).isPresent();
            assertThat(as.get().weight()).isEqualTo(a.weight());
            assertThat(as.get().buckets()).isEqualTo(a.numBuckets());
            assertThat(as.get().used()).isEqualTo(a.used());
        }
        assertThat(cli.stream().mapToInt(v -> v.ases().size()).sum()).isEqualTo(ases.size());
    }

    private static List<LbVipDetails> details(List<Golden.Frame> t, String step) {
        return t.stream().filter(f -> f.step().equals(step) && f.msg().equals(Messages.LB_VIP_DETAILS.nameCrc()))
                .map(f -> Messages.LB_VIP_DETAILS.decodeBody(f.body())).toList();
    }

    private static List<LbAsV2Details> asDetails(List<Golden.Frame> t, String step) {
        return t.stream().filter(f -> f.step().equals(step) && f.msg().equals(Messages.LB_AS_V2_DETAILS.nameCrc()))
                .map(f -> Messages.LB_AS_V2_DETAILS.decodeBody(f.body())).toList();
    }
}
