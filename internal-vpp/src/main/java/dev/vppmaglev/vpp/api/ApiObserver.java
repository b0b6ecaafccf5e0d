package dev.vppmaglev.vpp.api;

/**
 * Sees every binary-API message the client sends or receives; the daemon backs it with the
 * counter {@code maglev_vpp_api_total{msg,direction,result}} (behaviour.md §5.1, §8). Called on
 * the client's I/O threads: implementations must be fast and must not block.
 */
@FunctionalInterface
public interface ApiObserver {
    /** Does nothing. */
    ApiObserver NONE = (msg, dir, success) -> { };

    /**
     * @param msg     the message name, e.g. {@code lb_add_del_as_v2} or {@code lb_as_v2_details};
     *                {@code unknown} for an id outside our catalogue
     * @param dir     send or receive
     * @param success for a send: written to the socket; for a receive: decoded, and (for a
     *                reply) {@code retval == 0}
     */
    void onMessage(String msg, Direction dir, boolean success);
}
