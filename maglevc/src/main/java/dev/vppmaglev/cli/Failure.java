package dev.vppmaglev.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Locale;

/**
 * What went wrong with a command, as one readable line and an exit status; the one place that
 * strips gRPC's boilerplate ({@code rpc error: code = ... desc = ...}), used alike by one-shot
 * mode, scripts on stdin and the shell.
 *
 * @param message one line, no trailing period, e.g. {@code no backend named "x"}
 * @param status the exit status ({@link ExitStatus})
 */
record Failure(String message, int status) {

    /**
     * @param error what a command threw
     * @param address the daemon's address, named when it cannot be reached
     * @param deadline the per-call deadline, named when it passed
     */
    static Failure of(Throwable error, ServerAddress address, Duration deadline) {
        // if/instanceof, not a pattern switch: SwitchBootstraps costs ~20 ms of start-up.
        if (error instanceof CommandLineException e) {
            return new Failure(e.getMessage(), ExitStatus.USAGE);
        }
        if (error instanceof UnreachableException e) {
            return new Failure(e.getMessage(), ExitStatus.UNREACHABLE);
        }
        if (error instanceof StatusRuntimeException e) {
            return of(e.getStatus(), address, deadline);
        }
        return new Failure("internal error: " + error, ExitStatus.SERVER_ERROR);
    }

    private static Failure of(Status status, ServerAddress address, Duration deadline) {
        String description = status.getDescription() == null ? "" : status.getDescription().strip();
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return new Failure("maglevd at " + address.display() + " did not answer within "
                    + Ages.interval(deadline.toMillis()), ExitStatus.UNREACHABLE);
        }
        if (status.getCode() == Status.Code.UNAVAILABLE && isTransport(status)) {
            return new Failure("cannot reach maglevd at " + address.display() + ": " + reason(status),
                    ExitStatus.UNREACHABLE);
        }
        if (status.getCode() == Status.Code.CANCELLED && description.startsWith("RST_STREAM")) {
            // the daemon went away mid-stream without ending it (killed): gRPC's words are not the operator's
            return new Failure("lost the connection to maglevd at " + address.display() + " (stream reset)",
                    ExitStatus.UNREACHABLE);
        }
        if (description.isEmpty()) {
            description = status.getCode().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        return new Failure(description, ExitStatus.SERVER_ERROR);
    }

    /**
     * Whether an UNAVAILABLE came from our side of the connection rather than from the daemon
     * (which says UNAVAILABLE when VPP is down). Causes are never sent over the wire, so a
     * status with a cause, or gRPC's own transport wording, is local.
     */
    private static boolean isTransport(Status status) {
        if (status.getCause() != null) {
            return true;
        }
        String d = status.getDescription() == null ? "" : status.getDescription();
        return d.isEmpty() || d.startsWith("io exception") || d.startsWith("Network closed")
                || d.startsWith("Connection closed") || d.startsWith("Unable to resolve host");
    }

    private static String reason(Status status) {
        for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof ConnectException && m.contains("refused")) {
                return "connection refused";
            }
            if (t instanceof NoSuchFileException || m.contains("No such file")) {
                return "no such socket";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (m.contains("Permission denied")) {
                return "permission denied";
            }
        }
        Throwable root = status.getCause();
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        if (root != null && root.getMessage() != null) {
            return root.getMessage().toLowerCase(Locale.ROOT);
        }
        String d = status.getDescription();
        return d == null || d.isEmpty() ? "connection failed" : d.toLowerCase(Locale.ROOT);
    }
}
