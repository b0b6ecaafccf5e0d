package dev.vppmaglev.health;

import static dev.vppmaglev.health.Fixtures.backend;
import static dev.vppmaglev.health.Fixtures.check;
import static dev.vppmaglev.health.Fixtures.config;
import static dev.vppmaglev.health.Fixtures.fixedRandom;
import static dev.vppmaglev.health.Fixtures.frontend;
import static dev.vppmaglev.health.Fixtures.ip;
import static dev.vppmaglev.health.Fixtures.member;
import static dev.vppmaglev.health.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The checker on virtual time with a scripted prober. Jitter factor is fixed at 1.0 (random 0.5),
 * so intervals are exact and the first probe comes half a fast interval after start.
 */
class CheckerTest {
    // interval 2 s, fast 1 s, down 5 s, rise 2, fall 3 (max 4)
    static final HealthCheck WEB = check("web", CheckType.HTTP).port(80)
            .intervals(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5)).build();
    static final Frontend FE_WEB = frontend("web", pool("primary", member("a"), member("b", 50)),
            pool("fallback", member("c")));
    static final Frontend FE_API = frontend("api", pool("p", member("b")));

    static Config base() {
        return config(List.of(WEB),
                List.of(backend("a", "10.0.0.1", "web"), backend("b", "10.0.0.2", "web"), backend("c", "10.0.0.3", "web")),
                List.of(FE_WEB, FE_API));
    }

    ManualScheduler time;
    ScriptedProber prober;
    Checker checker;
    RecordingListener events;
    Instant start;

    @BeforeEach
    void setUp() {
        time = new ManualScheduler();
        prober = new ScriptedProber(time);
        checker = new Checker(prober, time, time, fixedRandom(0.5));
        events = new RecordingListener();
        checker.addListener(events);
        start = time.instant();
    }

    @AfterEach
    void tearDown() {
        checker.close();
    }

    /** Starts the base config and lets the first probes (all passing) run: every backend up. */
    void startAllUp() {
        checker.apply(base());
        time.advance(Duration.ofMillis(500));
        assertThat(checker.backendStates()).containsExactly(
                Map.entry("a", BackendState.UP), Map.entry("b", BackendState.UP), Map.entry("c", BackendState.UP));
        events.drain();
    }

    double secondsNow() {
        return Duration.between(start, time.instant()).toMillis() / 1000.0;
    }

    @Nested
    class Probing {
        @Test
        void startupTransitionsArriveInCausalOrder() {
            checker.apply(base());
            assertThat(events.drain()).containsExactly("config");
            assertThat(checker.state("a")).isEqualTo(BackendState.UNKNOWN);
            assertThat(checker.frontendStates()).containsExactly(
                    Map.entry("web", FrontendState.UNKNOWN), Map.entry("api", FrontendState.UNKNOWN));
            assertThat(time.pendingDelays()).as("first probes spread over the fast interval")
                    .containsExactly(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500));

            time.advance(Duration.ofMillis(500));
            assertThat(events.drain()).containsExactly(
                    "probe a L7OK", "backend a unknown->up L7OK", "frontend web unknown->up",
                    "probe b L7OK", "backend b unknown->up L7OK", "frontend api unknown->up",
                    "probe c L7OK", "backend c unknown->up L7OK");
            BackendStatus a = checker.status("a");
            assertThat(a.counter()).isEqualTo(4); // expedited rise-1, one pass: up, so the counter jumps to max
            assertThat(a.healthMax()).isEqualTo(4);
            assertThat(a.lastResult()).isEqualTo(ScriptedProber.PASS);
            assertThat(a.lastProbeAt()).isEqualTo(start.plusMillis(500));
            assertThat(a.lastTransitionAt()).isEqualTo(start.plusMillis(500));
            assertThat(a.frontends()).containsExactly("web");
            assertThat(checker.status("b").frontends()).containsExactly("web", "api");
        }

        @Test
        void failureWhileUnknownIsDownAtOnce() {
            prober.healthy("10.0.0.1", false);
            checker.apply(base());
            time.advance(Duration.ofMillis(500));
            assertThat(checker.state("a")).isEqualTo(BackendState.DOWN);
            assertThat(checker.status("a").counter()).isZero();
            assertThat(checker.status("a").transitions()).extracting(BackendTransition::code, BackendTransition::detail)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ResultCodes.L4CON, "connection refused"));
        }

        @Test
        void fallTakesFallFailuresAndIntervalsFollowTheCounter() {
            startAllUp(); // a up at t=0.5, counter at max (4): the normal interval
            time.advance(Duration.ofMillis(2500)); // t=3.0: a pass at 2.5 (4)
            assertThat(checker.status("a").counter()).isEqualTo(4);
            prober.healthy("10.0.0.1", false);
            time.advance(Duration.ofSeconds(10)); // to t=13
            // 4.5 (3), 5.5 (2), 6.5 (1: down, jumps to 0), then the down interval: 11.5
            assertThat(prober.callTimes("10.0.0.1", start)).containsExactly(0.5, 2.5, 4.5, 5.5, 6.5, 11.5);
            BackendStatus a = checker.status("a");
            assertThat(a.state()).isEqualTo(BackendState.DOWN);
            assertThat(a.counter()).isZero();
            assertThat(a.lastTransitionAt()).isEqualTo(start.plusMillis(6500));
            assertThat(events.transitions()).containsExactly("backend a up->down L4CON"); // web keeps b: still up

            prober.healthy("10.0.0.1", true); // back: rise passes from 0, at the fast interval once off 0
            time.advance(Duration.ofSeconds(10)); // 16.5 (1), 17.5 (2: up, jumps to 4), then every 2 s
            assertThat(prober.callTimes("10.0.0.1", start)).endsWith(11.5, 16.5, 17.5, 19.5, 21.5);
            assertThat(checker.status("a").lastTransitionAt()).isEqualTo(start.plusMillis(17500));
        }

        @Test
        void noFlappingInsideTheBand() {
            startAllUp();
            time.advance(Duration.ofMillis(2500)); // a at max
            for (int i = 0; i < 6; i++) {
                prober.healthy("10.0.0.1", i % 2 == 1);
                time.advance(Duration.ofSeconds(2));
            }
            assertThat(checker.state("a")).isEqualTo(BackendState.UP);
            assertThat(events.transitions()).isEmpty();
        }

        @Test
        void poolFailoverAndFrontendTransitionsFollowTheirBackendTransition() {
            startAllUp();
            prober.healthy("10.0.0.1", false);
            prober.healthy("10.0.0.2", false);
            time.advance(Duration.ofSeconds(4)); // t=4.5: a and b fall from counter 2 after one failure
            assertThat(events.transitions()).containsExactly(
                    "backend a up->down L4CON",
                    "backend b up->down L4CON", "frontend api up->down");
            assertThat(checker.effectiveWeights("web")).extracting(m -> m.backend() + "=" + m.effective().weight())
                    .containsExactly("a=0", "b=0", "c=100"); // failed over
            events.drain();
            prober.healthy("10.0.0.3", false);
            time.advance(Duration.ofSeconds(10));
            assertThat(events.transitions()).containsExactly("backend c up->down L4CON", "frontend web up->down");
            assertThat(checker.frontendState("web")).isEqualTo(FrontendState.DOWN);
        }

        @Test
        void historyKeepsTheLastTransitionHistoryOldestFirst() {
            checker.apply(config(2, List.of(WEB), List.of(backend("a", "10.0.0.1", "web")), List.of()));
            for (int i = 0; i < 4; i++) {
                prober.healthy("10.0.0.1", i % 2 == 1); // down, up, down, up
                time.advance(Duration.ofSeconds(20));
            }
            assertThat(events.backendTransitions).hasSize(4);
            assertThat(checker.status("a").transitions()).extracting(t -> t.from() + "->" + t.to())
                    .containsExactly("UP->DOWN", "DOWN->UP");
        }

        @Test
        void oneWorkerPerBackendHoweverManyFrontendsUseIt() {
            Config c = config(List.of(WEB), List.of(backend("shared", "10.0.0.9", "web")), List.of(
                    frontend("f1", pool("p", member("shared"))), frontend("f2", pool("p", member("shared", 10))),
                    frontend("f3", pool("x", member("shared")), pool("y", member("shared")))));
            checker.apply(c);
            assertThat(time.pending()).isEqualTo(1);
            time.advance(Duration.ofSeconds(10));
            // 0.5 (up, counter at max), then every 2 s: 2.5, 4.5, 6.5, 8.5
            assertThat(prober.callTimes("10.0.0.9", start)).containsExactly(0.5, 2.5, 4.5, 6.5, 8.5);
            assertThat(checker.status("shared").frontends()).containsExactly("f1", "f2", "f3");
            assertThat(events.transitions()).containsExactly("config", "backend shared unknown->up L7OK",
                    "frontend f1 unknown->up", "frontend f2 unknown->up", "frontend f3 unknown->up");
        }

        @Test
        void aHangingProbeDoesNotStallOtherBackends() {
            prober.hold("10.0.0.1", true);
            checker.apply(base());
            time.advance(Duration.ofSeconds(10));
            assertThat(prober.callsTo("10.0.0.1")).hasSize(1); // still in flight
            assertThat(prober.callsTo("10.0.0.2")).hasSize(5); // 0.5, 2.5, 4.5, 6.5, 8.5
            assertThat(checker.state("a")).isEqualTo(BackendState.UNKNOWN);
            prober.callsTo("10.0.0.1").getFirst().future().complete(ScriptedProber.PASS);
            assertThat(checker.state("a")).isEqualTo(BackendState.UP);
        }

        @Test
        void aProberThatThrowsCountsAsAFailureAndTheLoopGoesOn() {
            Checker broken = new Checker((check, target) -> {
                throw new IllegalStateException("boom");
            }, time, time, fixedRandom(0.5));
            try {
                broken.apply(config(List.of(WEB), List.of(backend("a", "10.0.0.1", "web")), List.of()));
                time.advance(Duration.ofSeconds(3));
                BackendStatus a = broken.status("a");
                assertThat(a.state()).isEqualTo(BackendState.DOWN);
                assertThat(a.lastResult().code()).isEqualTo(ResultCodes.L4CON);
                assertThat(a.lastResult().detail()).isEqualTo("probe error: java.lang.IllegalStateException: boom");
                assertThat(time.pending()).isEqualTo(1);
            } finally {
                broken.close();
            }
        }
    }

    @Nested
    class ProbeLoopRobustness {
        @Test
        void hugeTimeoutsAndIntervalsBuiltInCodeDoNotStopTheLoop() {
            // The loader bounds timeout at 1h; a config built in code is not bounded. Go's
            // maximum duration, and one far beyond what fits in nanoseconds.
            HealthCheck goMax = check("go-max", CheckType.HTTP).port(80).interval(Duration.ofSeconds(1))
                    .timeout(Duration.ofNanos(Long.MAX_VALUE)).build();
            HealthCheck beyond = check("beyond", CheckType.HTTP).port(80).interval(Duration.ofSeconds(1))
                    .timeout(Duration.ofSeconds(Long.MAX_VALUE)).build();
            HealthCheck slow = check("slow", CheckType.HTTP).port(80)
                    .intervals(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(Long.MAX_VALUE / 2))
                    .build();
            prober.healthy("10.0.0.3", false);
            checker.apply(config(List.of(goMax, beyond, slow), List.of(backend("a", "10.0.0.1", "go-max"),
                    backend("b", "10.0.0.2", "beyond"), backend("c", "10.0.0.3", "slow")), List.of()));
            time.advance(Duration.ofSeconds(10));
            assertThat(prober.callsTo("10.0.0.1")).hasSize(10); // 0.5, 1.5, ... 9.5
            assertThat(prober.callsTo("10.0.0.2")).hasSize(10);
            assertThat(checker.state("a")).isEqualTo(BackendState.UP);
            assertThat(checker.state("b")).isEqualTo(BackendState.UP);
            // c failed at once and went fully down: its next probe is ~146 billion years out.
            assertThat(prober.callsTo("10.0.0.3")).hasSize(1);
            assertThat(checker.state("c")).isEqualTo(BackendState.DOWN);
            assertThat(time.pendingDelays()).hasSize(3).last()
                    .isEqualTo(Duration.ofNanos(Long.MAX_VALUE).minus(time.elapsed()));
            assertThat(Checker.probeLimitNanos(beyond)).isEqualTo(Long.MAX_VALUE);
            assertThat(Checker.probeLimitNanos(WEB)).isEqualTo(Duration.ofSeconds(10).toNanos());
        }

        @Test
        void anExceptionStartingAProbeIsLoggedAndTheLoopGoesOn() {
            // A prober whose future breaks when the checker arms its timeout: the start of the
            // probe throws inside the timer task.
            boolean[] broken = {true};
            Prober prober = (check, target) -> broken[0] ? new CompletableFuture<>() {
                @Override
                public CompletableFuture<ProbeResult> orTimeout(long timeout, java.util.concurrent.TimeUnit unit) {
                    throw new IllegalStateException("no timeouts today");
                }
            } : CompletableFuture.completedFuture(ScriptedProber.PASS);
            Checker c = new Checker(prober, time, time, fixedRandom(0.5));
            try (LogCapture logs = new LogCapture(Checker.class)) {
                c.apply(config(List.of(WEB), List.of(backend("a", "10.0.0.1", "web")), List.of()));
                time.advance(Duration.ofMillis(500));
                assertThat(logs.events("probe-schedule-error")).singleElement().satisfies(e -> {
                    assertThat(e.level()).isEqualTo("ERROR");
                    assertThat(e.keys()).containsEntry("backend", "a")
                            .containsEntry("error", "java.lang.IllegalStateException: no timeouts today");
                });
                assertThat(time.pendingDelays()).containsExactly(Checker.SCHEDULE_ERROR_RETRY);
                time.advance(Checker.SCHEDULE_ERROR_RETRY);
                assertThat(logs.events("probe-schedule-error")).hasSize(2);
                broken[0] = false;
                time.advance(Checker.SCHEDULE_ERROR_RETRY);
                assertThat(c.state("a")).isEqualTo(BackendState.UP);
                assertThat(logs.events("probe-schedule-error")).hasSize(2);
                assertThat(time.pendingDelays()).containsExactly(WEB.interval());
            } finally {
                c.close();
            }
        }
    }

    @Nested
    class OperatorActions {
        @Test
        void pauseStopsProbingAndDrains() {
            startAllUp();
            BackendStatus s = checker.pause("b");
            assertThat(s.state()).isEqualTo(BackendState.PAUSED);
            assertThat(s.lastResult().code()).isEqualTo(ResultCodes.PAUSED);
            assertThat(events.drain()).containsExactly("backend b up->paused paused", "frontend api up->down");
            assertThat(checker.effectiveWeights("web").get(1).effective()).isEqualTo(AsWeight.DRAIN);
            int calls = prober.callsTo("10.0.0.2").size();
            time.advance(Duration.ofSeconds(30));
            assertThat(prober.callsTo("10.0.0.2")).hasSize(calls);
            // idempotent
            assertThat(checker.pause("b").state()).isEqualTo(BackendState.PAUSED);
            assertThat(events.transitions()).isEmpty();
        }

        @Test
        void resumeReentersUnknownWithThePresetAndKeepsHistory() {
            startAllUp();
            checker.pause("b");
            time.advance(Duration.ofSeconds(5));
            events.drain();
            BackendStatus s = checker.resume("b");
            assertThat(s.state()).isEqualTo(BackendState.UNKNOWN);
            assertThat(s.counter()).isEqualTo(1);
            assertThat(s.transitions()).extracting(BackendTransition::code)
                    .containsExactly(ResultCodes.L7OK, ResultCodes.PAUSED, ResultCodes.RESUMED);
            // api's only backend is unknown again, so api is unknown again (behaviour.md §4.3)
            assertThat(events.drain()).containsExactly("backend b paused->unknown resumed", "frontend api down->unknown");
            time.advance(Duration.ofMillis(500));
            assertThat(events.drain()).containsExactly("probe b L7OK", "backend b unknown->up L7OK",
                    "frontend api unknown->up");
            // resuming a backend that is not paused changes nothing
            checker.resume("b");
            assertThat(events.drain()).isEmpty();
        }

        @Test
        void disableFlushesAndIsIdempotentOnTheState() {
            startAllUp();
            BackendStatus s = checker.disable("a");
            assertThat(s.state()).isEqualTo(BackendState.DISABLED);
            assertThat(s.enabled()).isFalse();
            assertThat(s.lastResult().code()).isEqualTo(ResultCodes.DISABLED);
            assertThat(checker.effectiveWeights("web").getFirst().effective()).isEqualTo(AsWeight.FLUSH);
            assertThat(events.drain()).containsExactly("backend a up->disabled disabled");
            int calls = prober.callsTo("10.0.0.1").size();
            time.advance(Duration.ofSeconds(30));
            assertThat(prober.callsTo("10.0.0.1")).hasSize(calls);

            assertThat(checker.disable("a").enabled()).isFalse();
            assertThat(events.transitions()).isEmpty();
        }

        @Test
        void enableRestartsOnlyADisabledBackend() {
            startAllUp();
            assertThat(checker.enable("a").state()).isEqualTo(BackendState.UP); // not disabled: flag only
            assertThat(events.drain()).isEmpty();

            checker.disable("a");
            events.drain();
            BackendStatus s = checker.enable("a");
            assertThat(s.state()).isEqualTo(BackendState.UNKNOWN);
            assertThat(s.enabled()).isTrue();
            assertThat(s.counter()).isEqualTo(1);
            assertThat(events.drain()).containsExactly("backend a disabled->unknown enabled");
            time.advance(Duration.ofMillis(500));
            assertThat(checker.state("a")).isEqualTo(BackendState.UP);
        }

        @Test
        void pauseAndResumeAreRefusedOnADisabledBackend() {
            startAllUp();
            checker.disable("c");
            assertThatThrownBy(() -> checker.pause("c")).isInstanceOf(RefusedTransitionException.class)
                    .hasMessage("cannot pause backend \"c\": it is disabled (enable it first)")
                    .extracting(e -> ((RefusedTransitionException) e).state()).isEqualTo(BackendState.DISABLED);
            assertThatThrownBy(() -> checker.resume("c")).isInstanceOf(RefusedTransitionException.class)
                    .hasMessage("cannot resume backend \"c\": it is disabled (enable it first)");
            assertThat(checker.state("c")).isEqualTo(BackendState.DISABLED);
        }

        @Test
        void disableAPausedBackendThenEnable() {
            startAllUp();
            checker.pause("a");
            checker.disable("a");
            assertThat(checker.enable("a").state()).isEqualTo(BackendState.UNKNOWN);
            assertThat(events.transitions()).containsExactly("backend a up->paused paused",
                    "backend a paused->disabled disabled", "backend a disabled->unknown enabled");
        }

        @Test
        void unknownNames() {
            startAllUp();
            assertThatThrownBy(() -> checker.pause("nope")).isInstanceOf(UnknownNameException.class)
                    .hasMessage("no backend named \"nope\"");
            assertThatThrownBy(() -> checker.status("nope")).isInstanceOf(UnknownNameException.class);
            assertThatThrownBy(() -> checker.enable("nope")).isInstanceOf(UnknownNameException.class);
            assertThatThrownBy(() -> checker.frontendState("nope")).isInstanceOf(UnknownNameException.class)
                    .hasMessage("no frontend named \"nope\"");
        }

        @Test
        void lateResultsAreIgnored() {
            startAllUp();
            prober.hold("10.0.0.1", true);
            time.advance(Duration.ofSeconds(2)); // a's probe at 2.5 is in flight
            ScriptedProber.Call inFlight = prober.callsTo("10.0.0.1").getLast();
            assertThat(inFlight.future()).isNotDone();
            checker.pause("a");
            events.drain();
            inFlight.future().complete(ScriptedProber.FAIL);
            assertThat(checker.status("a").lastResult().code()).isEqualTo(ResultCodes.PAUSED);
            assertThat(events.drain()).isEmpty();

            // pause + resume: the old probe's epoch is gone even though the state probes again
            prober.hold("10.0.0.2", true);
            time.advance(Duration.ofSeconds(2)); // b's probe at 4.5 is in flight
            ScriptedProber.Call old = prober.callsTo("10.0.0.2").getLast();
            assertThat(old.future()).isNotDone();
            checker.pause("b");
            checker.resume("b");
            events.drain();
            old.future().complete(ScriptedProber.FAIL);
            assertThat(checker.state("b")).isEqualTo(BackendState.UNKNOWN);
            assertThat(events.drain()).isEmpty();
        }
    }

    @Nested
    class Reloads {
        @Test
        void unchangedCheckKeepsStateHistoryAndOperatorState() {
            startAllUp();
            time.advance(Duration.ofSeconds(3)); // a at max
            checker.disable("b");
            checker.pause("c");
            BackendStatus aBefore = checker.status("a");
            events.drain();

            // an equal config built again, with the check renamed (same probe)
            HealthCheck renamed = check("web-renamed", CheckType.HTTP).port(80)
                    .intervals(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5)).build();
            checker.apply(config(List.of(renamed), List.of(backend("a", "10.0.0.1", "web-renamed"),
                    backend("b", "10.0.0.2", "web-renamed"), backend("c", "10.0.0.3", "web-renamed")),
                    List.of(FE_WEB, FE_API)));
            assertThat(events.drain()).containsExactly("config");
            BackendStatus a = checker.status("a");
            assertThat(a.state()).isEqualTo(BackendState.UP);
            assertThat(a.counter()).isEqualTo(aBefore.counter());
            assertThat(a.transitions()).isEqualTo(aBefore.transitions());
            assertThat(a.healthcheck()).isEqualTo("web-renamed");
            assertThat(checker.status("b").state()).isEqualTo(BackendState.DISABLED);
            assertThat(checker.status("b").enabled()).isFalse();
            assertThat(checker.status("c").state()).isEqualTo(BackendState.PAUSED);
            int callsB = prober.callsTo("10.0.0.2").size();
            time.advance(Duration.ofSeconds(10));
            assertThat(prober.callsTo("10.0.0.2")).hasSize(callsB);
        }

        @Test
        void aChangedCheckKeepsStateAndHistoryAndTheNewCheckDecidesPromptly() {
            prober.healthy("10.0.0.3", false);
            checker.apply(base());
            time.advance(Duration.ofSeconds(3)); // a, b fully up; c down
            assertThat(checker.backendStates()).containsExactly(Map.entry("a", BackendState.UP),
                    Map.entry("b", BackendState.UP), Map.entry("c", BackendState.DOWN));
            Map<String, FrontendState> frontendsBefore = checker.frontendStates();
            List<BackendTransition> historyA = checker.status("a").transitions();
            List<BackendTransition> historyC = checker.status("c").transitions();
            events.drain();

            // A timeout tweak (and a slower fast interval): a different probe, same backends.
            HealthCheck tweaked = check("web", CheckType.HTTP).port(80).timeout(Duration.ofSeconds(3))
                    .intervals(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5)).build();
            try (LogCapture logs = new LogCapture(Checker.class)) {
                checker.apply(config(List.of(tweaked), List.of(backend("a", "10.0.0.1", "web"),
                        backend("b", "10.0.0.2", "web"), backend("c", "10.0.0.3", "web")), List.of(FE_WEB, FE_API)));
                assertThat(events.drain()).as("no transition, so no weight-0 gap").containsExactly("config");
                assertThat(logs.events("backend-check-changed")).extracting(e -> e.keys().get("backend") + " "
                        + e.keys().get("state") + " " + e.level()).containsExactly("a up INFO", "b up INFO", "c down INFO");
            }
            assertThat(checker.frontendStates()).isEqualTo(frontendsBefore);
            BackendStatus a = checker.status("a");
            assertThat(a.state()).isEqualTo(BackendState.UP);
            assertThat(a.counter()).as("up at rise: one failure takes it down").isEqualTo(2);
            assertThat(a.transitions()).isEqualTo(historyA);
            BackendStatus c = checker.status("c");
            assertThat(c.state()).isEqualTo(BackendState.DOWN);
            assertThat(c.counter()).as("down at rise-1: one pass brings it up").isEqualTo(1);
            assertThat(c.transitions()).isEqualTo(historyC);
            // Prompt: within a second, not a random fast interval (10 s here, 5 s at this random).
            assertThat(time.pendingDelays()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500),
                    Duration.ofMillis(500));

            // The first probe of the new check decides.
            prober.healthy("10.0.0.1", false);
            prober.healthy("10.0.0.3", true);
            time.advance(Duration.ofMillis(500));
            assertThat(prober.callsTo("10.0.0.1").getLast().check().timeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(checker.state("a")).isEqualTo(BackendState.DOWN);
            assertThat(checker.state("b")).isEqualTo(BackendState.UP);
            assertThat(checker.state("c")).isEqualTo(BackendState.UP);
            assertThat(events.transitions()).containsExactly("backend a up->down L4CON", "backend c down->up L7OK");
        }

        @Test
        void aChangedCheckKeepsAPauseAndTheFilesEnabledIsAuthoritative() {
            startAllUp();
            checker.pause("a");
            checker.disable("b");
            events.drain();
            HealthCheck web2 = check("web", CheckType.HTTP).port(8080).riseFall(3, 2)
                    .intervals(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5)).build();
            Config c = config(List.of(web2), List.of(backend("a", "10.0.0.1", "web"), backend("b", "10.0.0.2", "web"),
                    backend("c", "10.0.0.3", "web", false)), List.of(FE_WEB, FE_API));
            checker.apply(c);
            assertThat(events.drain()).containsExactly(
                    "backend b disabled->unknown enabled", // runtime disable gives way to the file's enabled
                    "backend c up->disabled disabled",
                    "frontend web up->down", "frontend api down->unknown",
                    "config");
            BackendStatus a = checker.status("a");
            assertThat(a.state()).isEqualTo(BackendState.PAUSED);
            assertThat(a.rise()).isEqualTo(3);
            assertThat(checker.status("b").enabled()).isTrue();
            assertThat(checker.status("c").enabled()).isFalse();
            int callsA = prober.callsTo("10.0.0.1").size();
            time.advance(Duration.ofMillis(500));
            assertThat(prober.callsTo("10.0.0.1")).as("still paused").hasSize(callsA);
            assertThat(prober.callsTo("10.0.0.2").getLast().check().port()).isEqualTo(8080);
            assertThat(checker.state("b")).isEqualTo(BackendState.UP);
            checker.resume("a");
            time.advance(Duration.ofMillis(500));
            assertThat(prober.callsTo("10.0.0.1").getLast().check().port()).isEqualTo(8080);
            assertThat(checker.state("a")).isEqualTo(BackendState.UP);
        }

        @Test
        void removedBackendTransitionsToRemovedThenIsDropped() {
            startAllUp();
            prober.hold("10.0.0.3", true);
            time.advance(Duration.ofSeconds(1)); // c's probe in flight
            ScriptedProber.Call inFlight = prober.callsTo("10.0.0.3").getLast();
            List<BackendState> seenDuringEvent = new ArrayList<>();
            checker.addListener(new HealthListener() {
                @Override
                public void onBackendTransition(BackendTransition t) {
                    seenDuringEvent.add(checker.state(t.backend()));
                }
            });
            events.drain();
            Config c = config(List.of(WEB), List.of(backend("a", "10.0.0.1", "web"), backend("b", "10.0.0.2", "web")),
                    List.of(frontend("web", pool("primary", member("a"), member("b", 50))), FE_API));
            checker.apply(c);
            assertThat(events.drain()).containsExactly("backend c up->removed removed", "config");
            assertThat(seenDuringEvent).containsExactly(BackendState.REMOVED);
            assertThatThrownBy(() -> checker.status("c")).isInstanceOf(UnknownNameException.class);
            assertThat(checker.statuses()).extracting(BackendStatus::name).containsExactly("a", "b");
            inFlight.future().complete(ScriptedProber.FAIL);
            assertThat(events.drain()).isEmpty();
        }

        @Test
        void anAddressChangeKeepsTheStateAndIgnoresAProbeStillInFlightToTheOldAddress() {
            startAllUp(); // a at max after its first pass at 0.5 s
            prober.hold("10.0.0.1", true);
            time.advance(Duration.ofSeconds(2)); // a's probe at 2.5 s is in flight to 10.0.0.1
            ScriptedProber.Call toOld = prober.callsTo("10.0.0.1").getLast();
            assertThat(toOld.future()).isNotDone();
            events.drain();
            Config c = config(List.of(WEB), List.of(backend("a", "10.0.0.11", "web"), backend("b", "10.0.0.2", "web"),
                    backend("c", "10.0.0.3", "web")), List.of(FE_WEB, FE_API));
            try (LogCapture logs = new LogCapture(Checker.class)) {
                checker.apply(c);
                assertThat(logs.events("backend-address-changed")).singleElement().satisfies(e -> {
                    assertThat(e.level()).isEqualTo("INFO");
                    assertThat(e.keys()).containsEntry("backend", "a").containsEntry("from", "10.0.0.1")
                            .containsEntry("to", "10.0.0.11").containsEntry("state", "up");
                });
            }
            assertThat(events.drain()).containsExactly("config");
            BackendStatus a = checker.status("a");
            assertThat(a.address()).isEqualTo(ip("10.0.0.11"));
            assertThat(a.state()).isEqualTo(BackendState.UP);
            assertThat(a.counter()).as("up at rise").isEqualTo(2);

            // The old address's answer arrives: it belongs to the old epoch and is ignored.
            toOld.future().complete(ScriptedProber.FAIL);
            assertThat(events.drain()).isEmpty();
            assertThat(checker.status("a").lastResult()).isEqualTo(ScriptedProber.PASS);
            assertThat(checker.state("a")).isEqualTo(BackendState.UP);

            // The new address is probed promptly and its first answer decides.
            prober.healthy("10.0.0.11", false);
            time.advance(Duration.ofMillis(500));
            assertThat(prober.callsTo("10.0.0.11")).hasSize(1);
            assertThat(checker.state("a")).isEqualTo(BackendState.DOWN);
            assertThat(prober.callsTo("10.0.0.1")).hasSize(2); // only the probes before the reload
        }

        @Test
        void anAddressChangeOfAPausedBackendIsUsedOnResume() {
            startAllUp();
            checker.pause("a");
            checker.apply(config(List.of(WEB), List.of(backend("a", "10.0.0.11", "web"), backend("b", "10.0.0.2", "web"),
                    backend("c", "10.0.0.3", "web")), List.of(FE_WEB, FE_API)));
            assertThat(checker.state("a")).isEqualTo(BackendState.PAUSED);
            time.advance(Duration.ofSeconds(5));
            assertThat(prober.callsTo("10.0.0.11")).isEmpty();
            checker.resume("a");
            time.advance(Duration.ofMillis(500));
            assertThat(prober.callsTo("10.0.0.11")).hasSize(1);
            assertThat(checker.state("a")).isEqualTo(BackendState.UP);
        }

        @Test
        void newBackendsStartUnknownOrDisabled() {
            startAllUp();
            Config c = config(List.of(WEB), List.of(backend("a", "10.0.0.1", "web"), backend("b", "10.0.0.2", "web"),
                    backend("c", "10.0.0.3", "web"), backend("d", "10.0.0.4", "web"),
                    backend("e", "10.0.0.5", "web", false)),
                    List.of(FE_WEB, FE_API, frontend("new", pool("p", member("d"))),
                            frontend("off", pool("p", member("e")))));
            checker.apply(c);
            assertThat(events.drain()).containsExactly("backend e unknown->disabled disabled",
                    "frontend off unknown->down", "config");
            assertThat(checker.state("d")).isEqualTo(BackendState.UNKNOWN);
            assertThat(checker.frontendStates()).containsExactly(Map.entry("web", FrontendState.UP),
                    Map.entry("api", FrontendState.UP), Map.entry("new", FrontendState.UNKNOWN),
                    Map.entry("off", FrontendState.DOWN));
            time.advance(Duration.ofMillis(500));
            assertThat(checker.state("d")).isEqualTo(BackendState.UP);
            assertThat(prober.callsTo("10.0.0.5")).isEmpty();
        }

        @Test
        void aYamlEnabledEditIsApplied() {
            startAllUp();
            checker.apply(config(List.of(WEB), List.of(backend("a", "10.0.0.1", "web", false),
                    backend("b", "10.0.0.2", "web"), backend("c", "10.0.0.3", "web")), List.of(FE_WEB, FE_API)));
            assertThat(checker.state("a")).isEqualTo(BackendState.DISABLED);
            checker.apply(base());
            assertThat(checker.state("a")).isEqualTo(BackendState.UNKNOWN);
            assertThat(events.transitions()).containsExactly("backend a up->disabled disabled", "config",
                    "backend a disabled->unknown enabled", "config");
        }

        @Test
        void historyIsTrimmedWhenTransitionHistoryShrinks() {
            startAllUp();
            checker.pause("a");
            checker.resume("a");
            assertThat(checker.status("a").transitions()).hasSize(3);
            checker.apply(config(1, List.of(WEB), List.of(backend("a", "10.0.0.1", "web"),
                    backend("b", "10.0.0.2", "web"), backend("c", "10.0.0.3", "web")), List.of(FE_WEB, FE_API)));
            assertThat(checker.status("a").transitions()).extracting(BackendTransition::code)
                    .containsExactly(ResultCodes.RESUMED);
        }

        @Test
        void referencesAreChecked() {
            assertThatThrownBy(() -> checker.apply(config(List.of(WEB), List.of(backend("a", "10.0.0.1", "nope")),
                    List.of()))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("backend \"a\" references unknown health check \"nope\"");
            assertThatThrownBy(() -> checker.apply(config(List.of(WEB), List.of(),
                    List.of(frontend("f", pool("p", member("ghost"))))))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("frontend \"f\" references unknown backend \"ghost\"");
        }
    }

    @Nested
    class Weights {
        @Test
        void setWeightChangesTheLiveConfigAndFrontendState() {
            startAllUp();
            checker.disable("c");
            events.drain();
            Frontend f = checker.setWeight("api", "p", "b", 0);
            assertThat(f.pool("p").member("b").weight()).isZero();
            assertThat(checker.config().frontends().get("api").pool("p").member("b").weight()).isZero();
            assertThat(events.drain()).containsExactly("frontend api up->down", "weight api/p/b=0");
            assertThat(checker.frontendState("api")).isEqualTo(FrontendState.DOWN);

            checker.setWeight("api", "p", "b", 30);
            assertThat(checker.effectiveWeights("api").getFirst().effective()).isEqualTo(new AsWeight(30, false));
            assertThat(events.drain()).containsExactly("frontend api down->up", "weight api/p/b=30");
        }

        int weight(String frontend, String pool, String backend) {
            return checker.config().frontends().get(frontend).pool(pool).member(backend).weight();
        }

        @Test
        void aRuntimeWeightSurvivesAReloadThatKeepsTheMembersFileWeight() {
            startAllUp();
            checker.setWeight("web", "primary", "b", 10);
            checker.setWeight("api", "p", "b", 0);
            assertThat(checker.frontendState("api")).isEqualTo(FrontendState.DOWN);
            List<Config> applied = new ArrayList<>();
            checker.addListener(new HealthListener() {
                @Override
                public void onConfigApplied(Config c) {
                    applied.add(c);
                }
            });
            events.drain();
            try (LogCapture logs = new LogCapture(Checker.class)) {
                checker.apply(base());
                assertThat(logs.events("frontend-weight-override-dropped")).isEmpty();
            }
            assertThat(events.drain()).as("nothing moved").containsExactly("config");
            assertThat(weight("web", "primary", "b")).isEqualTo(10);
            assertThat(weight("api", "p", "b")).isZero();
            assertThat(weight("web", "primary", "a")).isEqualTo(100);
            assertThat(checker.frontendState("api")).isEqualTo(FrontendState.DOWN);
            assertThat(applied).singleElement().as("listeners get the live config")
                    .satisfies(c -> assertThat(c.frontends().get("api").pool("p").member("b").weight()).isZero());
            assertThat(checker.effectiveWeights("web")).filteredOn(m -> m.backend().equals("b"))
                    .extracting(MemberWeight::effective).containsExactly(new AsWeight(10, false));
        }

        @Test
        void aReloadThatEditsTheMembersWeightOrRemovesTheMemberDropsTheRuntimeWeight() {
            startAllUp();
            checker.setWeight("web", "primary", "b", 10);  // the file will change b's weight 50 -> 60
            checker.setWeight("web", "fallback", "c", 30); // the file will rename the pool
            checker.setWeight("api", "p", "b", 0);         // untouched by the file
            Frontend web = frontend("web", pool("primary", member("a"), member("b", 60)), pool("backup", member("c")));
            try (LogCapture logs = new LogCapture(Checker.class)) {
                checker.apply(config(List.of(WEB), List.of(backend("a", "10.0.0.1", "web"),
                        backend("b", "10.0.0.2", "web"), backend("c", "10.0.0.3", "web")), List.of(web, FE_API)));
                assertThat(logs.events("frontend-weight-override-dropped")).extracting(LogCapture.Event::keys)
                        .containsExactly(
                                Map.of("frontend", "web", "pool", "primary", "backend", "b", "weight", "10",
                                        "reason", "the config's weight changed from 50 to 60"),
                                Map.of("frontend", "web", "pool", "fallback", "backend", "c", "weight", "30",
                                        "reason", "pool member no longer in the config"));
                assertThat(logs.events("frontend-weight-override-dropped")).extracting(LogCapture.Event::level)
                        .containsOnly("INFO");
            }
            assertThat(weight("web", "primary", "b")).isEqualTo(60);
            assertThat(weight("web", "backup", "c")).isEqualTo(100);
            assertThat(weight("api", "p", "b")).isZero();

            // Dropped for good: going back to the old file does not bring them back.
            checker.apply(base());
            assertThat(weight("web", "primary", "b")).isEqualTo(50);
            assertThat(weight("web", "fallback", "c")).isEqualTo(100);
            assertThat(weight("api", "p", "b")).isZero();
        }

        @Test
        void settingTheFilesWeightAgainForgetsTheRuntimeWeight() {
            startAllUp();
            checker.setWeight("api", "p", "b", 0);
            checker.setWeight("api", "p", "b", 100); // the file's weight
            try (LogCapture logs = new LogCapture(Checker.class)) {
                checker.apply(config(List.of(WEB), List.of(backend("a", "10.0.0.1", "web"),
                        backend("b", "10.0.0.2", "web"), backend("c", "10.0.0.3", "web")),
                        List.of(FE_WEB, frontend("api", pool("p", member("b", 40))))));
                assertThat(logs.events("frontend-weight-override-dropped")).isEmpty();
            }
            assertThat(weight("api", "p", "b")).isEqualTo(40);
        }

        @Test
        void setWeightValidates() {
            startAllUp();
            assertThatThrownBy(() -> checker.setWeight("nope", "p", "b", 1)).isInstanceOf(UnknownNameException.class)
                    .hasMessage("no frontend named \"nope\"");
            assertThatThrownBy(() -> checker.setWeight("api", "q", "b", 1)).isInstanceOf(UnknownNameException.class)
                    .hasMessage("frontend \"api\" has no pool named \"q\"");
            assertThatThrownBy(() -> checker.setWeight("api", "p", "a", 1)).isInstanceOf(UnknownNameException.class)
                    .hasMessage("pool \"p\" of frontend \"api\" has no backend named \"a\"");
            assertThatThrownBy(() -> checker.setWeight("api", "p", "b", 101)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("weight 101 out of range 0..100");
            assertThatThrownBy(() -> checker.setWeight("api", "p", "b", -1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(checker.config().frontends().get("api").pool("p").member("b").weight()).isEqualTo(100);
        }
    }

    @Nested
    class Listeners {
        @Test
        void aThrowingListenerDoesNotStopOthersAndOrderIsRegistrationOrder() {
            List<String> order = new ArrayList<>();
            checker.removeListener(events);
            checker.addListener(new HealthListener() {
                @Override
                public void onBackendTransition(BackendTransition t) {
                    order.add("first");
                    throw new IllegalStateException("listener bug");
                }
            });
            checker.addListener(new HealthListener() {
                @Override
                public void onBackendTransition(BackendTransition t) {
                    order.add("second");
                }
            });
            checker.apply(config(List.of(WEB), List.of(backend("a", "10.0.0.1", "web")), List.of()));
            time.advance(Duration.ofMillis(500));
            assertThat(order).containsExactly("first", "second");
            assertThat(checker.state("a")).isEqualTo(BackendState.UP);
            assertThat(events.events).isEmpty(); // removed
        }

        @Test
        void closeCancelsTimersAndIgnoresLateResults() {
            startAllUp();
            prober.hold("10.0.0.1", true);
            time.advance(Duration.ofSeconds(1));
            ScriptedProber.Call inFlight = prober.callsTo("10.0.0.1").getLast();
            checker.close();
            assertThat(time.pending()).isZero();
            inFlight.future().complete(ScriptedProber.FAIL);
            assertThat(checker.state("a")).isEqualTo(BackendState.UP);
            assertThat(events.transitions()).isEmpty();
            assertThatThrownBy(() -> checker.apply(base())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void thousandsOfBackendsShareOneTimerQueue() {
        int n = 5000;
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            backends.add(backend("b" + i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), "web"));
        }
        Checker many = new Checker(prober, time, time, new java.util.SplittableRandom(1));
        try {
            many.apply(config(List.of(WEB), backends, List.of(frontend("all", pool("p",
                    backends.stream().map(b -> member(b.name())).toArray(dev.vppmaglev.config.PoolBackend[]::new))))));
            assertThat(time.pending()).isEqualTo(n);
            time.advance(Duration.ofSeconds(1)); // the first round is spread over one fast interval
            assertThat(prober.calls.stream().map(ScriptedProber.Call::target).distinct().count()).isEqualTo(n);
            assertThat(many.statuses()).allMatch(s -> s.state() == BackendState.UP);
            assertThat(many.frontendState("all")).isEqualTo(FrontendState.UP);
            time.advance(Duration.ofSeconds(20));
            assertThat(prober.calls.size()).as("about one probe per backend per interval").isBetween(n * 10, n * 13);
            assertThat(time.pending()).as("still one timer per backend").isEqualTo(n);
        } finally {
            many.close();
        }
    }
}
