package dev.vppmaglev.health;

/**
 * A backend, frontend or pool name that the live config does not have. The daemon maps it to gRPC
 * {@code NOT_FOUND}.
 */
public final class UnknownNameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String name;

    /**
     * @param kind what was looked up: {@code backend}, {@code frontend}, {@code pool}, ...
     * @param name the name that was not found
     */
    public UnknownNameException(String kind, String name) {
        this(kind, name, "no " + kind + " named \"" + name + "\"");
    }

    public UnknownNameException(String kind, String name, String message) {
        super(message);
        this.kind = kind;
        this.name = name;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }
}
