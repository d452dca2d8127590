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

/**
 * Reads one chip model's supply for a window from balances, not the ledger, in one statement: stock on hand,
 * what deliveries still owe and the reservations. One statement sees one snapshot of the database. Read in
 * separate statements (at PostgreSQL's READ COMMITTED), a receipt committed between them was counted twice,
 * still owed by its delivery and already in stock, and reservations were granted on chips that do not exist.
 * Sums are {@code long}.
 */
@ApplicationScoped
public class SupplyReader {

    private static final String SUPPLY = """
            select 'stock', cast(null as date), cast(null as date), coalesce(sum(quantity), 0) from stock_balance
            where chip_id = ?1 and state in """ + StockLedger.ON_HAND_STATES + """

            union all
            select 'arrival', scheduled_date, cast(null as date), sum(quantity - received) from delivery
            where chip_id = ?1 and state not in ('RECEIVED', 'CANCELLED') and scheduled_date <= ?3
            group by scheduled_date
            union all
            select 'hold', starts, ends, sum(quantity) from reservation
            where chip_id = ?1 and ends > ?2 and starts <= ?3
            group by starts, ends""";

    @Inject
    EntityManager em;

    /** Stock on hand, deliveries scheduled up to {@code until} and reservations overlapping {@code [from, until]}. */
    public SupplyTimeline load(String chip, LocalDate from, LocalDate until) {
        long onHand = 0;
        Map<LocalDate, Long> arrivals = new HashMap<>();
        List<SupplyTimeline.Hold> holds = new ArrayList<>();
        for (Object row : em.createNativeQuery(SUPPLY).setParameter(1, chip).setParameter(2, from).setParameter(3, until)
                .getResultList()) {
            Object[] r = (Object[]) row;
            long n = ((Number) r[3]).longValue();
            switch ((String) r[0]) {
                case "stock" -> onHand = n;
                case "arrival" -> arrivals.put(toDate(r[1]), n);
                default -> holds.add(new SupplyTimeline.Hold(toDate(r[1]), toDate(r[2]), n));
            }
        }
        return new SupplyTimeline(onHand, arrivals, holds);
    }

    private static LocalDate toDate(Object o) {
        return o instanceof LocalDate d ? d : ((Date) o).toLocalDate();
    }
}
