package dev.tessera.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;

class ConditionsTest {
    static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-22T09:00:00Z");

    @Test
    void aNewConditionGetsTheTransitionTime() {
        List<Condition> cs = new ArrayList<>();
        assertThat(Conditions.set(cs, "Placed", false, "InsufficientCapacity", "full", 1L, T0)).isTrue();
        assertThat(cs).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T08:00:00Z");
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
        });
    }

    @Test
    void theTransitionTimeStaysWhileTheStatusDoesNotFlip() {
        List<Condition> cs = new ArrayList<>();
        Conditions.set(cs, "Placed", false, "InsufficientCapacity", "full", 1L, T0);
        assertThat(Conditions.set(cs, "Placed", false, "WaitingForDelivery", "2027-03-01", 2L, T1)).isTrue();
        assertThat(cs.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T08:00:00Z");
        assertThat(cs.get(0).getReason()).isEqualTo("WaitingForDelivery");
        assertThat(Conditions.set(cs, "Placed", true, "Placed", "1 shard", 2L, T1)).isTrue();
        assertThat(cs.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T09:00:00Z");
    }

    @Test
    void settingTheSameConditionAgainChangesNothing() {
        List<Condition> cs = new ArrayList<>();
        Conditions.set(cs, "Running", true, "AllShardsRunning", "2 of 2", 3L, T0);
        assertThat(Conditions.set(cs, "Running", true, "AllShardsRunning", "2 of 2", 3L, T1)).isFalse();
        assertThat(cs).hasSize(1);
        assertThat(Conditions.isTrue(cs, "Running")).isTrue();
        assertThat(Conditions.isTrue(cs, "Placed")).isFalse();
    }
}
