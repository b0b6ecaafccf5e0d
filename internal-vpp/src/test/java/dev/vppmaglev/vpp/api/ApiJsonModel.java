package dev.vppmaglev.vpp.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test-side, independent reading of VPP's {@code .api.json} files: messages, typedefs, unions,
 * enums and aliases, plus a generic encoder/decoder driven only by those definitions (as VPP's
 * Python binding does). Used to hold the hand-written codec to VPP's own definitions.
 */
final class ApiJsonModel {
    /** One field: {@code [type, name, (length, (count_field))?, {options}?]}. */
    record Field(String type, String name, Integer length, String countField) {
        boolean isArray() {
            return length != null;
        }
    }

    record Message(String name, String crc, List<Field> fields) {}

    record EnumDef(String name, int width, List<Long> values, List<String> names) {}

    final Map<String, Message> messages = new LinkedHashMap<>();
    final Map<String, List<Field>> types = new HashMap<>();
    final Map<String, List<Field>> unions = new HashMap<>();
    final Map<String, EnumDef> enums = new HashMap<>();
    final Map<String, Field> aliases = new HashMap<>();
    /** request name -> reply (or details) name and whether it is a stream. */
    record Service(String reply, boolean stream) {}

    final Map<String, Service> services = new HashMap<>();
    /** module -> its messages in file order. */
    final Map<String, List<String>> moduleMessages = new LinkedHashMap<>();

    static Path apiDir() {
        return Path.of(System.getProperty("maglev.top", "..")).resolve("internal-vpp/src/main/vpp-api");
    }

    static ApiJsonModel load() {
        ApiJsonModel m = new ApiJsonModel();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(apiDir(), "*.api.json")) {
            for (Path p : ds) {
                m.read(JsonParser.parseString(Files.readString(p)).getAsJsonObject(),
                        p.getFileName().toString().replace(".api.json", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    private void read(JsonObject o, String module) {
        List<String> names = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("messages")) {
            JsonArray a = e.getAsJsonArray();
            String name = a.get(0).getAsString();
            String crc = null;
            List<Field> fields = new ArrayList<>();
            for (int i = 1; i < a.size(); i++) {
                if (a.get(i).isJsonObject()) {
                    crc = a.get(i).getAsJsonObject().get("crc").getAsString();
                } else {
                    fields.add(field(a.get(i).getAsJsonArray()));
                }
            }
            messages.put(name, new Message(name, crc.substring(2), fields));
            names.add(name);
        }
        moduleMessages.put(module, names);
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("services").entrySet()) {
            JsonObject sv = e.getValue().getAsJsonObject();
            services.put(e.getKey(), new Service(sv.get("reply").getAsString(),
                    sv.has("stream") && sv.get("stream").getAsBoolean()));
        }
        for (JsonElement e : o.getAsJsonArray("types")) {
            JsonArray a = e.getAsJsonArray();
            types.put("vl_api_" + a.get(0).getAsString() + "_t", fields(a));
        }
        for (JsonElement e : o.getAsJsonArray("unions")) {
            JsonArray a = e.getAsJsonArray();
            unions.put("vl_api_" + a.get(0).getAsString() + "_t", fields(a));
        }
        for (JsonElement e : o.getAsJsonArray("enums")) {
            JsonArray a = e.getAsJsonArray();
            List<Long> values = new ArrayList<>();
            List<String> names2 = new ArrayList<>();
            int width = 4;
            for (int i = 1; i < a.size(); i++) {
                if (a.get(i).isJsonObject()) {
                    String t = a.get(i).getAsJsonObject().get("enumtype").getAsString();
                    width = switch (t) {
                        case "u8" -> 1;
                        case "u16" -> 2;
                        default -> 4;
                    };
                } else {
                    names2.add(a.get(i).getAsJsonArray().get(0).getAsString());
                    values.add(a.get(i).getAsJsonArray().get(1).getAsLong());
                }
            }
            String n = "vl_api_" + a.get(0).getAsString() + "_t";
            enums.put(n, new EnumDef(n, width, values, names2));
        }
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("aliases").entrySet()) {
            JsonObject a = e.getValue().getAsJsonObject();
            aliases.put("vl_api_" + e.getKey() + "_t", new Field(a.get("type").getAsString(), e.getKey(),
                    a.has("length") ? a.get("length").getAsInt() : null, null));
        }
    }

    private static List<Field> fields(JsonArray a) {
        List<Field> out = new ArrayList<>();
        for (int i = 1; i < a.size(); i++) {
            if (a.get(i).isJsonArray()) {
                out.add(field(a.get(i).getAsJsonArray()));
            }
        }
        return out;
    }

    private static Field field(JsonArray f) {
        Integer length = null;
        String count = null;
        if (f.size() > 2 && f.get(2).isJsonPrimitive() && f.get(2).getAsJsonPrimitive().isNumber()) {
            length = f.get(2).getAsInt();
            if (f.size() > 3 && f.get(3).isJsonPrimitive()) {
                count = f.get(3).getAsString();
            }
        }
        return new Field(f.get(0).getAsString(), f.get(1).getAsString(), length, count);
    }

    // ---- generic codec (values: Long for integers/enums, Boolean, String, byte[], Map, List) ----

    byte[] encode(String message, Map<String, Object> values) {
        ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.BIG_ENDIAN);
        encodeFields(messages.get(message).fields(), values, b);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private void encodeFields(List<Field> fields, Map<String, Object> values, ByteBuffer b) {
        for (Field f : fields) {
            Object v = values.get(f.name());
            if (f.type().equals("string")) {
                byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
                if (f.length() == 0) {
                    b.putInt(s.length).put(s);
                } else {
                    b.put(s).put(new byte[f.length() - s.length]);
                }
            } else if (f.isArray()) {
                List<?> list = (List<?>) v;
                for (Object e : list) {
                    encodeScalar(f.type(), e, b);
                }
            } else {
                encodeScalar(f.type(), v, b);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void encodeScalar(String type, Object v, ByteBuffer b) {
        switch (type) {
            case "u8", "i8" -> b.put((byte) (long) (Long) v);
            case "bool" -> b.put((byte) ((Boolean) v ? 1 : 0));
            case "u16", "i16" -> b.putShort((short) (long) (Long) v);
            case "u32", "i32" -> b.putInt((int) (long) (Long) v);
            case "u64", "i64" -> b.putLong((Long) v);
            default -> {
                if (aliases.containsKey(type)) {
                    Field a = aliases.get(type);
                    if (a.isArray()) {
                        b.put((byte[]) v);
                    } else {
                        encodeScalar(a.type(), v, b);
                    }
                } else if (enums.containsKey(type)) {
                    EnumDef e = enums.get(type);
                    long x = (Long) v;
                    switch (e.width()) {
                        case 1 -> b.put((byte) x);
                        case 2 -> b.putShort((short) x);
                        default -> b.putInt((int) x);
                    }
                } else if (unions.containsKey(type)) {
                    b.put((byte[]) v); // raw union bytes
                } else if (types.containsKey(type)) {
                    encodeFields(types.get(type), (Map<String, Object>) v, b);
                } else {
                    throw new IllegalArgumentException("unknown type " + type);
                }
            }
        }
    }

    /** Size in bytes of a union (largest member). */
    int unionSize(String type) {
        int max = 0;
        for (Field f : unions.get(type)) {
            max = Math.max(max, fixedSize(f.type()) * (f.isArray() ? f.length() : 1));
        }
        return max;
    }

    int fixedSize(String type) {
        return switch (type) {
            case "u8", "i8", "bool" -> 1;
            case "u16", "i16" -> 2;
            case "u32", "i32" -> 4;
            case "u64", "i64", "f64" -> 8;
            default -> {
                if (aliases.containsKey(type)) {
                    Field a = aliases.get(type);
                    yield fixedSize(a.type()) * (a.isArray() ? a.length() : 1);
                }
                if (enums.containsKey(type)) {
                    yield enums.get(type).width();
                }
                if (unions.containsKey(type)) {
                    yield unionSize(type);
                }
                int n = 0;
                for (Field f : types.get(type)) {
                    n += fixedSize(f.type()) * (f.isArray() ? f.length() : 1);
                }
                yield n;
            }
        };
    }

    Map<String, Object> decode(String message, ByteBuffer body) {
        ByteBuffer b = body.duplicate().order(ByteOrder.BIG_ENDIAN);
        return decodeFields(messages.get(message).fields(), b);
    }

    private Map<String, Object> decodeFields(List<Field> fields, ByteBuffer b) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : fields) {
            if (f.type().equals("string")) {
                if (f.length() == 0) {
                    byte[] s = new byte[b.getInt()];
                    b.get(s);
                    out.put(f.name(), new String(s, StandardCharsets.UTF_8));
                } else {
                    byte[] s = new byte[f.length()];
                    b.get(s);
                    int n = 0;
                    while (n < s.length && s[n] != 0) {
                        n++;
                    }
                    out.put(f.name(), new String(s, 0, n, StandardCharsets.UTF_8));
                }
            } else if (f.isArray()) {
                int n = f.countField() != null ? (int) (long) (Long) out.get(f.countField()) : f.length();
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(decodeScalar(f.type(), b));
                }
                out.put(f.name(), list);
            } else {
                out.put(f.name(), decodeScalar(f.type(), b));
            }
        }
        return out;
    }

    private Object decodeScalar(String type, ByteBuffer b) {
        switch (type) {
            case "u8": return (long) (b.get() & 0xff);
            case "i8": return (long) b.get();
            case "bool": return b.get() != 0;
            case "u16": return (long) (b.getShort() & 0xffff);
            case "i16": return (long) b.getShort();
            case "u32": return b.getInt() & 0xffffffffL;
            case "i32": return (long) b.getInt();
            case "u64", "i64": return b.getLong();
            default:
                if (aliases.containsKey(type)) {
                    Field a = aliases.get(type);
                    if (a.isArray()) {
                        byte[] x = new byte[fixedSize(a.type()) * a.length()];
                        b.get(x);
                        return x;
                    }
                    return decodeScalar(a.type(), b);
                }
                if (enums.containsKey(type)) {
                    return switch (enums.get(type).width()) {
                        case 1 -> (long) (b.get() & 0xff);
                        case 2 -> (long) (b.getShort() & 0xffff);
                        default -> b.getInt() & 0xffffffffL;
                    };
                }
                if (unions.containsKey(type)) {
                    byte[] x = new byte[unionSize(type)];
                    b.get(x);
                    return x;
                }
                return decodeFields(types.get(type), b);
        }
    }

    // ---- random values that our typed records can carry ----------------------------------------

    Map<String, Object> random(String message, Random rnd, List<String> skip) {
        return randomFields(messages.get(message).fields(), rnd, skip);
    }

    private Map<String, Object> randomFields(List<Field> fields, Random rnd, List<String> skip) {
        Map<String, Object> out = new LinkedHashMap<>();
        // an address's af decides how its union may look; a count field follows its array
        for (Field f : fields) {
            if (skip.contains(f.name())) {
                out.put(f.name(), 0L);
                continue;
            }
            if (f.type().equals("string")) {
                int max = f.length() == 0 ? 40 : Math.min(f.length() - 1, 40);
                StringBuilder sb = new StringBuilder();
                int n = rnd.nextInt(max + 1);
                for (int i = 0; i < n; i++) {
                    sb.append((char) ('a' + rnd.nextInt(26)));
                }
                out.put(f.name(), sb.toString());
            } else if (f.isArray()) {
                int n = f.countField() != null ? rnd.nextInt(4) : f.length();
                if (f.countField() != null) {
                    out.put(f.countField(), (long) n);
                }
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(randomScalar(f.type(), rnd, skip));
                }
                out.put(f.name(), list);
            } else if (f.type().equals("vl_api_address_union_t") && out.containsKey("af")) {
                out.put(f.name(), randomUnion((Long) out.get("af") == 0, rnd));
            } else {
                out.put(f.name(), randomScalar(f.type(), rnd, skip));
            }
        }
        if (out.containsKey("len") && out.get("address") instanceof Map<?, ?> a) {
            boolean v4 = (Long) a.get("af") == 0;
            out.put("len", (long) rnd.nextInt(v4 ? 33 : 129));
        }
        return out;
    }

    private static byte[] randomUnion(boolean v4, Random rnd) {
        byte[] b = new byte[16];
        byte[] x = new byte[v4 ? 4 : 16];
        rnd.nextBytes(x);
        System.arraycopy(x, 0, b, 0, x.length);
        return b;
    }

    private Object randomScalar(String type, Random rnd, List<String> skip) {
        switch (type) {
            case "u8": return (long) rnd.nextInt(256);
            case "bool": return rnd.nextBoolean();
            case "u16": return (long) rnd.nextInt(65536);
            case "u32", "i32": return rnd.nextInt() & 0xffffffffL;
            case "u64": return rnd.nextLong();
            default:
                if (aliases.containsKey(type)) {
                    Field a = aliases.get(type);
                    if (a.isArray()) {
                        byte[] x = new byte[fixedSize(a.type()) * a.length()];
                        rnd.nextBytes(x);
                        return x;
                    }
                    return randomScalar(a.type(), rnd, skip);
                }
                if (enums.containsKey(type)) {
                    EnumDef e = enums.get(type);
                    List<Long> usable = new ArrayList<>();
                    for (int i = 0; i < e.values().size(); i++) {
                        if (!e.names().get(i).contains("_N_")) {
                            usable.add(e.values().get(i));
                        }
                    }
                    return usable.get(rnd.nextInt(usable.size()));
                }
                if (unions.containsKey(type)) {
                    return randomUnion(rnd.nextBoolean(), rnd);
                }
                return randomFields(types.get(type), rnd, skip);
        }
    }
}
