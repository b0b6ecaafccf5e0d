package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.msg.AddressUnion;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbSrvType;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.api.wire.Layout;
import dev.vppmaglev.vpp.api.wire.MessageType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds every hand-written message of {@link Messages} to VPP's own {@code .api.json}
 * definitions: name and CRC, header layout, record components field by field (name, type,
 * order, array length), request/reply pairing, and byte layout (a generic encoder/decoder
 * driven only by the JSON must agree with ours on random values).
 */
class ApiJsonConformanceTest {
    private static final ApiJsonModel MODEL = ApiJsonModel.load();

    @Test
    void everyMessageExistsInTheJsonWithTheSameCrc() {
        assertThat(Messages.ALL).hasSize(38);
        for (MessageType<?> t : Messages.ALL) {
            ApiJsonModel.Message m = MODEL.messages.get(t.name());
            assertThat(m).as(t.name()).isNotNull();
            assertThat(t.crc()).as("crc of " + t.name()).isEqualTo(m.crc());
        }
    }

    @Test
    void catalogueFieldsAreDeclaredFinalAndListedInAll() throws IllegalAccessException {
        Set<Object> all = new HashSet<>(Messages.ALL);
        for (Field f : Messages.class.getFields()) {
            if (f.getType() == MessageType.class) {
                assertThat(Modifier.isFinal(f.getModifiers())).isTrue();
                assertThat(all).as(f.getName() + " in Messages.ALL").contains(f.get(null));
            }
        }
    }

    @Test
    void headerLayoutMatchesTheJsonFieldOrder() {
        for (MessageType<?> t : Messages.ALL) {
            List<ApiJsonModel.Field> f = MODEL.messages.get(t.name()).fields();
            assertThat(f.get(0)).isEqualTo(new ApiJsonModel.Field("u16", "_vl_msg_id", null, null));
            if (t.layout() == Layout.CLIENT_INDEX_CONTEXT) {
                assertThat(f.get(1)).as(t.name()).isEqualTo(new ApiJsonModel.Field("u32", "client_index", null, null));
                assertThat(f.get(2)).as(t.name()).isEqualTo(new ApiJsonModel.Field("u32", "context", null, null));
            } else {
                assertThat(f.get(1)).as(t.name()).isEqualTo(new ApiJsonModel.Field("u32", "context", null, null));
                assertThat(f.size() < 3 || !f.get(2).name().equals("client_index")).isTrue();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> recordComponentsMatchTheJsonFieldByField() {
        return Messages.ALL.stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> {
            List<ApiJsonModel.Field> payload = payloadFields(t);
            checkRecord(t.name(), t.javaType(), payload);
        }));
    }

    @Test
    void callsAndDumpsPairAsTheJsonServicesSay() throws IllegalAccessException {
        int n = 0;
        for (Field f : Api.class.getFields()) {
            Object v = f.get(null);
            if (v instanceof Api.Call<?, ?> c) {
                ApiJsonModel.Service s = MODEL.services.get(c.request().name());
                assertThat(s.reply()).as(f.getName()).isEqualTo(c.reply().name());
                assertThat(s.stream()).isFalse();
                n++;
            } else if (v instanceof Api.Dump<?, ?> d) {
                ApiJsonModel.Service s = MODEL.services.get(d.request().name());
                assertThat(s.reply()).as(f.getName()).isEqualTo(d.details().name());
                assertThat(s.stream()).isTrue();
                n++;
            }
        }
        assertThat(n).isEqualTo(16);
    }

    @TestFactory
    Stream<DynamicTest> bytesAgreeWithAJsonDrivenCodecOnRandomValues() {
        return Messages.ALL.stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> {
            Random rnd = new Random(t.nameCrc().hashCode());
            for (int i = 0; i < 200; i++) {
                roundTrip(t, rnd);
            }
        }));
    }

    private static <T> void roundTrip(MessageType<T> t, Random rnd) {
        Map<String, Object> values = MODEL.random(t.name(), rnd, List.of("_vl_msg_id", "client_index", "context"));
        int msgId = rnd.nextInt(65536);
        int clientIndex = rnd.nextInt();
        int context = rnd.nextInt();
        values.put("_vl_msg_id", (long) msgId);
        if (t.layout() == Layout.CLIENT_INDEX_CONTEXT) {
            values.put("client_index", clientIndex & 0xffffffffL);
        } else if (values.containsKey("client_index")) {
            values.put("client_index", 0L);
        }
        values.put("context", context & 0xffffffffL);
        byte[] json = MODEL.encode(t.name(), values);

        T decoded = t.decodeBody(ByteBuffer.wrap(json));
        ByteBuffer ours = t.encodeFrame(msgId, t.layout() == Layout.CLIENT_INDEX_CONTEXT ? clientIndex : 0, context,
                decoded);
        byte[] body = new byte[ours.remaining() - MessageType.FRAME_HEADER_BYTES];
        ours.get(MessageType.FRAME_HEADER_BYTES, body);
        assertThat(ours.getInt(8)).isEqualTo(body.length);
        assertThat(body).as(t.name() + " " + values).isEqualTo(json);
        assertThat(t.layout().context(ByteBuffer.wrap(body))).isEqualTo(context);
    }

    // ---- field-by-field ----------------------------------------------------------------------

    private static List<ApiJsonModel.Field> payloadFields(MessageType<?> t) {
        List<ApiJsonModel.Field> f = MODEL.messages.get(t.name()).fields();
        int skip = t.layout() == Layout.CLIENT_INDEX_CONTEXT ? 3 : 2;
        return f.subList(skip, f.size());
    }

    private static void checkRecord(String where, Class<?> type, List<ApiJsonModel.Field> jsonFields) {
        assertThat(type.isRecord()).as(where + ": " + type + " is a record").isTrue();
        Set<String> counts = new HashSet<>();
        for (ApiJsonModel.Field f : jsonFields) {
            if (f.countField() != null) {
                counts.add(f.countField());
            }
        }
        List<ApiJsonModel.Field> expected = new ArrayList<>();
        for (ApiJsonModel.Field f : jsonFields) {
            if (!counts.contains(f.name())) {
                expected.add(f);
            }
        }
        RecordComponent[] rc = type.getRecordComponents();
        Map<String, String> got = new LinkedHashMap<>();
        for (RecordComponent c : rc) {
            got.put(c.getName(), c.getType().getSimpleName());
        }
        List<String> expectedNames = expected.stream().map(f -> camel(f.name())).toList();
        assertThat(got.keySet()).as(where + ": components of " + type.getSimpleName() + " in JSON order")
                .containsExactlyElementsOf(expectedNames);
        for (int i = 0; i < rc.length; i++) {
            checkType(where + "." + expected.get(i).name(), rc[i].getGenericType(), expected.get(i));
        }
    }

    private static void checkType(String where, Type javaType, ApiJsonModel.Field f) {
        String t = resolveAlias(f.type());
        if (f.type().equals("string")) {
            assertThat(javaType).as(where).isEqualTo(String.class);
            return;
        }
        if (f.isArray()) {
            assertThat(javaType).as(where + " is a List").isInstanceOf(ParameterizedType.class);
            ParameterizedType p = (ParameterizedType) javaType;
            assertThat(p.getRawType()).as(where).isEqualTo(List.class);
            checkType(where + "[]", p.getActualTypeArguments()[0], new ApiJsonModel.Field(f.type(), f.name(), null, null));
            return;
        }
        switch (t) {
            case "u8", "i8", "u16", "i16", "u32", "i32" -> assertThat(javaType).as(where).isEqualTo(int.class);
            case "u64", "i64" -> assertThat(javaType).as(where).isEqualTo(long.class);
            case "bool" -> assertThat(javaType).as(where).isEqualTo(boolean.class);
            case "vl_api_ip4_address_t" -> assertThat(javaType).as(where).isEqualTo(Inet4Address.class);
            case "vl_api_ip6_address_t" -> assertThat(javaType).as(where).isEqualTo(Inet6Address.class);
            case "vl_api_address_t" -> assertThat(javaType).as(where).isEqualTo(InetAddress.class);
            case "vl_api_address_union_t" -> assertThat(javaType).as(where).isEqualTo(AddressUnion.class);
            case "vl_api_lb_encap_type_t" -> assertThat(javaType).as(where).isEqualTo(LbEncap.class);
            case "vl_api_lb_srv_type_t" ->
                    assertThat(javaType).as(where).isIn(LbSrvType.class, int.class);
            default -> {
                if (MODEL.enums.containsKey(t)) {
                    assertThat(javaType).as(where + " (enum " + t + ")").isEqualTo(int.class);
                } else if (MODEL.types.containsKey(t)) {
                    if (t.equals("vl_api_prefix_t")) {
                        assertThat(javaType).as(where).isEqualTo(Prefix.class);
                    }
                    checkRecord(where, (Class<?>) javaType, MODEL.types.get(t));
                } else {
                    throw new AssertionError(where + ": no mapping for JSON type " + t);
                }
            }
        }
    }

    private static String resolveAlias(String type) {
        ApiJsonModel.Field a = MODEL.aliases.get(type);
        if (a == null) {
            return type;
        }
        // ip4/ip6 addresses are u8[] aliases we map as leaf types
        if (type.equals("vl_api_ip4_address_t") || type.equals("vl_api_ip6_address_t")) {
            return type;
        }
        return resolveAlias(a.type());
    }

    private static String camel(String snake) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
