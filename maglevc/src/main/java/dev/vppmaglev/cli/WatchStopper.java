package dev.vppmaglev.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How an operator stops {@code watch events}: Ctrl-C (SIGINT) in one-shot mode, any key or
 * Ctrl-C in the shell.
 */
interface WatchStopper {

    /**
     * Starts listening for the operator's stop while events stream.
     *
     * @param stop cancels the stream; may be called from any thread, at most once
     * @return closes the listener once the stream has ended and its output is flushed
     */
    Armed arm(Runnable stop);

    /** The exit status after the operator stopped the stream. */
    int stoppedStatus();

    /** Stops listening; never throws. */
    interface Armed extends AutoCloseable {
        @Override
        void close();
    }

    /** Nothing stops the stream but {@code num <n>} or its end (tests, scripts on stdin). */
    WatchStopper NONE = new WatchStopper() {
        @Override
        public Armed arm(Runnable stop) {
            return () -> {};
        }

        @Override
        public int stoppedStatus() {
            return ExitStatus.OK;
        }
    };

    /**
     * One-shot mode: SIGINT starts the JVM's shutdown; a shutdown hook cancels the stream and
     * waits (up to 2 s) until the watch loop has flushed what it printed, so the process ends
     * cleanly with status 130 and no stack trace.
     */
    WatchStopper SIGINT = new WatchStopper() {
        @Override
        public Armed arm(Runnable stop) {
            CountDownLatch flushed = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.run();
                try {
                    flushed.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "maglevc-sigint");
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                flushed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it returns now that the output is flushed
                }
            };
        }

        @Override
        public int stoppedStatus() {
            return ExitStatus.INTERRUPTED;
        }
    };
}
