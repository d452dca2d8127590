package dev.tessera.inventory.planning;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The reservation check against a brute-force day-by-day count over random fleets. */
class SupplyTimelinePropertiesTest {

    private static final LocalDate D0 = LocalDate.of(2027, 1, 1);

    record Period(int from, int length, int quantity) {
    }

    @Provide
    Arbitrary<Period> periods() {
        return Combinators.combine(Arbitraries.integers().between(0, 60), Arbitraries.integers().between(1, 30),
                Arbitraries.integers().between(1, 20)).as(Period::new);
    }

    @Property(tries = 300)
    void overbookingAgreesWithADailyCount(@ForAll @IntRange(max = 60) int stock,
                                          @ForAll @Size(max = 6) List<@net.jqwik.api.From("periods") Period> deliveries,
                                          @ForAll @Size(max = 12) List<@net.jqwik.api.From("periods") Period> holds,
                                          @ForAll("periods") Period request) {
        Map<LocalDate, Integer> arrivals = new HashMap<>();
        deliveries.forEach(d -> arrivals.merge(D0.plusDays(d.from()), d.quantity(), Integer::sum));
        List<SupplyTimeline.Hold> held = new ArrayList<>();
        holds.forEach(h -> held.add(new SupplyTimeline.Hold(D0.plusDays(h.from()), D0.plusDays(h.from() + h.length()),
                h.quantity())));
        SupplyTimeline t = new SupplyTimeline(stock, arrivals, held);

        boolean overbooked = false;
        for (int day = request.from(); day < request.from() + request.length(); day++) {
            final int d = day;
            int onHand = stock + deliveries.stream().filter(x -> x.from() <= d).mapToInt(Period::quantity).sum();
            int reserved = holds.stream().filter(h -> h.from() <= d && d < h.from() + h.length())
                    .mapToInt(Period::quantity).sum();
            overbooked |= reserved + request.quantity() > onHand;
        }
        LocalDate from = D0.plusDays(request.from());
        LocalDate to = from.plusDays(request.length());
        if (overbooked != t.overbooking(from, to, request.quantity()).isPresent()) {
            throw new AssertionError("check disagrees with the daily count for " + request);
        }
        // A hold added in place must answer like a timeline built with it.
        t.hold(new SupplyTimeline.Hold(from, to, request.quantity()));
        held.add(new SupplyTimeline.Hold(from, to, request.quantity()));
        SupplyTimeline rebuilt = new SupplyTimeline(stock, arrivals, held);
        for (int day = 0; day < 100; day++) {
            if (t.reserved(D0.plusDays(day)) != rebuilt.reserved(D0.plusDays(day))) {
                throw new AssertionError("hold() differs from a rebuilt timeline on day " + day);
            }
        }
    }
}
