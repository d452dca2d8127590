package dev.tessera.inventory.planning;

import dev.tessera.inventory.stock.StockLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads one chip model's supply for a window in three aggregate queries (balances, not the ledger); sums are {@code long}. */
@ApplicationScoped
public class SupplyReader {

    @Inject
    EntityManager em;

    @Inject
    StockLedger ledger;

    /** Deliveries scheduled up to {@code until} and reservations overlapping {@code [from, until]}. */
    public SupplyTimeline load(String chip, LocalDate from, LocalDate until) {
        Map<LocalDate, Long> arrivals = new HashMap<>();
        for (Object row : em.createNativeQuery("""
                        select scheduled_date, sum(quantity - received) from delivery
                        where chip_id = ?1 and state not in ('RECEIVED', 'CANCELLED') and scheduled_date <= ?2
                        group by scheduled_date""")
                .setParameter(1, chip).setParameter(2, until).getResultList()) {
            Object[] r = (Object[]) row;
            arrivals.put(toDate(r[0]), ((Number) r[1]).longValue());
        }
        List<SupplyTimeline.Hold> holds = new ArrayList<>();
        for (Object row : em.createNativeQuery("""
                        select starts, ends, sum(quantity) from reservation
                        where chip_id = ?1 and ends > ?2 and starts <= ?3
                        group by starts, ends""")
                .setParameter(1, chip).setParameter(2, from).setParameter(3, until).getResultList()) {
            Object[] r = (Object[]) row;
            holds.add(new SupplyTimeline.Hold(toDate(r[0]), toDate(r[1]), ((Number) r[2]).longValue()));
        }
        return new SupplyTimeline(ledger.onHand(chip), arrivals, holds);
    }

    private static LocalDate toDate(Object o) {
        return o instanceof LocalDate d ? d : ((Date) o).toLocalDate();
    }
}
