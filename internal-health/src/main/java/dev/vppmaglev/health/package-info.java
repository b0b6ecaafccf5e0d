/**
 * Health checking for maglevd: probes, the rise/fall state machine, the per-backend workers, and
 * the weights and frontend states derived from backend health (behaviour.md §3, §4).
 *
 * <ul>
 *   <li>Pure rules, one place each: {@link dev.vppmaglev.health.HealthCounter} (rise/fall counter,
 *       §3.4), {@link dev.vppmaglev.health.Intervals} (probe interval and jitter, §3.5),
 *       {@link dev.vppmaglev.health.Weights} (active pool, effective weight and flush, frontend
 *       state, §4).</li>
 *   <li>Probes: {@link dev.vppmaglev.health.Prober} and its result
 *       {@link dev.vppmaglev.health.ProbeResult} with codes in
 *       {@link dev.vppmaglev.health.ResultCodes}; {@link dev.vppmaglev.health.NettyProber}
 *       (tcp/http/https), {@link dev.vppmaglev.health.IcmpProber} (icmp via FFM),
 *       {@link dev.vppmaglev.health.NetProber} (both, in {@code healthchecker.netns} when set;
 *       {@link dev.vppmaglev.health.NetnsStatus}).</li>
 *   <li>{@link dev.vppmaglev.health.Checker}: one worker per backend on a shared scheduler,
 *       operator actions, reloads, queries and {@link dev.vppmaglev.health.HealthListener}
 *       events.</li>
 * </ul>
 */
package dev.vppmaglev.health;
