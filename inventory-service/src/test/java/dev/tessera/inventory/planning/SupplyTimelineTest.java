package dev.tessera.inventory.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupplyTimelineTest {

    private static final LocalDate D0 = LocalDate.of(2027, 1, 1);

    private static LocalDate day(int n) {
        return D0.plusDays(n);
    }

    @Test
    void onHandGrowsWithDeliveriesAndReservedFollowsHalfOpenPeriods() {
        SupplyTimeline t = new SupplyTimeline(100, Map.of(day(10), 50, day(20), 30),
                List.of(new SupplyTimeline.Hold(day(0), day(15), 60), new SupplyTimeline.Hold(day(5), day(15), 10)));
        assertThat(t.onHand(day(9))).isEqualTo(100);
        assertThat(t.onHand(day(10))).isEqualTo(150);
        assertThat(t.onHand(day(25))).isEqualTo(180);
        assertThat(t.reserved(day(4))).isEqualTo(60);
        assertThat(t.reserved(day(14))).isEqualTo(70);
        assertThat(t.reserved(day(15))).isZero();
        assertThat(t.arriving(null, day(10))).isEqualTo(50);
        assertThat(t.arriving(day(10), day(20))).isEqualTo(30);
        assertThat(t.free(day(12))).isEqualTo(80);
    }

    @Test
    void overbookingIsFoundWhereReservationsRiseInsideTheWindow() {
        SupplyTimeline t = new SupplyTimeline(10, Map.of(), List.of(new SupplyTimeline.Hold(day(20), day(30), 8)));
        assertThat(t.overbooking(day(0), day(20), 10)).isEmpty();
        assertThat(t.overbooking(day(0), day(25), 5)).get()
                .extracting(SupplyTimeline.Overbooking::date).isEqualTo(day(20));
        assertThat(t.overbooking(day(30), day(40), 10)).isEmpty();
    }

    @Test
    void aDeliveryLaterThanTheWindowStartDoesNotCoverIt() {
        SupplyTimeline t = new SupplyTimeline(0, Map.of(day(5), 10), List.of());
        assertThat(t.overbooking(day(0), day(10), 1)).get()
                .extracting(SupplyTimeline.Overbooking::date).isEqualTo(day(0));
        assertThat(t.overbooking(day(5), day(10), 10)).isEmpty();
    }

    @Test
    void anAddedHoldCountsForLaterDecisions() {
        SupplyTimeline t = new SupplyTimeline(10, Map.of(), List.of(new SupplyTimeline.Hold(day(0), day(10), 4)));
        t.hold(new SupplyTimeline.Hold(day(5), day(20), 6));
        assertThat(t.reserved(day(4))).isEqualTo(4);
        assertThat(t.reserved(day(5))).isEqualTo(10);
        assertThat(t.reserved(day(10))).isEqualTo(6);
        assertThat(t.reserved(day(20))).isZero();
        assertThat(t.overbooking(day(8), day(9), 1)).isPresent();
        assertThat(t.overbooking(day(10), day(30), 4)).isEmpty();
    }

    @Test
    void sumsBeyondAnIntDoNotWrap() {
        SupplyTimeline t = new SupplyTimeline(10, Map.of(), List.of(new SupplyTimeline.Hold(day(0), day(10), 1)));
        // 1 + 2147483647 is negative in int arithmetic, which would let it through.
        assertThat(t.overbooking(day(0), day(10), Integer.MAX_VALUE)).isPresent();
        SupplyTimeline big = new SupplyTimeline(2_000_000_000L, Map.of(day(1), 2_000_000_000L, day(2), 2_000_000_000L),
                List.of(new SupplyTimeline.Hold(day(0), day(5), 2_000_000_000L),
                        new SupplyTimeline.Hold(day(1), day(5), 2_000_000_000L)));
        assertThat(big.onHand(day(2))).isEqualTo(6_000_000_000L);
        assertThat(big.arriving(null, day(2))).isEqualTo(4_000_000_000L);
        assertThat(big.reserved(day(1))).isEqualTo(4_000_000_000L);
        assertThat(big.free(day(2))).isEqualTo(2_000_000_000L);
        assertThat(big.overbooking(day(1), day(3), 1)).get()
                .extracting(SupplyTimeline.Overbooking::date).isEqualTo(day(1));
        assertThat(big.overbooking(day(2), day(3), 2_000_000_000L)).isEmpty();
    }
}
