/**
 * The counters scrape of behaviour.md §5.8: {@link dev.vppmaglev.vpp.counters.CountersLoop} reads
 * every configured VIP's lb plugin counters ({@code first session packet}, {@code packet from
 * existing sessions}, {@code untracked packet}, {@code no server configured}) and the
 * {@code /net/route/to} counter of its host route from VPP's stats segment every 5 s and publishes
 * an immutable {@link dev.vppmaglev.vpp.counters.CountersSnapshot} for gRPC
 * ({@code GetVPPLBCounters}) and Prometheus. See {@code docs/vpp-counters.md} for the operator's
 * view.
 */
package dev.vppmaglev.vpp.counters;
