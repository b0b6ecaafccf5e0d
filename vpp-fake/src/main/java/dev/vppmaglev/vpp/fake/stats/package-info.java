/**
 * A fake VPP stats segment for tests and the fake VPP: a memfd laid out like VPP's segment
 * ({@link dev.vppmaglev.vpp.fake.stats.FakeStatsSegment}, checked against the golden capture)
 * and a {@code stats.sock} that hands it out like VPP
 * ({@link dev.vppmaglev.vpp.fake.stats.FakeStatsServer}).
 */
package dev.vppmaglev.vpp.fake.stats;
