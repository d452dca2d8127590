package dev.tessera.inventory.stock;

import dev.tessera.inventory.api.CsvTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.Session;

/**
 * Imports stock movements from CSV in one transaction: every row is checked first, the balances
 * involved are locked and replayed in file order, and only a clean file is written (in JDBC
 * batches, since a spreadsheet can carry a hundred thousand rows).
 */
@ApplicationScoped
public class StockImport {

    @Inject
    EntityManager em;

    public record Result(int imported) {
    }

    /** Ordered as the database orders the rows (by text), so locks are always taken in one order. */
    private record Key(String site, String chip, StockState state) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = site.compareTo(o.site);
            c = c != 0 ? c : chip.compareTo(o.chip);
            return c != 0 ? c : state.name().compareTo(o.state.name());
        }
    }

    private record Line(CsvTable.Row row, String site, String chip, int quantity, StockState from, StockState to,
                        String note) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Result importCsv(String body) {
        CsvTable table = CsvTable.parse(body, Set.of("site", "chip", "quantity"));
        Set<String> sites = ids("select id from site");
        Set<String> chips = ids("select id from chip_model");
        List<Line> lines = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            String site = table.required(row, "site");
            if (site != null && !sites.contains(site)) {
                table.error(row, "site", "unknown site '" + site + "'");
            }
            String chip = table.required(row, "chip");
            if (chip != null && !chips.contains(chip)) {
                table.error(row, "chip", "unknown chip model '" + chip + "'");
            }
            Integer quantity = table.chipCount(row, "quantity");
            StockState from = table.enumValue(row, "from", StockState.class, true);
            String toColumn = row.cells().containsKey("to") ? "to" : "state";
            StockState to = table.enumValue(row, toColumn, StockState.class, true);
            if (row.get("from") == null && row.get(toColumn) == null) {
                table.error(row, toColumn, "a movement needs a from or a to state");
            } else if (from != null && from == to) {
                table.error(row, toColumn, "from and to are the same state");
            }
            String note = table.text(row, "note", 1000, true);
            lines.add(new Line(row, site, chip, quantity == null ? 0 : quantity, from, to, note));
        }
        table.failIfErrors();

        Set<Key> keys = new TreeSet<>();
        for (Line l : lines) {
            if (l.from != null) {
                keys.add(new Key(l.site, l.chip, l.from));
            }
            if (l.to != null) {
                keys.add(new Key(l.site, l.chip, l.to));
            }
        }
        em.unwrap(Session.class).doWork(conn -> {
            Map<Key, Long> balances = lock(conn, keys);
            for (Line l : lines) {
                if (l.from != null) {
                    Key k = new Key(l.site, l.chip, l.from);
                    long have = balances.get(k);
                    if (have < l.quantity) {
                        table.error(l.row, "quantity", "site '" + l.site + "' holds " + have + " " + l.chip + " in "
                                + l.from + " at this row; cannot move " + l.quantity);
                        continue;
                    }
                    balances.put(k, have - l.quantity);
                }
                if (l.to != null) {
                    Key k = new Key(l.site, l.chip, l.to);
                    long have = balances.get(k);
                    if (have + l.quantity > Integer.MAX_VALUE) {
                        table.error(l.row, "quantity", StockLedger.tooMuch(l.site, l.chip, l.to, have, l.quantity)
                                + " at this row");
                        continue;
                    }
                    balances.put(k, have + l.quantity);
                }
            }
            table.failIfErrors();
            write(conn, lines, balances);
        });
        return new Result(lines.size());
    }

    /** Creates missing balance rows, then locks all of them in key order (no deadlock with movements). */
    private static Map<Key, Long> lock(Connection conn, Set<Key> keys) throws SQLException {
        try (PreparedStatement ins = conn.prepareStatement("""
                insert into stock_balance (site_id, chip_id, state, quantity) values (?, ?, ?, 0)
                on conflict do nothing""")) {
            for (Key k : keys) {
                ins.setString(1, k.site);
                ins.setString(2, k.chip);
                ins.setString(3, k.state.name());
                ins.addBatch();
            }
            ins.executeBatch();
        }
        Map<Key, Long> balances = new HashMap<>();
        try (PreparedStatement sel = conn.prepareStatement("""
                select b.site_id, b.chip_id, b.state, b.quantity from stock_balance b
                join unnest(?::text[], ?::text[], ?::text[]) as k(site_id, chip_id, state)
                  on b.site_id = k.site_id and b.chip_id = k.chip_id and b.state = k.state
                order by b.site_id collate "C", b.chip_id collate "C", b.state collate "C" for update of b""")) {
            sel.setArray(1, conn.createArrayOf("text", keys.stream().map(Key::site).toArray()));
            sel.setArray(2, conn.createArrayOf("text", keys.stream().map(Key::chip).toArray()));
            sel.setArray(3, conn.createArrayOf("text", keys.stream().map(k -> k.state.name()).toArray()));
            try (ResultSet rs = sel.executeQuery()) {
                while (rs.next()) {
                    balances.put(new Key(rs.getString(1), rs.getString(2), StockState.valueOf(rs.getString(3))),
                            rs.getLong(4));
                }
            }
        }
        return balances;
    }

    private static void write(Connection conn, List<Line> lines, Map<Key, Long> balances) throws SQLException {
        try (PreparedStatement ins = conn.prepareStatement("""
                insert into stock_movement (site_id, chip_id, quantity, from_state, to_state, note, created_at)
                values (?, ?, ?, ?, ?, ?, now())""")) {
            int n = 0;
            for (Line l : lines) {
                ins.setString(1, l.site);
                ins.setString(2, l.chip);
                ins.setInt(3, l.quantity);
                setState(ins, 4, l.from);
                setState(ins, 5, l.to);
                ins.setString(6, l.note);
                ins.addBatch();
                if (++n % 1000 == 0) {
                    ins.executeBatch();
                }
            }
            ins.executeBatch();
        }
        try (PreparedStatement upd = conn.prepareStatement(
                "update stock_balance set quantity = ? where site_id = ? and chip_id = ? and state = ?")) {
            for (Map.Entry<Key, Long> e : balances.entrySet()) {
                upd.setInt(1, Math.toIntExact(e.getValue()));
                upd.setString(2, e.getKey().site);
                upd.setString(3, e.getKey().chip);
                upd.setString(4, e.getKey().state.name());
                upd.addBatch();
            }
            upd.executeBatch();
        }
    }

    private static void setState(PreparedStatement ps, int index, StockState state) throws SQLException {
        if (state == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, state.name());
        }
    }

    private Set<String> ids(String sql) {
        Set<String> out = new HashSet<>();
        for (Object o : em.createNativeQuery(sql).getResultList()) {
            out.add((String) o);
        }
        return out;
    }
}
