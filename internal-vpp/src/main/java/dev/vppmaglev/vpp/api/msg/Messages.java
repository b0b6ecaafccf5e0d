package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.Layout;
import dev.vppmaglev.vpp.api.wire.MessageType;

import java.util.List;

import static dev.vppmaglev.vpp.api.wire.Layout.CLIENT_INDEX_CONTEXT;
import static dev.vppmaglev.vpp.api.wire.Layout.CONTEXT;

/**
 * Every VPP binary-API message this project speaks, with the name and CRC from VPP's
 * {@code .api.json} files (internal-vpp/src/main/vpp-api: memclnt 2.1.0, vpe 1.7.0, vlib 1.0.0,
 * ip 3.2.0, lb 1.2.0; vpp-wire.md §3.1). {@code ApiJsonConformanceTest} checks every entry here
 * against those files field by field.
 */
public final class Messages {
    private Messages() {}

    private static <T> MessageType<T> m(String name, String crc, Layout layout, Class<T> type,
                                        MessageType.Encoder<T> enc, MessageType.Decoder<T> dec) {
        return MessageType.of(name, crc, layout, type, enc, dec);
    }

    private static MessageType<Empty> empty(String name) {
        return m(name, "51077d14", CLIENT_INDEX_CONTEXT, Empty.class, Empty::encode, Empty::decode);
    }

    private static MessageType<Retval> retval(String name) {
        return m(name, "e8d4e804", CONTEXT, Retval.class, Retval::encode, Retval::decode);
    }

    // memclnt (static ids: sockclnt_create is always 15, its reply 16)
    public static final MessageType<SockclntCreate> SOCKCLNT_CREATE = m("sockclnt_create", "455fb9c4", CONTEXT,
            SockclntCreate.class, SockclntCreate::encode, SockclntCreate::decode);
    public static final MessageType<SockclntCreateReply> SOCKCLNT_CREATE_REPLY = m("sockclnt_create_reply", "35166268",
            CLIENT_INDEX_CONTEXT, SockclntCreateReply.class, SockclntCreateReply::encode, SockclntCreateReply::decode);
    public static final MessageType<SockclntDelete> SOCKCLNT_DELETE = m("sockclnt_delete", "8ac76db6",
            CLIENT_INDEX_CONTEXT, SockclntDelete.class, SockclntDelete::encode, SockclntDelete::decode);
    public static final MessageType<SockclntDeleteReply> SOCKCLNT_DELETE_REPLY = m("sockclnt_delete_reply", "8f38b1ee",
            CONTEXT, SockclntDeleteReply.class, SockclntDeleteReply::encode, SockclntDeleteReply::decode);
    public static final MessageType<Empty> CONTROL_PING = empty("control_ping");
    public static final MessageType<ControlPingReply> CONTROL_PING_REPLY = m("control_ping_reply", "f6b0b8ca", CONTEXT,
            ControlPingReply.class, ControlPingReply::encode, ControlPingReply::decode);
    public static final MessageType<Empty> MEMCLNT_KEEPALIVE = empty("memclnt_keepalive");
    public static final MessageType<Retval> MEMCLNT_KEEPALIVE_REPLY = retval("memclnt_keepalive_reply");
    public static final MessageType<GetFirstMsgId> GET_FIRST_MSG_ID = m("get_first_msg_id", "ebf79a66",
            CLIENT_INDEX_CONTEXT, GetFirstMsgId.class, GetFirstMsgId::encode, GetFirstMsgId::decode);
    public static final MessageType<GetFirstMsgIdReply> GET_FIRST_MSG_ID_REPLY = m("get_first_msg_id_reply",
            "7d337472", CONTEXT, GetFirstMsgIdReply.class, GetFirstMsgIdReply::encode, GetFirstMsgIdReply::decode);

    // vpe
    public static final MessageType<Empty> SHOW_VERSION = empty("show_version");
    public static final MessageType<ShowVersionReply> SHOW_VERSION_REPLY = m("show_version_reply", "c919bde1", CONTEXT,
            ShowVersionReply.class, ShowVersionReply::encode, ShowVersionReply::decode);

    // vlib
    public static final MessageType<CliInband> CLI_INBAND = m("cli_inband", "f8377302", CLIENT_INDEX_CONTEXT,
            CliInband.class, CliInband::encode, CliInband::decode);
    public static final MessageType<CliInbandReply> CLI_INBAND_REPLY = m("cli_inband_reply", "05879051", CONTEXT,
            CliInbandReply.class, CliInbandReply::encode, CliInbandReply::decode);

    // lb
    public static final MessageType<LbConf> LB_CONF = m("lb_conf", "56cd3261", CLIENT_INDEX_CONTEXT, LbConf.class,
            LbConf::encode, LbConf::decode);
    public static final MessageType<Retval> LB_CONF_REPLY = retval("lb_conf_reply");
    public static final MessageType<Empty> LB_CONF_GET = empty("lb_conf_get");
    public static final MessageType<LbConfGetReply> LB_CONF_GET_REPLY = m("lb_conf_get_reply", "923427ac", CONTEXT,
            LbConfGetReply.class, LbConfGetReply::encode, LbConfGetReply::decode);
    public static final MessageType<LbAddDelVip> LB_ADD_DEL_VIP = m("lb_add_del_vip", "6fa569c7",
            CLIENT_INDEX_CONTEXT, LbAddDelVip.class, LbAddDelVip::encode, LbAddDelVip::decode);
    public static final MessageType<Retval> LB_ADD_DEL_VIP_REPLY = retval("lb_add_del_vip_reply");
    public static final MessageType<LbAddDelVipV2> LB_ADD_DEL_VIP_V2 = m("lb_add_del_vip_v2", "7c520e0f",
            CLIENT_INDEX_CONTEXT, LbAddDelVipV2.class, LbAddDelVipV2::encode, LbAddDelVipV2::decode);
    public static final MessageType<Retval> LB_ADD_DEL_VIP_V2_REPLY = retval("lb_add_del_vip_v2_reply");
    public static final MessageType<LbAddDelAs> LB_ADD_DEL_AS = m("lb_add_del_as", "35d72500", CLIENT_INDEX_CONTEXT,
            LbAddDelAs.class, LbAddDelAs::encode, LbAddDelAs::decode);
    public static final MessageType<Retval> LB_ADD_DEL_AS_REPLY = retval("lb_add_del_as_reply");
    public static final MessageType<LbAddDelAsV2> LB_ADD_DEL_AS_V2 = m("lb_add_del_as_v2", "2f1d3b0e",
            CLIENT_INDEX_CONTEXT, LbAddDelAsV2.class, LbAddDelAsV2::encode, LbAddDelAsV2::decode);
    public static final MessageType<Retval> LB_ADD_DEL_AS_V2_REPLY = retval("lb_add_del_as_v2_reply");
    public static final MessageType<LbAsSetWeight> LB_AS_SET_WEIGHT = m("lb_as_set_weight", "2d89bdbd",
            CLIENT_INDEX_CONTEXT, LbAsSetWeight.class, LbAsSetWeight::encode, LbAsSetWeight::decode);
    public static final MessageType<Retval> LB_AS_SET_WEIGHT_REPLY = retval("lb_as_set_weight_reply");
    public static final MessageType<LbVip> LB_FLUSH_VIP = m("lb_flush_vip", "1063f819", CLIENT_INDEX_CONTEXT,
            LbVip.class, LbVip::encode, LbVip::decode);
    public static final MessageType<Retval> LB_FLUSH_VIP_REPLY = retval("lb_flush_vip_reply");
    public static final MessageType<LbVipDump> LB_VIP_DUMP = m("lb_vip_dump", "56110cb7", CLIENT_INDEX_CONTEXT,
            LbVipDump.class, LbVipDump::encode, LbVipDump::decode);
    public static final MessageType<LbVipDetails> LB_VIP_DETAILS = m("lb_vip_details", "1329ec9b", CONTEXT,
            LbVipDetails.class, LbVipDetails::encode, LbVipDetails::decode);
    public static final MessageType<LbVip> LB_AS_DUMP = m("lb_as_dump", "1063f819", CLIENT_INDEX_CONTEXT,
            LbVip.class, LbVip::encode, LbVip::decode);
    public static final MessageType<LbAsDetails> LB_AS_DETAILS = m("lb_as_details", "8d24c29e", CONTEXT,
            LbAsDetails.class, LbAsDetails::encode, LbAsDetails::decode);
    public static final MessageType<LbVip> LB_AS_V2_DUMP = m("lb_as_v2_dump", "1063f819", CLIENT_INDEX_CONTEXT,
            LbVip.class, LbVip::encode, LbVip::decode);
    public static final MessageType<LbAsV2Details> LB_AS_V2_DETAILS = m("lb_as_v2_details", "90064aae", CONTEXT,
            LbAsV2Details.class, LbAsV2Details::encode, LbAsV2Details::decode);

    // ip
    public static final MessageType<IpRouteLookup> IP_ROUTE_LOOKUP = m("ip_route_lookup", "710d6471",
            CLIENT_INDEX_CONTEXT, IpRouteLookup.class, IpRouteLookup::encode, IpRouteLookup::decode);
    public static final MessageType<IpRouteLookupReply> IP_ROUTE_LOOKUP_REPLY = m("ip_route_lookup_reply", "5d8febcb",
            CONTEXT, IpRouteLookupReply.class, IpRouteLookupReply::encode, IpRouteLookupReply::decode);

    /** Every message above. */
    public static final List<MessageType<?>> ALL = List.of(
            SOCKCLNT_CREATE, SOCKCLNT_CREATE_REPLY, SOCKCLNT_DELETE, SOCKCLNT_DELETE_REPLY,
            CONTROL_PING, CONTROL_PING_REPLY, MEMCLNT_KEEPALIVE, MEMCLNT_KEEPALIVE_REPLY,
            GET_FIRST_MSG_ID, GET_FIRST_MSG_ID_REPLY,
            SHOW_VERSION, SHOW_VERSION_REPLY, CLI_INBAND, CLI_INBAND_REPLY,
            LB_CONF, LB_CONF_REPLY, LB_CONF_GET, LB_CONF_GET_REPLY,
            LB_ADD_DEL_VIP, LB_ADD_DEL_VIP_REPLY, LB_ADD_DEL_VIP_V2, LB_ADD_DEL_VIP_V2_REPLY,
            LB_ADD_DEL_AS, LB_ADD_DEL_AS_REPLY, LB_ADD_DEL_AS_V2, LB_ADD_DEL_AS_V2_REPLY,
            LB_AS_SET_WEIGHT, LB_AS_SET_WEIGHT_REPLY, LB_FLUSH_VIP, LB_FLUSH_VIP_REPLY,
            LB_VIP_DUMP, LB_VIP_DETAILS, LB_AS_DUMP, LB_AS_DETAILS, LB_AS_V2_DUMP, LB_AS_V2_DETAILS,
            IP_ROUTE_LOOKUP, IP_ROUTE_LOOKUP_REPLY);

    /** The message with {@code nameCrc}, or {@code null}. */
    public static MessageType<?> byNameCrc(String nameCrc) {
        for (MessageType<?> t : ALL) {
            if (t.nameCrc().equals(nameCrc)) {
                return t;
            }
        }
        return null;
    }

    /** The lb v2 messages that make {@code lbV2Supported()} (spec README "VPP compatibility"). */
    public static final List<MessageType<?>> LB_V2_REQUIRED = List.of(
            LB_CONF_GET, LB_ADD_DEL_AS_V2, LB_AS_SET_WEIGHT, LB_AS_V2_DUMP);
}
