package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.AsEntry;
import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.CliVipCounters;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.lb.KnownVip.KnownAs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static dev.vppmaglev.vpp.lb.TestConfigs.ip;
import static org.assertj.core.api.Assertions.assertThat;

class LbStateReaderTest {
    private static final LbVip A = LbVip.host(ip("192.0.2.1"), 6, 80);
    private static final LbVip B = LbVip.host(ip("192.0.2.2"), 255, 0);

    private static AsEntry as(LbVip vip, String a, boolean used, int weight) {
        return new AsEntry(vip, ip(a), used, used ? 0 : 77, OptionalInt.of(weight), OptionalInt.of(weight * 10));
    }

    private static CliVip cli(LbVip vip, int index, boolean sticky, boolean removed, CliAs... ases) {
        return new CliVip("ip4-gre4", index, vip.pfx(), sticky, removed, 1024, vip.protocol(), vip.port(),
                OptionalInt.empty(), Optional.empty(), CliVipCounters.ZERO, List.of(ases));
    }

    @Test
    void mergesDumpsAndCliByVipKey() {
        List<LbVipDetails> vips = List.of(new LbVipDetails(A, LbEncap.GRE4, 0, 0, 0, 1024),
                new LbVipDetails(B, LbEncap.GRE4, 0, 0, 0, 0));
        // A was recreated: its old incarnation (removed, index 1) still lists 10.0.0.1 as removed
        List<AsEntry> ases = List.of(as(A, "10.0.0.1", false, 100), as(A, "10.0.0.10", true, 50),
                as(A, "10.0.0.1", true, 100), as(A, "10.0.0.9", true, 0), as(B, "10.0.1.1", false, 0));
        List<CliVip> cli = List.of(cli(A, 1, false, true),
                cli(A, 3, true, false, new CliAs(ip("10.0.0.1"), 100, 512, 4, 20, true),
                        new CliAs(ip("10.0.0.10"), 50, 512, 0, 21, true), new CliAs(ip("10.0.0.9"), 0, 0, 0, 22, true)));
        List<LbVipState> out = LbStateReader.merge(vips, ases, cli, Map.of(A, "web"), true);

        LbVipState a = out.getFirst();
        assertThat(a.key()).isEqualTo(A);
        assertThat(a.frontend()).contains("web");
        assertThat(a.srcIpSticky()).contains(true);   // from the live block, not the removed one
        assertThat(a.lbIndex()).isEqualTo(3);
        assertThat(a.newFlowsTableLength()).isEqualTo(1024);
        assertThat(a.ases()).extracting(LbAsState::address)
                .containsExactly(ip("10.0.0.1"), ip("10.0.0.9"), ip("10.0.0.10"));
        assertThat(a.ases().getFirst().used()).isTrue();  // the in-use entry wins
        assertThat(a.ases().getFirst().flows()).isEqualTo(OptionalLong.of(4));
        assertThat(a.ases().getFirst().flags()).isEqualTo(1);

        LbVipState b = out.get(1);
        assertThat(b.frontend()).isEmpty();
        assertThat(b.srcIpSticky()).isEmpty();       // not in the CLI text: unknown, not false
        assertThat(b.lbIndex()).isEqualTo(-1);
        assertThat(b.newFlowsTableLength()).isEqualTo(65536); // u16 0 in lb_vip_details
        assertThat(b.ases()).hasSize(1);
        assertThat(b.usedAses()).isEmpty();
        assertThat(b.ases().getFirst().flags()).isZero();
        assertThat(b.ases().getFirst().inUseSince()).isEqualTo(77);

        // the cache keeps in-use ASes; clean = weight 0 with 0 flows reported
        KnownVip k = KnownVip.of(a);
        assertThat(k.ases()).containsOnlyKeys(ip("10.0.0.1"), ip("10.0.0.9"), ip("10.0.0.10"));
        assertThat(k.ases().get(ip("10.0.0.9"))).isEqualTo(new KnownAs(0, true));
        assertThat(k.ases().get(ip("10.0.0.1"))).isEqualTo(new KnownAs(100, false));
        assertThat(k.newFlowsTableLength()).hasValue(1024);
        assertThat(k.lbIndex()).isEqualTo(3);
        assertThat(k.removed()).isEmpty();
        KnownVip kb = KnownVip.of(b);
        assertThat(kb.ases()).isEmpty();
        assertThat(kb.removed()).as("VPP still holds it, with its flows").containsExactly(ip("10.0.1.1"));
        assertThat(kb.lbIndex()).isEqualTo(-1);
    }

    @Test
    void anAsCleanAtZeroStaysCleanWhenTheNextReadHasNoFlowCountForIt() {
        List<LbVipDetails> vips = List.of(new LbVipDetails(A, LbEncap.GRE4, 0, 0, 0, 1024));
        List<AsEntry> ases = List.of(as(A, "10.0.0.1", true, 0), as(A, "10.0.0.2", true, 0), as(A, "10.0.0.3", true, 100));
        // this read: the VIP's CLI block did not parse, no flow counts
        LbVipState blind = LbStateReader.merge(vips, ases, List.of(), Map.of(), true).getFirst();
        KnownVip before = new KnownVip(A, LbEncap.GRE4, Optional.of(false), OptionalInt.of(1024), 3,
                Map.of(ip("10.0.0.1"), new KnownAs(0, true), ip("10.0.0.2"), new KnownAs(0, false),
                        ip("10.0.0.3"), new KnownAs(0, true)),
                java.util.Set.of());
        KnownVip k = KnownVip.of(blind, before);
        assertThat(k.ases().get(ip("10.0.0.1"))).as("flushed at 0 and still at 0").isEqualTo(new KnownAs(0, true));
        assertThat(k.ases().get(ip("10.0.0.2"))).as("never known clean").isEqualTo(new KnownAs(0, false));
        assertThat(k.ases().get(ip("10.0.0.3"))).as("weighted since").isEqualTo(new KnownAs(100, false));
        assertThat(KnownVip.of(blind).ases().get(ip("10.0.0.1"))).as("no previous: in doubt")
                .isEqualTo(new KnownAs(0, false));
    }

    @Test
    void withoutLbConfGetTheDetailsTableLengthIsNotTrusted() {
        // lb 1.1.0 byte-swaps flow_table_length: (u16) htonl(1024) reads 0
        List<LbVipDetails> vips = List.of(new LbVipDetails(B, LbEncap.GRE4, 0, 0, 0, 0));
        LbVipState old = LbStateReader.merge(vips, List.of(), List.of(), Map.of(), false).getFirst();
        assertThat(old.newFlowsTableLength()).as("unknown").isZero();
        assertThat(KnownVip.of(old).newFlowsTableLength()).isEmpty();
        // the CLI's new_size wins whenever the VIP has a block
        LbVipState withCli = LbStateReader.merge(vips, List.of(), List.of(cli(B, 2, false, false)), Map.of(), false)
                .getFirst();
        assertThat(withCli.newFlowsTableLength()).isEqualTo(1024);
        assertThat(KnownVip.of(withCli).newFlowsTableLength()).hasValue(1024);
    }
}
