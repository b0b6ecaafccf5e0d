package dev.vppmaglev.cli;

import dev.vppmaglev.cli.SlotType.NameKind;
import java.util.List;
import java.util.Map;

/** Where Tab completion and {@code ?} help get the names of frontends, backends, pools, ... */
@FunctionalInterface
interface NameSource {

    /** No names (e.g. before a daemon was reached). */
    NameSource NONE = (kind, args) -> List.of();

    /**
     * A name with a short description for the Tab list.
     *
     * @param value the name
     * @param description e.g. {@code "backend 10.0.0.1 up"}; may be empty
     */
    record Name(String value, String description) {}

    /**
     * The names a slot of the given kind can take now.
     *
     * @param kind which list
     * @param args the values bound earlier on the line ({@link NameKind#POOL} reads
     *     {@code frontend})
     * @return the names in the daemon's order; empty when unknown or unreachable (never throws)
     */
    List<Name> names(NameKind kind, Map<String, String> args);
}
