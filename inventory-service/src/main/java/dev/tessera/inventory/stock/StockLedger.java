package dev.tessera.inventory.stock;

import dev.tessera.inventory.api.Clocks;
import dev.tessera.inventory.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * Records movements and keeps {@code stock_balance} in step in the same transaction. A balance is
 * decremented by one conditional UPDATE: the row lock serialises concurrent movements on it and
 * the condition (backed by the table's CHECK constraint) keeps it from going below zero.
 */
@ApplicationScoped
public class StockLedger {

    @Inject
    EntityManager em;

    public record Balance(String site, String chip, StockState state, int quantity) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public StockMovement record(String site, String chip, int quantity, StockState from, StockState to,
                                String note, Long receiptId) {
        // Touch the two balance rows in one fixed order (state name, as the CSV import locks them)
        // so opposite movements cannot deadlock.
        if (to != null && (from == null || to.name().compareTo(from.name()) < 0)) {
            add(site, chip, to, quantity);
            if (from != null) {
                take(site, chip, from, quantity);
            }
        } else {
            take(site, chip, from, quantity);
            if (to != null) {
                add(site, chip, to, quantity);
            }
        }
        StockMovement m = new StockMovement();
        m.siteId = site;
        m.chipId = chip;
        m.quantity = quantity;
        m.fromState = from;
        m.toState = to;
        m.note = note;
        m.receiptId = receiptId;
        m.createdAt = Clocks.now();
        m.persist();
        return m;
    }

    private void add(String site, String chip, StockState state, int quantity) {
        // A balance is an integer column: refuse the movement rather than let the database fail on the sum.
        int updated = em.createNativeQuery("""
                insert into stock_balance (site_id, chip_id, state, quantity) values (?1, ?2, ?3, ?4)
                on conflict (site_id, chip_id, state) do update set quantity = stock_balance.quantity + excluded.quantity
                where stock_balance.quantity <= 2147483647 - excluded.quantity
                """).setParameter(1, site).setParameter(2, chip).setParameter(3, state.name()).setParameter(4, quantity)
                .executeUpdate();
        if (updated == 0) {
            throw ApiException.invalid("quantity", tooMuch(site, chip, state, balance(site, chip, state), quantity));
        }
    }

    /** Why a balance cannot take {@code quantity} more units: it would not fit its column. */
    public static String tooMuch(String site, String chip, StockState state, long have, long quantity) {
        return "site '" + site + "' holds " + have + " " + chip + " in " + state + "; " + quantity
                + " more would exceed the largest balance, " + Integer.MAX_VALUE;
    }

    private void take(String site, String chip, StockState state, int quantity) {
        int updated = em.createNativeQuery("""
                update stock_balance set quantity = quantity - ?4
                where site_id = ?1 and chip_id = ?2 and state = ?3 and quantity >= ?4
                """).setParameter(1, site).setParameter(2, chip).setParameter(3, state.name()).setParameter(4, quantity)
                .executeUpdate();
        if (updated == 0) {
            int have = balance(site, chip, state);
            throw ApiException.conflict("insufficient-stock", "site '" + site + "' holds " + have + " " + chip
                    + " in " + state + "; cannot move " + quantity);
        }
    }

    public int balance(String site, String chip, StockState state) {
        List<?> rows = em.createNativeQuery(
                        "select quantity from stock_balance where site_id = ?1 and chip_id = ?2 and state = ?3")
                .setParameter(1, site).setParameter(2, chip).setParameter(3, state.name()).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).intValue();
    }

    /** Units on hand (in service or in a warehouse) of one chip model over all sites; the sum may exceed an {@code int}. */
    /** The states whose units count as on hand, as SQL: in service or in a warehouse (not failed, not retired). */
    public static final String ON_HAND_STATES = "('IN_SERVICE', 'WAREHOUSE')";

    public long onHand(String chip) {
        Number n = (Number) em.createNativeQuery("""
                select coalesce(sum(quantity), 0) from stock_balance
                where chip_id = ?1 and state in """ + ON_HAND_STATES).setParameter(1, chip).getSingleResult();
        return n.longValue();
    }

    public List<Balance> balances(String chip, String site) {
        StringBuilder sql = new StringBuilder("select site_id, chip_id, state, quantity from stock_balance where true");
        if (chip != null) {
            sql.append(" and chip_id = :chip");
        }
        if (site != null) {
            sql.append(" and site_id = :site");
        }
        sql.append(" order by site_id, chip_id, state");
        var q = em.createNativeQuery(sql.toString());
        if (chip != null) {
            q.setParameter("chip", chip);
        }
        if (site != null) {
            q.setParameter("site", site);
        }
        List<Balance> out = new ArrayList<>();
        for (Object row : q.getResultList()) {
            Object[] r = (Object[]) row;
            out.add(new Balance((String) r[0], (String) r[1], StockState.valueOf((String) r[2]), ((Number) r[3]).intValue()));
        }
        return out;
    }
}
