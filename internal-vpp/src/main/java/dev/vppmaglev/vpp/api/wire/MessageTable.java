package dev.vppmaglev.vpp.api.wire;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The running VPP's message table: {@code name_crc -> u16 id}, as announced in
 * {@code sockclnt_create_reply} (vpp-wire.md §1.4–1.5). Immutable. A {@code name_crc} that is
 * absent means that VPP does not have that message with that exact field layout.
 */
public final class MessageTable {
    private final Map<String, Integer> idByNameCrc;
    private final String[] nameCrcById;

    /** @param idByNameCrc {@code name_crc -> id}; copied */
    public MessageTable(Map<String, Integer> idByNameCrc) {
        this.idByNameCrc = Map.copyOf(idByNameCrc);
        int max = 0;
        for (int id : this.idByNameCrc.values()) {
            if (id < 0 || id > 0xffff) {
                throw new IllegalArgumentException("message id out of u16 range: " + id);
            }
            max = Math.max(max, id);
        }
        nameCrcById = new String[max + 1];
        for (Map.Entry<String, Integer> e : this.idByNameCrc.entrySet()) {
            nameCrcById[e.getValue()] = e.getKey();
        }
    }

    /** The id of {@code nameCrc}, or empty. */
    public OptionalInt id(String nameCrc) {
        Integer id = idByNameCrc.get(nameCrc);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The id of {@code type}, or empty when VPP lacks that exact {@code name_crc}. */
    public OptionalInt id(MessageType<?> type) {
        return id(type.nameCrc());
    }

    /** Whether VPP has {@code type} with exactly this {@code name_crc}. */
    public boolean contains(MessageType<?> type) {
        return idByNameCrc.containsKey(type.nameCrc());
    }

    /** The {@code name_crc} of {@code id}, or {@code null}. */
    public String nameCrc(int id) {
        return id >= 0 && id < nameCrcById.length ? nameCrcById[id] : null;
    }

    /** Number of entries. */
    public int size() {
        return idByNameCrc.size();
    }

    /** Highest id in the table. */
    public int maxId() {
        return nameCrcById.length - 1;
    }

    /** An unmodifiable view {@code name_crc -> id}. */
    public Map<String, Integer> asMap() {
        return Collections.unmodifiableMap(new HashMap<>(idByNameCrc));
    }
}
