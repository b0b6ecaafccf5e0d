/**
 * Parsers for VPP debug-CLI text read through {@code cli_inband}: {@code show lb vips verbose}
 * carries {@code src_ip_sticky} and each VIP's pool index, which no API message reports (strict,
 * or best effort: a block that does not fit is skipped); {@code show lb} carries the source
 * addresses, which a VPP without {@code lb_conf_get} reports nowhere else.
 */
package dev.vppmaglev.vpp.api.cli;
