package dev.vppmaglev.vpp.stats;

import java.util.Objects;

/**
 * A directory entry resolved by name in one epoch ({@link StatsSegment#lookup}). Keep it for
 * as long as you like: a read with an entry of an older epoch re-resolves it by name (one hash
 * lookup, no allocation), so entries moved or re-created by VPP are read from their new place.
 *
 * @param name           the directory name (e.g. {@code first session packet}, {@code /net/route/to})
 * @param directoryIndex index in the directory vector in {@code epoch}
 * @param type           the entry's own type ({@link EntryType#SYMLINK} for a symlink)
 * @param symlinkTarget  for a symlink: directory index of the target entry ({@code index1}); else -1
 * @param symlinkColumn  for a symlink: the column of the target it stands for ({@code index2},
 *                       e.g. a sw_if_index); else -1
 * @param epoch          the segment epoch in which this entry was resolved
 */
public record StatsEntry(
        String name, int directoryIndex, EntryType type, int symlinkTarget, int symlinkColumn, long epoch) {
    public StatsEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** True for a {@link EntryType#SYMLINK} entry. */
    public boolean isSymlink() {
        return type == EntryType.SYMLINK;
    }
}
