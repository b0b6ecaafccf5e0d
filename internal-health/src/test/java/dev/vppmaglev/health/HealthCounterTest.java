package dev.vppmaglev.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vppmaglev.config.CheckType;
import dev.vppmaglev.config.HealthCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthCounterTest {

    /**
     * Feeds a probe sequence (P = pass, F = fail) into a counter and checks the counter value and
     * the state after every probe. start = "u" means entering unknown (expedited preset rise-1).
     */
    @ParameterizedTest(name = "rise={0} fall={1} start={2} {3} -> {4} / {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # rise | fall | start | probes     | counters          | states
            # expedited unknown: one pass is up (counter max), one failure is down at once (0)
              2    | 3    | u     | P          | 4                 | U
              2    | 3    | u     | F          | 0                 | D
              1    | 1    | u     | P          | 1                 | U
              1    | 1    | u     | F          | 0                 | D
              3    | 2    | u     | P          | 4                 | U
            # failure in unknown: down at 0, back up after rise passes
              3    | 2    | u     | FPPP       | 0,1,2,4           | D,D,D,U
              4    | 3    | u     | FPPPP      | 0,1,2,3,6         | D,D,D,D,U
              2    | 3    | u     | FPP        | 0,1,4             | D,D,U
            # from fully up it takes exactly fall failures
              2    | 3    | 4     | FFF        | 3,2,0             | U,U,D
              3    | 1    | 3     | F          | 0                 | D
            # from fully down it takes exactly rise passes
              2    | 3    | 0     | PP         | 1,4               | D,U
              3    | 2    | 0     | PPP        | 1,2,4             | D,D,U
            # saturation at both ends
              2    | 3    | u     | PPPPP      | 4,4,4,4,4         | U,U,U,U,U
              2    | 3    | 0     | FFF        | 0,0,0             | D,D,D
            # alternating results inside the up band: no flapping
              2    | 3    | 4     | FPFPFPFP   | 3,4,3,4,3,4,3,4   | U,U,U,U,U,U,U,U
              3    | 3    | 5     | FFPFFPP    | 4,3,4,3,0,1,2     | U,U,U,U,D,D,D
            # alternating right at the threshold does not flap either: after going down it takes
            # rise passes to come back, after coming up fall failures to go down
              2    | 2    | 2     | FPFPFP     | 0,1,0,1,0,1       | D,D,D,D,D,D
              2    | 2    | 1     | PFPFPF     | 3,2,3,2,3,2       | U,U,U,U,U,U
            # alternating near the bottom stays down
              3    | 3    | 0     | PFPFPF     | 1,0,1,0,1,0       | D,D,D,D,D,D
            """)
    void sequences(int rise, int fall, String start, String probes, String counters, String states) {
        HealthCounter c = start.equals("u") ? HealthCounter.expedited(rise, fall)
                : new HealthCounter(rise, fall, Integer.parseInt(start));
        BackendState state = start.equals("u") ? BackendState.UNKNOWN : c.probedState();
        List<String> seenCounters = new ArrayList<>();
        List<String> seenStates = new ArrayList<>();
        for (char p : probes.toCharArray()) {
            c = c.record(p == 'P', state);
            state = c.probedState();
            seenCounters.add(Integer.toString(c.value()));
            seenStates.add(state == BackendState.UP ? "U" : "D");
        }
        assertThat(String.join(",", seenCounters)).isEqualTo(counters);
        assertThat(String.join(",", seenStates)).isEqualTo(states);
    }

    @Test
    void maxIsRisePlusFallMinusOneAndPresetIsRiseMinusOne() {
        HealthCounter c = HealthCounter.expedited(2, 3);
        assertThat(c.max()).isEqualTo(4);
        assertThat(c.value()).isEqualTo(1);
        assertThat(c.healthy()).isFalse();
        assertThat(new HealthCounter(2, 3, 2).healthy()).isTrue();
    }

    @ParameterizedTest(name = "rise={0} fall={1} {2}: {3} -> {4} / {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # rise | fall | state | probe | counter | state after
            # up at rise: one failure of the new check takes it down
              2    | 3    | UP    | F     | 0       | D
              2    | 3    | UP    | P     | 3       | U
              1    | 1    | UP    | F     | 0       | D
            # down at rise-1: one pass brings it up
              2    | 3    | DOWN  | P     | 4       | U
              2    | 3    | DOWN  | F     | 0       | D
              3    | 2    | DOWN  | P     | 4       | U
              1    | 4    | DOWN  | P     | 4       | U
            # unknown: as expedited
              2    | 3    | UNKNOWN | P   | 4       | U
              2    | 3    | UNKNOWN | F   | 0       | D
            """)
    void atBandEdgeTheFirstResultDecides(int rise, int fall, BackendState state, char probe, int counter,
                                         char after) {
        HealthCheck check = Fixtures.check("c", CheckType.TCP).port(80).riseFall(rise, fall).build();
        HealthCounter c = HealthCounter.atBandEdge(check, state);
        assertThat(c.probedState()).as("the edge is inside the state's band")
                .isEqualTo(state == BackendState.UP ? BackendState.UP : BackendState.DOWN);
        HealthCounter next = c.record(probe == 'P', state);
        assertThat(next.value()).isEqualTo(counter);
        assertThat(next.probedState()).isEqualTo(after == 'U' ? BackendState.UP : BackendState.DOWN);
    }

    @Test
    void rejectsOutOfRange() {
        assertThatThrownBy(() -> new HealthCounter(0, 3, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rise and fall must be >= 1");
        assertThatThrownBy(() -> new HealthCounter(2, 3, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range 0..4");
    }
}
