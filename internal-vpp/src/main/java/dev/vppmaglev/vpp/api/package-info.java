/**
 * VPP binary-API client over {@code api.sock} (vpp-wire.md §1–3): {@link dev.vppmaglev.vpp.api.VppApiClient}
 * (one shared, pipelined connection), {@link dev.vppmaglev.vpp.api.LbApi} (the typed lb / FIB / CLI
 * calls the reconciler and gRPC use), the {@link dev.vppmaglev.vpp.api.VppException} family, and
 * {@link dev.vppmaglev.vpp.api.ApiObserver} for the {@code maglev_vpp_api_total} metric.
 * Subpackages: {@code wire} (framing and field encoding), {@code msg} (one record per message,
 * checked against VPP's {@code .api.json}), {@code cli} (the {@code show lb vips verbose} parser).
 */
package dev.vppmaglev.vpp.api;
