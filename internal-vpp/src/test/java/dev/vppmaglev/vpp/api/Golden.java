package dev.vppmaglev.vpp.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads testdata/golden (see its README): API transcripts, the message table, CLI texts. Shared
 * with vpp-fake's tests through internal-vpp's test-jar.
 */
public final class Golden {
    /** One captured frame. */
    public record Frame(String dir, String msg, byte[] bytes, String note, String step, JsonObject decoded) {
        public boolean tx() {
            return dir.equals("tx");
        }

        /** The body (after the 16-byte header). */
        public ByteBuffer body() {
            return ByteBuffer.wrap(bytes, 16, bytes.length - 16).slice();
        }

        public int msgId() {
            return ((bytes[16] & 0xff) << 8) | (bytes[17] & 0xff);
        }
    }

    public static final List<String> TRANSCRIPTS = List.of("a-handshake", "b-lb-programming", "c-after-traffic",
            "d-lb-encap-variants");

    public static Path dir() {
        return Path.of(System.getProperty("maglev.testdata", "../testdata")).resolve("golden");
    }

    public static List<Frame> transcript(String name) {
        List<Frame> out = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(read(dir().resolve("api/" + name + ".json"))).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            out.add(new Frame(o.get("dir").getAsString(), o.get("msg").getAsString(),
                    HexFormat.of().parseHex(o.get("hex").getAsString()), o.get("note").getAsString(),
                    o.get("step").getAsString(), o.has("decoded") && o.get("decoded").isJsonObject()
                            ? o.getAsJsonObject("decoded") : null));
        }
        return out;
    }

    public static List<Frame> allFrames() {
        List<Frame> out = new ArrayList<>();
        for (String t : TRANSCRIPTS) {
            out.addAll(transcript(t));
        }
        return out;
    }

    /** {@code name_crc -> id} from message-table.json. */
    public static Map<String, Integer> messageTable() {
        JsonObject o = JsonParser.parseString(read(dir().resolve("api/message-table.json"))).getAsJsonObject();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("table").entrySet()) {
            out.put(e.getKey(), e.getValue().getAsInt());
        }
        return out;
    }

    public static String cli(String file) {
        return read(dir().resolve("cli/" + file));
    }

    public static List<Path> cliFiles(String glob) {
        List<Path> out = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(dir().resolve("cli"), glob)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    public static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Golden() {}
}
