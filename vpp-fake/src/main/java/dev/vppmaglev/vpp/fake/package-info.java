/**
 * A fake VPP for tests and demos: {@link dev.vppmaglev.vpp.fake.FakeVpp} speaks the binary API on a
 * Unix socket and models the lb plugin, held byte-for-byte to testdata/golden;
 * {@link dev.vppmaglev.vpp.fake.VppFakeMain} runs it standalone ({@code bin/vpp-fake}).
 */
package dev.vppmaglev.vpp.fake;
