package dev.vppmaglev.vpp.fake.stats;

import dev.vppmaglev.vpp.stats.GoldenImage;
import static dev.vppmaglev.vpp.stats.GoldenImage.list;
import static dev.vppmaglev.vpp.stats.GoldenImage.map;
import static dev.vppmaglev.vpp.stats.GoldenImage.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vppmaglev.vpp.stats.LbCounterValues;
import dev.vppmaglev.vpp.stats.StatsNames;
import dev.vppmaglev.vpp.stats.StatsSegment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The golden image served from a memfd over stats.sock, read through the socket path. */
class GoldenOverSocketTest {
    @TempDir
    Path tmp;

    @Test
    void goldenImageOverTheSocketDecodesToExpectedJson() throws Exception {
        Path image = GoldenImage.gunzip(tmp);
        Map<String, Object> expected = GoldenImage.expected();
        Path sock = tmp.resolve("stats.sock");
        try (FakeStatsServer server = FakeStatsServer.serveImage(sock, image);
                StatsSegment s = StatsSegment.open(sock)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> server.served() == 1);
            assertThat(s.size()).isEqualTo(33_554_432L);
            assertThat(s.epoch()).isEqualTo(570);
            assertThat(s.bootTime()).isEqualTo(Instant.ofEpochSecond(1_795_247_843L));
            var vips = list(expected.get("vips"));
            int[] lb = new int[vips.size()];
            int[] fib = new int[vips.size()];
            for (int i = 0; i < vips.size(); i++) {
                lb[i] = (int) num(map(vips.get(i)).get("lb_vip_index"));
                Object f = map(vips.get(i)).get("fib_stats_index");
                fib[i] = f == null ? -1 : (int) num(f);
            }
            LbCounterValues[] got = s.readLbCounters(lb, fib);
            for (int i = 0; i < vips.size(); i++) {
                Map<String, Object> v = map(vips.get(i));
                Map<String, Object> c = map(v.get("lb_counters"));
                Object route = v.get("route_to");
                assertThat(got[i]).as(String.valueOf(v.get("prefix"))).isEqualTo(new LbCounterValues(
                        num(c.get(StatsNames.LB_FIRST_PACKET)), num(c.get(StatsNames.LB_NEXT_PACKET)),
                        num(c.get(StatsNames.LB_UNTRACKED_PACKET)), num(c.get(StatsNames.LB_NO_SERVER)),
                        route == null ? 0 : num(list(route).get(0)), route == null ? 0 : num(list(route).get(1))));
            }
        }
    }
}
