package dev.vppmaglev.health;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.HealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event as a short string, in delivery order. */
final class RecordingListener implements HealthListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<BackendTransition> backendTransitions = new CopyOnWriteArrayList<>();
    final List<FrontendTransition> frontendTransitions = new CopyOnWriteArrayList<>();

    @Override
    public void onBackendTransition(BackendTransition t) {
        backendTransitions.add(t);
        events.add("backend " + t.backend() + " " + t.from().keyword() + "->" + t.to().keyword() + " " + t.code());
    }

    @Override
    public void onFrontendTransition(FrontendTransition t) {
        frontendTransitions.add(t);
        events.add("frontend " + t.frontend() + " " + t.from().keyword() + "->" + t.to().keyword());
    }

    @Override
    public void onProbe(String backend, HealthCheck check, ProbeResult r) {
        events.add("probe " + backend + " " + r.code());
    }

    @Override
    public void onConfigApplied(Config c) {
        events.add("config");
    }

    @Override
    public void onWeightChanged(String frontend, String pool, String backend, int weight) {
        events.add("weight " + frontend + "/" + pool + "/" + backend + "=" + weight);
    }

    /** Events without probe results. */
    List<String> transitions() {
        return new ArrayList<>(events.stream().filter(e -> !e.startsWith("probe ")).toList());
    }

    /** Returns everything recorded so far and forgets it. */
    List<String> drain() {
        List<String> out = new ArrayList<>(events);
        events.clear();
        return out;
    }
}
