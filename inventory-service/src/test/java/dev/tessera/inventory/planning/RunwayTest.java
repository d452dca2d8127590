package dev.tessera.inventory.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import org.junit.jupiter.api.Test;

class RunwayTest {

    private static final LocalDate D0 = LocalDate.of(2027, 1, 1);

    private static Runway.Supply of(SupplyTimeline t) {
        return new Runway.Supply() {
            public double at(LocalDate date) {
                return t.free(date);
            }

            public NavigableSet<LocalDate> changes() {
                return t.changes();
            }
        };
    }

    @Test
    void coveredWhenSupplyAlwaysMeetsDemand() {
        SupplyTimeline t = new SupplyTimeline(100, Map.of(D0.plusDays(30), 100), List.of());
        Runway.Result r = Runway.compute(of(t), List.of(new Runway.Step(D0, 100), new Runway.Step(D0.plusDays(40), 200)), D0);
        assertThat(r.coveredUntil()).isNull();
        assertThat(r.shortfalls()).isEmpty();
    }

    @Test
    void growingDemandRunsOutUntilADeliveryCatchesUp() {
        SupplyTimeline t = new SupplyTimeline(100, Map.of(D0.plusDays(60), 100), List.of());
        Runway.Result r = Runway.compute(of(t), List.of(new Runway.Step(D0, 80), new Runway.Step(D0.plusDays(30), 150),
                new Runway.Step(D0.plusDays(90), 250)), D0);
        assertThat(r.coveredUntil()).isEqualTo(D0.plusDays(30));
        assertThat(r.shortfalls()).containsExactly(new Runway.Shortfall(D0.plusDays(30), 50),
                new Runway.Shortfall(D0.plusDays(90), 50));
    }

    @Test
    void demandStartedInThePastCountsFromToday() {
        SupplyTimeline t = new SupplyTimeline(10, Map.of(), List.of());
        Runway.Result r = Runway.compute(of(t), List.of(new Runway.Step(D0.minusDays(100), 12)), D0);
        assertThat(r.coveredUntil()).isEqualTo(D0);
        assertThat(r.shortfalls()).containsExactly(new Runway.Shortfall(D0, 2));
    }
}
