package dev.vppmaglev.vpp.api.msg;

/**
 * A reply whose first payload field is {@code i32 retval}: 0 is success, negative is a
 * {@code vnet_api_error_t} (vpp-wire.md §3.5).
 */
public interface ApiReply {
    int retval();
}
