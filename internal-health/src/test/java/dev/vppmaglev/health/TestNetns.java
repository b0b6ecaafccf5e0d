package dev.vppmaglev.health;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
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
 * platform thread has entered a namespace with {@code setns(2)} through the production helper
 * ({@link Netns#enter}), for servers that must live inside a namespace, and a capability drop for
 * the EPERM path.
 */
@SuppressWarnings("restricted")
final class TestNetns {
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
        try {
            Netns.enter(ns, Netns.LIBC); // the production FFM helper
        } catch (Netns.EnterException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static final int CAP_SYS_ADMIN = 21;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    /**
     * Removes CAP_SYS_ADMIN from the calling thread's effective and permitted sets
     * ({@code capget}/{@code capset(2)} act on one thread: the rest of the JVM keeps it). What a
     * daemon started without {@code AmbientCapabilities=CAP_SYS_ADMIN} has.
     */
    static void dropSysAdminOnThisThread() {
        Linker linker = Linker.nativeLinker();
        MethodHandle capget = linker.downcallHandle(linker.defaultLookup().find("capget").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle capset = linker.downcallHandle(linker.defaultLookup().find("capset").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8); // struct __user_cap_header_struct {u32 version; int pid}
            header.set(JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0); // 0 = the calling thread
            MemorySegment data = arena.allocate(24); // 2 x {u32 effective, permitted, inheritable}
            if ((int) capget.invokeExact(header, data) != 0) {
                throw new IllegalStateException("capget failed");
            }
            int bit = ~(1 << CAP_SYS_ADMIN); // capability 21 is in the first (low) word
            data.set(JAVA_INT, 0, data.get(JAVA_INT, 0) & bit);
            data.set(JAVA_INT, 4, data.get(JAVA_INT, 4) & bit);
            if ((int) capset.invokeExact(header, data) != 0) {
                throw new IllegalStateException("capset failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
