package dev.tessera.operator.reconcile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tessera.operator.api.Phase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Gauge `tessera.jobs{phase=...}`: how many TrainingJobs this operator last saw in each phase. */
@ApplicationScoped
public class JobMetrics {
    private final Map<String, Phase> phases = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry registry;

    @PostConstruct
    void register() {
        for (Phase phase : Phase.values()) {
            Gauge.builder("tessera.jobs", phases, m -> m.values().stream().filter(phase::equals).count())
                    .tag("phase", phase.name()).description("TrainingJobs by phase").register(registry);
        }
    }

    public void record(String uid, Phase phase) {
        if (phase == null) {
            phases.remove(uid);
        } else {
            phases.put(uid, phase);
        }
    }

    public void forget(String uid) {
        phases.remove(uid);
    }
}
