package dev.vppmaglev.vpp.fake;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.wire.MessageTable;
import dev.vppmaglev.vpp.api.wire.MessageType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The fake VPP's message table, built like VPP builds it (vpp-wire.md §1.5, §1.10) from the
 * {@code .api.json} files in internal-vpp's jar ({@code vpp-api/}): memclnt's messages take the
 * static ids 1..28 in file order ({@code sockclnt_create} = 15, {@code control_ping} = 23), then
 * every other module gets a contiguous range, in a module order shuffled by the seed (so a client
 * that hard-codes ids fails), each range in file order ({@code lb_conf} first for lb, as VPP's
 * generated enum). The announced entries come in shuffled order too, as VPP's hash order.
 */
final class FakeMessageTable {
    /** Modules whose messages the fake announces (internal-vpp/src/main/vpp-api). */
    static final List<String> MODULES = List.of("memclnt", "vpe", "vlib", "ip", "interface", "lb");
    /** Messages an older VPP (lb 1.1.0, before 26.10) does not have. */
    static final Set<String> LB_V2_ONLY = Set.of("lb_conf_get", "lb_conf_get_reply", "lb_add_del_as_v2",
            "lb_add_del_as_v2_reply", "lb_as_set_weight", "lb_as_set_weight_reply", "lb_as_v2_dump",
            "lb_as_v2_details");
    /** {@code get_first_msg_id} names: module + C-file CRC (only lb's is known, vpp-wire.md §1.5). */
    static final Map<String, String> FIRST_MSG_ID_NAMES = Map.of("lb_487dee0a", "lb");

    private final MessageTable table;
    private final List<String> announceOrder;
    private final Map<String, Integer> moduleBase = new LinkedHashMap<>();

    /**
     * @param lbV2 false = an older VPP without the lb v2 messages
     * @param seed module order and announce order
     */
    FakeMessageTable(boolean lbV2, long seed) {
        Random rnd = new Random(seed);
        Map<String, List<String>> byModule = new LinkedHashMap<>();
        for (String module : MODULES) {
            byModule.put(module, messagesOf(module, lbV2));
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        int id = 1;
        for (String nameCrc : byModule.get("memclnt")) {
            ids.put(nameCrc, id++);
        }
        moduleBase.put("memclnt", 1);
        List<String> others = new ArrayList<>(MODULES.subList(1, MODULES.size()));
        Collections.shuffle(others, rnd);
        for (String module : others) {
            moduleBase.put(module, id);
            for (String nameCrc : byModule.get(module)) {
                ids.put(nameCrc, id++);
            }
        }
        table = new MessageTable(ids);
        announceOrder = new ArrayList<>(ids.keySet());
        Collections.shuffle(announceOrder, rnd);
        if (ids.get(Messages.SOCKCLNT_CREATE.nameCrc()) != 15 || ids.get(Messages.CONTROL_PING.nameCrc()) != 23) {
            throw new IllegalStateException("memclnt.api.json does not give the static ids 15/23");
        }
    }

    private static List<String> messagesOf(String module, boolean lbV2) {
        String path = "/vpp-api/" + module + ".api.json";
        try (InputStream in = MessageType.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " not on the class path (internal-vpp jar)");
            }
            JsonObject o = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            List<String> out = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("messages")) {
                JsonArray a = e.getAsJsonArray();
                String name = a.get(0).getAsString();
                if (!lbV2 && LB_V2_ONLY.contains(name)) {
                    continue;
                }
                String crc = a.get(a.size() - 1).getAsJsonObject().get("crc").getAsString().substring(2);
                out.add(name + "_" + crc);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MessageTable table() {
        return table;
    }

    /** {@code name_crc}s in the order {@code sockclnt_create_reply} lists them. */
    List<String> announceOrder() {
        return announceOrder;
    }

    /** First id of {@code module}. */
    int base(String module) {
        return moduleBase.get(module);
    }
}
