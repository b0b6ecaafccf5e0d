package dev.vppmaglev.vpp.fake.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * A realistic lb table for the fault tests, as YAML: 50 frontends × 8 backends (a primary pool of
 * 6 with varied weights, a backup pool of 2) over 11 clusters of 8 backends each shared by about
 * five frontends — 44 IPv4 VIPs (tcp 80, tcp 443, udp 53 and all-port) and 6 IPv6 VIPs; every
 * fifth frontend {@code src-ip-sticky}, every sixth with {@code flush-on-down: false}.
 *
 * <p>{@link #B} is a reload of {@link #A}: two frontends gone, two new, two with
 * {@code src-ip-sticky} flipped (VIP recreated), one moved to another cluster (all 8 ASes
 * replaced), one primary pool reweighted. (An encap flip cannot be configured: the config loader
 * refuses backends of the other family than the VIP.)
 */
final class Fleet {
    private Fleet() {}

    static final int FRONTENDS = 50;
    static final int CLUSTERS = 11; // 10 IPv4, 1 IPv6
    static final String A = yaml(false);
    static final String B = yaml(true);

    private static String backend(int cluster, int j) {
        return cluster < 10 ? "10." + cluster + ".0." + (j + 1) : "2001:db8:a::" + Integer.toHexString(j + 1);
    }

    private static String yaml(boolean b) {
        StringBuilder y = new StringBuilder("""
                maglev:
                  vpp:
                    lb:
                      ipv4-src-address: 192.0.2.254
                      ipv6-src-address: 2001:db8::254
                      sync-interval: 1h
                      sticky-buckets-per-core: 4096
                      flow-timeout: 30s
                      startup-min-delay: 0
                      startup-max-delay: 0
                  healthchecks:
                    web: { type: http, port: 80, interval: 100ms, timeout: 30s, rise: 1, fall: 1 }
                  backends:
                """);
        for (int c = 0; c < CLUSTERS; c++) {
            for (int j = 0; j < 8; j++) {
                y.append("    c").append(c).append('-').append(j).append(": { address: \"").append(backend(c, j))
                        .append("\", healthcheck: web }\n");
            }
        }
        y.append("  frontends:\n");
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < FRONTENDS; i++) {
            if (!(b && (i == 3 || i == 17))) {
                ids.add(i);
            }
        }
        if (b) {
            ids.add(50);
            ids.add(51);
        }
        for (int i : ids) {
            boolean v6 = i >= 44 && i < 50;
            int cluster = v6 ? 10 : (b && i == 7) ? 9 : i % 10;
            boolean sticky = (i % 5 == 0) != (b && (i == 1 || i == 2));
            y.append("    fe").append(i).append(":\n");
            y.append("      address: \"").append(v6 ? "2001:db8:ff::" + Integer.toHexString(i) : "198.18.0." + (i + 1))
                    .append("\"\n");
            switch (i % 4) {
                case 0 -> y.append("      protocol: tcp\n      port: 80\n");
                case 1 -> y.append("      protocol: tcp\n      port: 443\n");
                case 2 -> y.append("      protocol: udp\n      port: 53\n");
                default -> { } // every protocol, every port
            }
            if (sticky) {
                y.append("      src-ip-sticky: true\n");
            }
            if (i % 6 == 3) {
                y.append("      flush-on-down: false\n");
            }
            y.append("      pools:\n        - name: primary\n          backends: {");
            for (int k = 0; k < 6; k++) {
                int j = (i + k) % 8;
                int w = (b && i == 9) ? 10 + k : 1 + (i * 7 + k * 13) % 100;
                y.append(k == 0 ? " " : ", ").append("c").append(cluster).append('-').append(j).append(": { weight: ")
                        .append(w).append(" }");
            }
            y.append(" }\n        - name: backup\n          backends: {");
            for (int k = 6; k < 8; k++) {
                y.append(k == 6 ? " " : ", ").append("c").append(cluster).append('-').append((i + k) % 8).append(": {}");
            }
            y.append(" }\n");
        }
        return y.toString();
    }
}
