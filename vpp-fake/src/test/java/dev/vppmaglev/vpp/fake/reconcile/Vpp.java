package dev.vppmaglev.vpp.fake.reconcile;

import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
import dev.vppmaglev.vpp.fake.FakeVpp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Views of a fake VPP's lb table, read straight from it (no API traffic). */
final class Vpp {
    private Vpp() {}

    /** Live VIPs by key text (e.g. {@code 192.0.2.1/32 tcp 80}). */
    static Map<String, CliVip> vips(FakeVpp fake) {
        Map<String, CliVip> out = new TreeMap<>();
        for (CliVip v : ShowLbVipsParser.parseVerbose(fake.cli("show lb vips verbose"))) {
            if (!v.removed()) {
                out.put(v.key().toString(), v);
            }
        }
        return out;
    }

    /** Per live VIP: its in-use ASes and their weights, in VPP's order. */
    static Map<String, Map<String, Integer>> weights(FakeVpp fake) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        vips(fake).forEach((k, v) -> {
            Map<String, Integer> ases = new LinkedHashMap<>();
            for (CliAs a : v.ases()) {
                if (a.used()) {
                    ases.put(IpFormat.format(a.address()), a.weight());
                }
            }
            out.put(k, ases);
        });
        return out;
    }

    /** Per live VIP, per in-use AS: its new-flow buckets (the Maglev table's shape). */
    static Map<String, Map<String, Integer>> buckets(FakeVpp fake) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        vips(fake).forEach((k, v) -> {
            Map<String, Integer> ases = new TreeMap<>();
            for (CliAs a : v.ases()) {
                if (a.used()) {
                    ases.put(IpFormat.format(a.address()), a.buckets());
                }
            }
            out.put(k, ases);
        });
        return out;
    }

    /** The lb-changing requests received, in order. */
    static List<FakeVpp.Call> mutations(FakeVpp fake) {
        return fake.callLog().stream().filter(c -> FakeVpp.MUTATING.contains(c.msg())).toList();
    }

    /** Convenience for building expectations: {@code map("10.0.0.1", 100, "10.0.0.2", 0)}. */
    static Map<String, Integer> ases(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return m;
    }
}
