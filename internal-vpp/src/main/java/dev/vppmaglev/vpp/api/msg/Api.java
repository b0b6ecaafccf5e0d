package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.MessageType;

/**
 * Request/reply pairs and dump/details pairs (from the {@code services} blocks of VPP's
 * {@code .api.json}), as used by {@code VppApiClient.call} and {@code VppApiClient.dump}.
 */
public final class Api {
    private Api() {}

    /** A request answered by exactly one reply. */
    public record Call<Q, R>(MessageType<Q> request, MessageType<R> reply) {}

    /** A dump answered by a stream of details, closed by our {@code control_ping}. */
    public record Dump<Q, D>(MessageType<Q> request, MessageType<D> details) {}

    public static final Call<Empty, ControlPingReply> CONTROL_PING = new Call<>(Messages.CONTROL_PING,
            Messages.CONTROL_PING_REPLY);
    public static final Call<GetFirstMsgId, GetFirstMsgIdReply> GET_FIRST_MSG_ID = new Call<>(
            Messages.GET_FIRST_MSG_ID, Messages.GET_FIRST_MSG_ID_REPLY);
    public static final Call<Empty, ShowVersionReply> SHOW_VERSION = new Call<>(Messages.SHOW_VERSION,
            Messages.SHOW_VERSION_REPLY);
    public static final Call<CliInband, CliInbandReply> CLI_INBAND = new Call<>(Messages.CLI_INBAND,
            Messages.CLI_INBAND_REPLY);
    public static final Call<LbConf, Retval> LB_CONF = new Call<>(Messages.LB_CONF, Messages.LB_CONF_REPLY);
    public static final Call<Empty, LbConfGetReply> LB_CONF_GET = new Call<>(Messages.LB_CONF_GET,
            Messages.LB_CONF_GET_REPLY);
    public static final Call<LbAddDelVip, Retval> LB_ADD_DEL_VIP = new Call<>(Messages.LB_ADD_DEL_VIP,
            Messages.LB_ADD_DEL_VIP_REPLY);
    public static final Call<LbAddDelVipV2, Retval> LB_ADD_DEL_VIP_V2 = new Call<>(Messages.LB_ADD_DEL_VIP_V2,
            Messages.LB_ADD_DEL_VIP_V2_REPLY);
    public static final Call<LbAddDelAs, Retval> LB_ADD_DEL_AS = new Call<>(Messages.LB_ADD_DEL_AS,
            Messages.LB_ADD_DEL_AS_REPLY);
    public static final Call<LbAddDelAsV2, Retval> LB_ADD_DEL_AS_V2 = new Call<>(Messages.LB_ADD_DEL_AS_V2,
            Messages.LB_ADD_DEL_AS_V2_REPLY);
    public static final Call<LbAsSetWeight, Retval> LB_AS_SET_WEIGHT = new Call<>(Messages.LB_AS_SET_WEIGHT,
            Messages.LB_AS_SET_WEIGHT_REPLY);
    public static final Call<LbVip, Retval> LB_FLUSH_VIP = new Call<>(Messages.LB_FLUSH_VIP,
            Messages.LB_FLUSH_VIP_REPLY);
    public static final Call<IpRouteLookup, IpRouteLookupReply> IP_ROUTE_LOOKUP = new Call<>(
            Messages.IP_ROUTE_LOOKUP, Messages.IP_ROUTE_LOOKUP_REPLY);

    public static final Dump<LbVipDump, LbVipDetails> LB_VIP_DUMP = new Dump<>(Messages.LB_VIP_DUMP,
            Messages.LB_VIP_DETAILS);
    public static final Dump<LbVip, LbAsDetails> LB_AS_DUMP = new Dump<>(Messages.LB_AS_DUMP,
            Messages.LB_AS_DETAILS);
    public static final Dump<LbVip, LbAsV2Details> LB_AS_V2_DUMP = new Dump<>(Messages.LB_AS_V2_DUMP,
            Messages.LB_AS_V2_DETAILS);
}
