package dev.vppmaglev.cli;

/**
 * A command line that does not fit the command tree or the flags: an unknown, ambiguous or missing
 * word, or a value out of range. The message is one readable line for the operator; maglevc exits
 * with {@link ExitStatus#USAGE} in one-shot mode.
 */
final class CommandLineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandLineException(String message) {
        super(message, null, false, false);
    }
}
