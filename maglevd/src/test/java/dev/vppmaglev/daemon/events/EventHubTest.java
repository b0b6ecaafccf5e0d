package dev.vppmaglev.daemon.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.daemon.logging.LogLevel;
import dev.vppmaglev.proto.BackendEvent;
import dev.vppmaglev.proto.Event;
import dev.vppmaglev.proto.FrontendEvent;
import dev.vppmaglev.proto.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventHubTest {
    private final List<LogLevel> demands = new ArrayList<>();
    private final EventHub hub = new EventHub(demands::add);

    private static Event log(String level, String msg) {
        return Event.newBuilder().setLog(LogEvent.newBuilder().setLevel(level).setMsg(msg)).build();
    }

    private static Event backend(String name) {
        return Event.newBuilder().setBackend(BackendEvent.newBuilder().setName(name)).build();
    }

    private static Event frontend(String name) {
        return Event.newBuilder().setFrontend(FrontendEvent.newBuilder().setName(name)).build();
    }

    private static List<Event> drain(EventHub.Subscription s) {
        List<Event> out = new ArrayList<>();
        for (Event e = s.poll(); e != null; e = s.poll()) {
            out.add(e);
        }
        return out;
    }

    @Test
    void filtersByKindAndLogLevel() {
        EventHub.Subscription logsOnly = hub.subscribe(new EventHub.Filter(true, LogLevel.WARN, false, false),
                100, List.of(), () -> {}, r -> {});
        EventHub.Subscription backendsOnly = hub.subscribe(new EventHub.Filter(false, LogLevel.INFO, true, false),
                100, List.of(), () -> {}, r -> {});

        hub.publish(log("info", "probe-done"));
        hub.publish(log("error", "vpp-lbsync-error"));
        hub.publish(backend("nginx0"));
        hub.publish(frontend("web"));

        assertThat(drain(logsOnly)).extracting(e -> e.getLog().getMsg()).containsExactly("vpp-lbsync-error");
        assertThat(drain(backendsOnly)).extracting(e -> e.getBackend().getName()).containsExactly("nginx0");
    }

    @Test
    void snapshotComesFirstThenLiveEventsInOrder() {
        EventHub.Subscription s = hub.subscribe(new EventHub.Filter(false, LogLevel.INFO, true, true), 100,
                List.of(frontend("snap-a"), frontend("snap-b")), () -> {}, r -> {});
        hub.publish(backend("b1"));
        hub.publish(frontend("live"));

        assertThat(drain(s)).extracting(e -> e.hasFrontend() ? e.getFrontend().getName() : e.getBackend().getName())
                .containsExactly("snap-a", "snap-b", "b1", "live");
    }

    @Test
    void slowSubscriberIsCutOffWithoutAffectingOthers() {
        AtomicReference<String> reason = new AtomicReference<>();
        EventHub.Subscription slow = hub.subscribe(new EventHub.Filter(false, LogLevel.INFO, true, false),
                3, List.of(), () -> {}, reason::set);
        AtomicInteger available = new AtomicInteger();
        EventHub.Subscription fast = hub.subscribe(new EventHub.Filter(false, LogLevel.INFO, true, false),
                3, List.of(), available::incrementAndGet, r -> {});

        for (int i = 0; i < 10; i++) {
            hub.publish(backend("b" + i));
            assertThat(fast.poll()).isNotNull(); // the fast one keeps up
        }

        assertThat(reason.get()).contains("read too slowly").contains("3 events");
        assertThat(slow.isClosed()).isTrue();
        assertThat(slow.poll()).isNull();
        assertThat(fast.isClosed()).isFalse();
        assertThat(hub.subscriberCount()).isEqualTo(1);
        assertThat(available.get()).isEqualTo(10);
    }

    @Test
    void reportsTheLowestLogLevelSubscribersWant() {
        EventHub.Subscription debug = hub.subscribe(new EventHub.Filter(true, LogLevel.DEBUG, false, false),
                10, List.of(), () -> {}, r -> {});
        EventHub.Subscription warn = hub.subscribe(new EventHub.Filter(true, LogLevel.WARN, false, false),
                10, List.of(), () -> {}, r -> {});
        assertThat(demands.getLast()).isEqualTo(LogLevel.DEBUG);
        debug.close();
        assertThat(demands.getLast()).isEqualTo(LogLevel.WARN);
        warn.close();
        assertThat(demands.getLast()).isNull();
    }
}
