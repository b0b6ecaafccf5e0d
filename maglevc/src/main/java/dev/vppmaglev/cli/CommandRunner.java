package dev.vppmaglev.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.vppmaglev.proto.BackendInfo;
import dev.vppmaglev.proto.BackendRequest;
import dev.vppmaglev.proto.CheckConfigRequest;
import dev.vppmaglev.proto.CheckConfigResponse;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.FrontendInfo;
import dev.vppmaglev.proto.GetBackendRequest;
import dev.vppmaglev.proto.GetFrontendRequest;
import dev.vppmaglev.proto.GetHealthCheckRequest;
import dev.vppmaglev.proto.GetVPPInfoRequest;
import dev.vppmaglev.proto.GetVPPLBCountersRequest;
import dev.vppmaglev.proto.GetVPPLBStateRequest;
import dev.vppmaglev.proto.GetVersionRequest;
import dev.vppmaglev.proto.ListBackendsRequest;
import dev.vppmaglev.proto.ListFrontendsRequest;
import dev.vppmaglev.proto.ListHealthChecksRequest;
import dev.vppmaglev.proto.MaglevGrpc;
import dev.vppmaglev.proto.ReloadConfigRequest;
import dev.vppmaglev.proto.ReloadConfigResponse;
import dev.vppmaglev.proto.SetLogLevelRequest;
import dev.vppmaglev.proto.SetWeightRequest;
import dev.vppmaglev.proto.SyncVPPLBStateRequest;
import dev.vppmaglev.proto.VersionInfo;
import dev.vppmaglev.proto.WatchRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs command lines against maglevd and prints the result: the one path shared by one-shot
 * mode, scripts on stdin and the shell, so all three print the same bytes and the same error
 * lines. Output goes to {@code out}, error lines (red when colour is on) to {@code err}.
 */
final class CommandRunner {

    private final CommandTree tree;
    private final Connection connection;
    private final Render render;
    private final boolean json;
    private final boolean shell;
    private final PrintWriter out;
    private final PrintWriter err;
    private final WatchStopper stopper;
    private final Duration deadline;

    /**
     * @param tree the grammar
     * @param connection the (lazy) channel to maglevd
     * @param render text output and colour
     * @param json print protobuf JSON instead of text
     * @param shell whether this is the shell (accepts {@code quit}, lists it in {@code help})
     * @param out where output goes
     * @param err where error lines go (the same writer as {@code out} in the shell)
     * @param stopper how the operator stops {@code watch events}
     * @param deadline per-call deadline, named in the error when it passes
     */
    CommandRunner(CommandTree tree, Connection connection, Render render, boolean json, boolean shell, PrintWriter out,
            PrintWriter err, WatchStopper stopper, Duration deadline) {
        this.tree = tree;
        this.connection = connection;
        this.render = render;
        this.json = json;
        this.shell = shell;
        this.out = out;
        this.err = err;
        this.stopper = stopper;
        this.deadline = deadline;
    }

    /**
     * Parses and runs one command line, printing its output or one error line.
     *
     * @param words the words of the line (no flags)
     * @return the exit status ({@link ExitStatus})
     */
    int run(List<String> words) {
        try {
            return run(tree.parse(words));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    /**
     * Runs a parsed command, printing its output or one error line.
     *
     * @return the exit status ({@link ExitStatus})
     */
    int run(CommandTree.Parsed command) {
        try {
            int status = execute(command);
            out.flush();
            return status;
        } catch (RuntimeException e) {
            out.flush();
            return fail(e);
        }
    }

    /** Prints the error line for {@code e} and returns its status. */
    int fail(RuntimeException e) {
        Failure f = Failure.of(e, connection.address(), deadline);
        error(f.message());
        return f.status();
    }

    private void error(String line) {
        err.print(render.style().error(line));
        err.print('\n');
        err.flush();
    }

    private MaglevGrpc.MaglevBlockingStub stub() {
        return connection.blocking();
    }

    private int execute(CommandTree.Parsed p) {
        switch (p.action()) {
            case SHOW_VERSION -> {
                VersionInfo daemon = stub().getVersion(GetVersionRequest.getDefaultInstance());
                if (json) {
                    VersionInfo client = VersionInfo.newBuilder().setVersion(Version.maglevc())
                            .setCommit(Version.commit()).setDate(Version.date()).build();
                    out.print("{\n  \"maglevc\": " + indent(json(client)) + ",\n  \"maglevd\": " + indent(json(daemon))
                            + "\n}\n");
                } else {
                    out.print(render.version(Version.maglevc(), daemon));
                }
            }
            case SHOW_FRONTENDS -> {
                if (p.arg("frontend") != null) {
                    show(getFrontend(p.arg("frontend")), render::frontend);
                } else {
                    show(stub().listFrontends(ListFrontendsRequest.getDefaultInstance()), render::frontends);
                }
            }
            case SHOW_FRONTEND -> show(getFrontend(p.arg("frontend")), render::frontend);
            case SHOW_BACKENDS -> {
                if (p.arg("backend") != null) {
                    show(getBackend(p.arg("backend")), render::backend);
                } else {
                    show(stub().listBackends(ListBackendsRequest.getDefaultInstance()), render::backends);
                }
            }
            case SHOW_BACKEND -> show(getBackend(p.arg("backend")), render::backend);
            case SHOW_HEALTHCHECKS -> {
                if (p.arg("healthcheck") != null) {
                    show(stub().getHealthCheck(GetHealthCheckRequest.newBuilder().setName(p.arg("healthcheck")).build()),
                            render::healthcheck);
                } else {
                    show(stub().listHealthChecks(ListHealthChecksRequest.getDefaultInstance()), render::healthchecks);
                }
            }
            case SHOW_HEALTHCHECK -> show(
                    stub().getHealthCheck(GetHealthCheckRequest.newBuilder().setName(p.arg("healthcheck")).build()),
                    render::healthcheck);
            case SHOW_VPP_INFO -> show(stub().getVPPInfo(GetVPPInfoRequest.getDefaultInstance()), render::vppInfo);
            case SHOW_VPP_LB_STATE -> show(stub().getVPPLBState(GetVPPLBStateRequest.getDefaultInstance()),
                    render::lbState);
            case SHOW_VPP_LB_COUNTERS -> show(stub().getVPPLBCounters(GetVPPLBCountersRequest.getDefaultInstance()),
                    render::lbCounters);
            case SYNC_VPP_LB_STATE -> {
                SyncVPPLBStateRequest.Builder req = SyncVPPLBStateRequest.newBuilder();
                if (p.arg("frontend") != null) {
                    req.setFrontend(p.arg("frontend"));
                }
                show(stub().syncVPPLBState(req.build()), render::sync);
            }
            case BACKEND_PAUSE -> show(stub().pauseBackend(backend(p)), render::backendAction);
            case BACKEND_RESUME -> show(stub().resumeBackend(backend(p)), render::backendAction);
            case BACKEND_ENABLE -> show(stub().enableBackend(backend(p)), render::backendAction);
            case BACKEND_DISABLE -> show(stub().disableBackend(backend(p)), render::backendAction);
            case SET_WEIGHT -> {
                FrontendInfo f = stub().setFrontendPoolBackendWeight(SetWeightRequest.newBuilder()
                        .setFrontend(p.arg("frontend"))
                        .setPool(p.arg("pool"))
                        .setBackend(p.arg("backend"))
                        .setWeight(Integer.parseInt(p.arg("weight")))
                        .build());
                show(f, info -> render.weightSet(info, p.arg("pool"), p.arg("backend")));
            }
            case SET_LOG_LEVEL -> show(stub().setLogLevel(SetLogLevelRequest.newBuilder().setLevel(p.arg("level")).build()),
                    render::logLevel);
            case WATCH_EVENTS -> {
                return watch(p);
            }
            case CONFIG_CHECK -> {
                CheckConfigResponse r = stub().checkConfig(CheckConfigRequest.getDefaultInstance());
                return verdict(r, r.getOk(), Render.configErrors(r.getParseError(), r.getSemanticError()),
                        "config ok", "config check failed");
            }
            case CONFIG_RELOAD -> {
                ReloadConfigResponse r = stub().reloadConfig(ReloadConfigRequest.getDefaultInstance());
                return verdict(r, r.getOk(), Render.configErrors(r.getParseError(), r.getSemanticError()),
                        "config reloaded", "config reload refused; the running config stays");
            }
            case HELP -> out.print(Render.commandList(tree, shell, ""));
            case QUIT -> {
                if (!shell) {
                    throw new CommandLineException("\"" + p.line() + "\" only works in the shell");
                }
            }
        }
        return ExitStatus.OK;
    }

    private FrontendInfo getFrontend(String name) {
        return stub().getFrontend(GetFrontendRequest.newBuilder().setName(name).build());
    }

    private BackendInfo getBackend(String name) {
        return stub().getBackend(GetBackendRequest.newBuilder().setName(name).build());
    }

    private static BackendRequest backend(CommandTree.Parsed p) {
        return BackendRequest.newBuilder().setName(p.arg("backend")).build();
    }

    private <M extends MessageOrBuilder> void show(M message, java.util.function.Function<M, String> text) {
        out.print(json ? json(message) + "\n" : text.apply(message));
    }

    private int verdict(MessageOrBuilder response, boolean ok, List<String> errors, String okLine, String failLine) {
        if (json) {
            out.print(json(response) + "\n");
            return ok ? ExitStatus.OK : ExitStatus.SERVER_ERROR;
        }
        if (ok) {
            out.print(okLine + "\n");
            return ExitStatus.OK;
        }
        out.flush();
        for (String line : errors) {
            error(line);
        }
        error(failLine);
        return ExitStatus.SERVER_ERROR;
    }

    /**
     * Streams events until {@code num <n>} of them were printed, the daemon ends the stream, the
     * output is closed (a pipe whose reader exited), or the operator stops it
     * ({@link WatchStopper}). Each event is flushed as it arrives.
     */
    private int watch(CommandTree.Parsed p) {
        WatchRequest request = WatchRequest.newBuilder()
                .setLog(p.options().contains("log"))
                .setLogLevel(p.arg("level") == null ? "" : p.arg("level"))
                .setBackend(p.options().contains("backend"))
                .setFrontend(p.options().contains("frontend"))
                .build();
        long limit = p.arg("num") == null ? Long.MAX_VALUE : Long.parseLong(p.arg("num"));
        AtomicBoolean stopped = new AtomicBoolean();
        Context.CancellableContext context = Context.current().withCancellation();
        WatchStopper.Armed armed = stopper.arm(() -> {
            stopped.set(true);
            context.cancel(null);
        });
        try {
            context.run(() -> {
                Iterator<Event> events = connection.streaming().watchEvents(request);
                long printed = 0;
                while (printed < limit && events.hasNext()) {
                    Event e = events.next();
                    out.print(json ? print(Json.LINE, e) + "\n" : render.event(e));
                    out.flush();
                    if (out.checkError()) {
                        return; // the reader went away (maglevc watch events | head -3)
                    }
                    printed++;
                }
            });
        } catch (StatusRuntimeException e) {
            if (!(stopped.get() && e.getStatus().getCode() == Status.Code.CANCELLED)) {
                throw e;
            }
        } finally {
            context.cancel(null);
            out.flush();
            armed.close();
        }
        return stopped.get() ? stopper.stoppedStatus() : ExitStatus.OK;
    }

    /** Built on first use: JsonFormat's set-up costs ~25 ms of one-shot start-up. */
    private static final class Json {
        static final JsonFormat.Printer DOCUMENT = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
        static final JsonFormat.Printer LINE = DOCUMENT.omittingInsignificantWhitespace();
    }

    private static String json(MessageOrBuilder message) {
        return print(Json.DOCUMENT, message);
    }

    private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
        try {
            return printer.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static String indent(String jsonText) {
        return jsonText.replace("\n", "\n  ");
    }
}
