package dev.vppmaglev.cli;

import java.util.regex.Pattern;

/**
 * ANSI colour for the shell (and one-shot with {@code --color=true} on a terminal): labels dark
 * blue, errors red, states by meaning. With colour off every method returns its text unchanged,
 * so plain output is byte-identical in one-shot and shell mode.
 *
 * @param color whether to emit ANSI escapes
 */
record Style(boolean color) {

    static final Style PLAIN = new Style(false);

    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");
    private static final String RESET = "\u001b[0m";

    /** A static label: dark blue. */
    String label(String text) {
        return paint("34", text);
    }

    /** A table header: bold dark blue. */
    String header(String text) {
        return paint("1;34", text);
    }

    /** An error line: red. */
    String error(String text) {
        return paint("31", text);
    }

    /** Something an operator should look at but that is not an error: yellow. */
    String warn(String text) {
        return paint("33", text);
    }

    /**
     * A lower-case backend or frontend state: up green, down red, paused and unknown yellow,
     * disabled and removed magenta.
     */
    String state(String state) {
        return switch (state) {
            case "up" -> paint("32", state);
            case "down" -> paint("31", state);
            case "paused", "unknown" -> paint("33", state);
            case "disabled", "removed" -> paint("35", state);
            default -> state;
        };
    }

    private String paint(String code, String text) {
        return color && !text.isEmpty() ? "\u001b[" + code + "m" + text + RESET : text;
    }

    /** The number of columns {@code text} takes on a terminal (ANSI escapes take none). */
    static int width(String text) {
        return text.indexOf('\u001b') < 0 ? text.length() : ANSI.matcher(text).replaceAll("").length();
    }
}
