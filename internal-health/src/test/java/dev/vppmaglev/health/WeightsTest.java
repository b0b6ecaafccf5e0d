package dev.vppmaglev.health;

import static dev.vppmaglev.health.BackendState.DISABLED;
import static dev.vppmaglev.health.BackendState.DOWN;
import static dev.vppmaglev.health.BackendState.PAUSED;
import static dev.vppmaglev.health.BackendState.REMOVED;
import static dev.vppmaglev.health.BackendState.UNKNOWN;
import static dev.vppmaglev.health.BackendState.UP;
import static dev.vppmaglev.health.Fixtures.frontend;
import static dev.vppmaglev.health.Fixtures.member;
import static dev.vppmaglev.health.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vppmaglev.config.Frontend;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightsTest {

    /** behaviour.md §4.2, every row (and both flush-on-down settings, active and standby pools). */
    @ParameterizedTest(name = "{0} pool={1} active={2} weight={3} flushOnDown={4} -> {5}/{6}")
    @CsvSource(textBlock = """
            UP,       0, 0, 100, true,  100, false
            UP,       0, 0,  37, false,  37, false
            UP,       0, 0,   0, true,    0, false
            UP,       1, 0, 100, true,    0, false
            UP,       0, 1, 100, true,    0, false
            DOWN,     0, 0, 100, true,    0, true
            DOWN,     0, 0, 100, false,   0, false
            DOWN,     1, 0, 100, true,    0, true
            DISABLED, 0, 0, 100, false,   0, true
            DISABLED, 1, 0, 100, true,    0, true
            UNKNOWN,  0, 0, 100, true,    0, false
            UNKNOWN,  1, 0, 100, false,   0, false
            PAUSED,   0, 0, 100, true,    0, false
            PAUSED,   1, 0, 100, false,   0, false
            REMOVED,  0, 0, 100, false,   0, true
            """)
    void effectiveWeightMatrix(BackendState state, int pool, int active, int weight, boolean flushOnDown,
                               int expectedWeight, boolean expectedFlush) {
        assertThat(Weights.backendEffectiveWeight(pool, active, state, weight, flushOnDown))
                .isEqualTo(new AsWeight(expectedWeight, expectedFlush));
    }

    @Test
    void weightOutOfRangeIsRejected() {
        assertThatThrownBy(() -> Weights.backendEffectiveWeight(0, 0, UP, 101, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101 out of range 0..100");
    }

    private static final Frontend WEB = frontend("web",
            pool("primary", member("a", 100), member("b", 50)),
            pool("fallback", member("c", 100)),
            pool("last", member("d", 10)));

    @Test
    void activePoolIsFirstPoolWithAnUpBackendElseZero() {
        assertThat(Weights.activePoolIndex(WEB, states(Map.of()))).isZero();
        assertThat(Weights.activePoolIndex(WEB, states(Map.of("a", DOWN, "b", DOWN, "c", DOWN, "d", DOWN)))).isZero();
        assertThat(Weights.activePoolIndex(WEB, states(Map.of("a", UP)))).isZero();
        assertThat(Weights.activePoolIndex(WEB, states(Map.of("a", DOWN, "b", PAUSED, "c", UP)))).isEqualTo(1);
        assertThat(Weights.activePoolIndex(WEB, states(Map.of("a", DISABLED, "b", DOWN, "c", DOWN, "d", UP))))
                .isEqualTo(2);
    }

    @Test
    void poolFailoverAndBack() {
        Map<String, BackendState> s = new HashMap<>(Map.of("a", UP, "b", UP, "c", UP, "d", UP));
        assertThat(weights(WEB, s)).containsExactly("a=100", "b=50", "c=0", "d=0");

        s.put("a", DOWN); // one primary down: still primary
        assertThat(weights(WEB, s)).containsExactly("a=0!", "b=50", "c=0", "d=0");

        s.put("b", DOWN); // primary empty: fail over to fallback
        assertThat(weights(WEB, s)).containsExactly("a=0!", "b=0!", "c=100", "d=0");

        s.put("c", DISABLED); // fallback gone too: last pool
        assertThat(weights(WEB, s)).containsExactly("a=0!", "b=0!", "c=0!", "d=10");

        s.put("b", UP); // primary back: traffic returns, standby drains without flush
        assertThat(weights(WEB, s)).containsExactly("a=0!", "b=50", "c=0!", "d=0");
        assertThat(Weights.frontendState(WEB, states(s))).isEqualTo(FrontendState.UP);
    }

    @Test
    void effectiveWeightsCarryPoolAndMemberDetails() {
        List<MemberWeight> ws = Weights.effectiveWeights(WEB, states(Map.of("a", DOWN, "b", DOWN, "c", UP)));
        assertThat(ws).hasSize(4);
        assertThat(ws.get(2)).isEqualTo(new MemberWeight(1, "fallback", "c", 100, UP, new AsWeight(100, false)));
        assertThat(ws.get(3)).isEqualTo(new MemberWeight(2, "last", "d", 10, UNKNOWN, new AsWeight(0, false)));
    }

    @Test
    void severalFrontendsShareABackendWithDifferentWeights() {
        Frontend one = frontend("one", true, pool("p", member("shared", 100), member("x", 100)));
        Frontend two = frontend("two", false, pool("p1", member("y", 100)), pool("p2", member("shared", 20)));
        Map<String, BackendState> s = new HashMap<>(Map.of("shared", UP, "x", UP, "y", DOWN));
        assertThat(weights(one, s)).containsExactly("shared=100", "x=100");
        assertThat(weights(two, s)).containsExactly("y=0", "shared=20"); // two: failed over, no flush-on-down

        s.put("y", UP);
        assertThat(weights(two, s)).containsExactly("y=100", "shared=0");

        s.put("shared", DOWN);
        assertThat(weights(one, s)).containsExactly("shared=0!", "x=100");
        assertThat(weights(two, s)).containsExactly("y=100", "shared=0");
    }

    @Test
    void frontendState() {
        // unknown iff every referenced backend is unknown
        assertThat(Weights.frontendState(WEB, states(Map.of()))).isEqualTo(FrontendState.UNKNOWN);
        // one known backend, nothing with weight: down
        assertThat(Weights.frontendState(WEB, states(Map.of("d", DOWN)))).isEqualTo(FrontendState.DOWN);
        assertThat(Weights.frontendState(WEB, states(Map.of("a", PAUSED)))).isEqualTo(FrontendState.DOWN);
        assertThat(Weights.frontendState(WEB, states(Map.of("a", DISABLED, "b", DISABLED, "c", DISABLED, "d", DISABLED))))
                .isEqualTo(FrontendState.DOWN);
        // something with weight > 0: up
        assertThat(Weights.frontendState(WEB, states(Map.of("d", UP)))).isEqualTo(FrontendState.UP);
    }

    @Test
    void allWeightsZeroIsNotUp() {
        Frontend zero = frontend("zero", pool("p", member("a", 0), member("b", 0)));
        assertThat(Weights.frontendState(zero, states(Map.of("a", UP, "b", UP)))).isEqualTo(FrontendState.DOWN);
        // an up backend with weight 0 still makes its pool the active one: the standby stays drained
        Frontend zeroThenFull = frontend("z", pool("p", member("a", 0)), pool("q", member("b", 100)));
        assertThat(Weights.frontendState(zeroThenFull, states(Map.of("a", UP, "b", UP)))).isEqualTo(FrontendState.DOWN);
        assertThat(weights(zeroThenFull, Map.of("a", UP, "b", UP))).containsExactly("a=0", "b=0");
    }

    private static java.util.function.Function<String, BackendState> states(Map<String, BackendState> m) {
        return m::get; // missing names are unknown
    }

    /** "name=weight" with "!" when flushed. */
    private static List<String> weights(Frontend f, Map<String, BackendState> s) {
        return Weights.effectiveWeights(f, s::get).stream()
                .map(m -> m.backend() + "=" + m.effective().weight() + (m.effective().flush() ? "!" : ""))
                .toList();
    }
}
