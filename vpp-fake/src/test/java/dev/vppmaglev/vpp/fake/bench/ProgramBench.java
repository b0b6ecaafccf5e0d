package dev.vppmaglev.vpp.fake.bench;

import ch.qos.logback.classic.Level;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.AsEntry;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.fake.FakeVpp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Programs 1,000 VIPs × 32 application servers into a {@link FakeVpp} through the client and
 * prints messages per second and wall time, for a window of 1 (wait for every reply) and 16
 * (pipelined), then reads everything back ({@code lb_vip_dump} + unfiltered {@code lb_as_v2_dump}).
 * Not a test: figures depend on the machine. The fake does the lb plugin's work (one Maglev
 * rebuild per AS add), so these are client + fake figures, not VPP's (spec README, "Performance
 * facts": ~7,400/s unpipelined, ~12,300–13,000/s with a window of 16–64 on a real VPP).
 *
 * <p>Run from the repository top:
 * <pre>
 * mvn -B -ntp -o -pl vpp-fake -am package -DskipTests
 * java -cp "vpp-fake/target/test-classes:vpp-fake/target/vpp-fake.jar:vpp-fake/target/lib/*" \
 *     dev.vppmaglev.vpp.fake.bench.ProgramBench [vips] [ases-per-vip]
 * </pre>
 */
public final class ProgramBench {
    private ProgramBench() {}

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        int vips = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int ases = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        System.out.printf("programming %,d VIPs x %d ASes = %,d messages per run%n", vips, ases, vips * (ases + 1));
        for (int window : new int[] {1, 16}) {
            run(vips, ases, window);
        }
    }

    private static void run(int vips, int ases, int window) throws Exception {
        Path dir = Files.createTempDirectory("program-bench");
        Path sock = dir.resolve("api.sock");
        try (FakeVpp fake = FakeVpp.builder().apiSocket(sock).build().start();
             VppApiClient client = VppApiClient.connect(VppApiClientConfig.defaults(sock).withWindow(window),
                     ApiObserver.NONE)) {
            LbApi lb = LbApi.of(client);
            List<CompletableFuture<Void>> fs = new ArrayList<>(vips * (ases + 1));
            long t0 = System.nanoTime();
            for (int v = 0; v < vips; v++) {
                LbVip vip = LbVip.host(InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (v >> 8), (byte) v}), 6, 80);
                fs.add(lb.addVip(VipSpec.of(vip, LbEncap.GRE4)));
                for (int a = 0; a < ases; a++) {
                    InetAddress as = InetAddress.getByAddress(new byte[] {10, (byte) (v >> 8), (byte) v, (byte) (a + 1)});
                    fs.add(lb.addAs(vip, as, 100, false));
                }
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            long programNs = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            List<LbVipDetails> vd = lb.vipDump().get(1, TimeUnit.MINUTES);
            List<AsEntry> ad = lb.asDump().get(1, TimeUnit.MINUTES);
            long readNs = System.nanoTime() - t1;
            if (vd.size() != vips || ad.size() != vips * ases || fake.callCount("lb_add_del_as_v2") != vips * ases) {
                throw new IllegalStateException("read back " + vd.size() + " VIPs / " + ad.size() + " ASes");
            }
            System.out.printf("window %2d: %,d messages in %,.0f ms = %,.0f messages/s; read back %,d details in %,.1f ms%n",
                    window, fs.size(), programNs / 1e6, fs.size() / (programNs / 1e9), vd.size() + ad.size(), readNs / 1e6);
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }
}
