package dev.vppmaglev.health;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Test support for network namespaces (as root): {@code ip} commands, and an executor whose single
 * platform thread has entered a namespace with {@code setns(2)} (java-stack.md §8), which is what
 * the probers' {@code socketExecutor} hook is for.
 */
@SuppressWarnings("restricted")
final class TestNetns {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private TestNetns() {}

    /** Whether this JVM runs as root (the owner of /proc/self is the effective uid). */
    static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Runs {@code ip args...}; throws with its output if it fails. */
    static void ip(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        run(cmd);
    }

    /** Runs {@code sysctl -w key=value} inside namespace {@code ns}. */
    static void sysctl(String ns, String key, String value) {
        run(List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key + "=" + value));
    }

    static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes {@code ns} if it exists (its veth ends go with it). */
    static void deleteQuietly(String ns) {
        try {
            ip("netns", "del", ns);
        } catch (IllegalStateException ignored) {
            // not there
        }
    }

    /**
     * A one-thread executor whose platform thread entered {@code /run/netns/<ns>}: sockets created
     * on it live in that namespace.
     */
    static ExecutorService executorIn(String ns) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("netns-" + ns).unstarted(() -> {
                    enter(ns);
                    r.run();
                }));
        Future<?> probe = ex.submit(() -> { });
        probe.get(10, TimeUnit.SECONDS); // surfaces a failed setns
        return ex;
    }

    private static void enter(String ns) {
        Linker linker = Linker.nativeLinker();
        MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        MethodHandle setns = linker.downcallHandle(linker.defaultLookup().find("setns").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) open.invokeExact(arena.allocateFrom("/run/netns/" + ns), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("cannot open /run/netns/" + ns);
            }
            int r = (int) setns.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) close.invokeExact(fd);
            if (r != 0) {
                throw new IllegalStateException("setns(" + ns + ") failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
