/**
 * One record per VPP API message we speak (memclnt, vpe, vlib, ip, lb; vpp-wire.md §3 and
 * Appendix A), with its codec, catalogued in {@link dev.vppmaglev.vpp.api.msg.Messages} and paired
 * in {@link dev.vppmaglev.vpp.api.msg.Api}. Names and CRCs come from VPP's {@code .api.json}
 * (internal-vpp/src/main/vpp-api), never computed.
 */
package dev.vppmaglev.vpp.api.msg;
