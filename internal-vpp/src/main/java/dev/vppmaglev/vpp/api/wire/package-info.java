/**
 * VPP binary-API wire format: the 16-byte {@code msgbuf_t} frame header, big-endian packed fields,
 * header layouts, frame reassembly, and the running VPP's {@code name_crc -> id} table
 * (vpp-wire.md §1.2–1.5, §2).
 */
package dev.vppmaglev.vpp.api.wire;
