package dev.tessera.inventory.orders;

import dev.tessera.inventory.api.Clocks;
import dev.tessera.inventory.api.ApiException;
import dev.tessera.inventory.api.ChipCount;
import dev.tessera.inventory.api.CsvTable;
import dev.tessera.rest.Problem;
import dev.tessera.inventory.api.ProblemMapper;
import dev.tessera.inventory.catalog.ChipModel;
import dev.tessera.inventory.catalog.Site;
import dev.tessera.inventory.orders.OrderViews.DeliveryPatch;
import dev.tessera.inventory.orders.OrderViews.DeliveryRequest;
import dev.tessera.inventory.orders.OrderViews.DeliveryView;
import dev.tessera.inventory.orders.OrderViews.HistoryEntry;
import dev.tessera.inventory.orders.OrderViews.ImportResult;
import dev.tessera.inventory.orders.OrderViews.LineRequest;
import dev.tessera.inventory.orders.OrderViews.LineView;
import dev.tessera.inventory.orders.OrderViews.PurchaseOrderRequest;
import dev.tessera.inventory.orders.OrderViews.PurchaseOrderView;
import dev.tessera.inventory.orders.OrderViews.ReceiptRequest;
import dev.tessera.inventory.orders.OrderViews.ReceiptView;
import dev.tessera.inventory.stock.StockLedger;
import dev.tessera.inventory.stock.StockState;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Purchase orders, their delivery schedules and receipts into stock. */
@ApplicationScoped
public class DeliveryBook {

    @Inject
    StockLedger ledger;

    @Inject
    Validator validator;

    /** A receipt and whether it was a replay of an earlier request with the same key. */
    public record ReceiptOutcome(ReceiptView receipt, boolean replayed) {
    }

    /**
     * The whole order is checked before anything is written, and every problem is reported in one answer: the
     * fields' own rules (Bean Validation) together with what needs the database (unknown chip models and sites,
     * deliveries beyond what the lines order). A reference already in use is a 409, once the order is otherwise valid.
     */
    @Transactional
    public PurchaseOrderView create(PurchaseOrderRequest body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<PurchaseOrderRequest> v : validator.validate(body)) {
            errors.add(new Problem.FieldError(ProblemMapper.fieldOf(v), v.getMessage()));
        }
        List<LineRequest> lineList = body.lines() == null ? List.of() : body.lines();
        List<DeliveryRequest> deliveries = body.deliveries() == null ? List.of() : body.deliveries();
        if (lineList.size() > OrderViews.MAX_LINES || deliveries.size() > OrderViews.MAX_DELIVERIES) {
            // refused for its size already: no database look-up for each of its lines
            throw ApiException.invalid(sorted(errors));
        }
        // Totals in long: a thousand lines of ten million chips each do not fit an int.
        Map<String, Long> ordered = new HashMap<>();
        // chip models with a line whose quantity is missing or invalid: their deliveries are not checked against it
        Set<String> uncounted = new java.util.HashSet<>();
        for (int i = 0; i < lineList.size(); i++) {
            LineRequest l = lineList.get(i);
            if (l == null || l.chip() == null || l.chip().isBlank()) {
                continue;
            }
            if (l.chip().length() <= ChipModel.ID_LENGTH && ChipModel.findById(l.chip()) == null) {
                errors.add(new Problem.FieldError("lines[" + i + "].chip", "unknown chip model '" + l.chip() + "'"));
            }
            if (validCount(l.quantity())) {
                ordered.merge(l.chip(), (long) l.quantity(), Long::sum);
            } else {
                ordered.putIfAbsent(l.chip(), 0L);
                uncounted.add(l.chip());
            }
        }
        Map<String, Long> scheduled = new HashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            DeliveryRequest d = deliveries.get(i);
            if (d == null) {
                continue;
            }
            if (d.chip() != null && !d.chip().isBlank()) {
                if (!ordered.containsKey(d.chip())) {
                    errors.add(new Problem.FieldError("deliveries[" + i + "].chip", "chip model '" + d.chip()
                            + "' is not on any line of this order"));
                } else if (validCount(d.quantity()) && !uncounted.contains(d.chip())
                        && scheduled.merge(d.chip(), (long) d.quantity(), Long::sum) > ordered.get(d.chip())) {
                    errors.add(new Problem.FieldError("deliveries[" + i + "].quantity", exceeds(d.chip(), ordered.get(d.chip()))));
                }
            }
            if (d.site() != null && !d.site().isBlank() && d.site().length() <= Site.ID_LENGTH && Site.findById(d.site()) == null) {
                errors.add(new Problem.FieldError("deliveries[" + i + "].site", "unknown site '" + d.site() + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(sorted(errors));
        }
        if (PurchaseOrder.count("reference", body.reference()) > 0) {
            throw ApiException.conflict("exists", "purchase order '" + body.reference() + "' already exists");
        }
        PurchaseOrder order = newOrder(body.supplier(), body.reference());
        List<LineView> lines = new ArrayList<>();
        for (LineRequest l : lineList) {
            lines.add(LineView.of(addLine(order.id, l.chip(), l.quantity(), l.unitPrice(), l.currency())));
        }
        List<DeliveryView> views = new ArrayList<>();
        for (DeliveryRequest d : deliveries) {
            views.add(DeliveryView.of(schedule(order.id, d.chip(), d.site(), d.quantity(), d.scheduledDate(),
                    DeliveryState.SCHEDULED), null));
        }
        return new PurchaseOrderView(order.id, order.supplier, order.reference, order.createdAt, lines, views);
    }

    public PurchaseOrderView order(long id) {
        PurchaseOrder order = PurchaseOrder.findById(id);
        if (order == null) {
            throw ApiException.notFound("purchase order", String.valueOf(id));
        }
        List<LineView> lines = PurchaseOrderLine.<PurchaseOrderLine>list("orderId", Sort.by("id"), id).stream()
                .map(LineView::of).toList();
        List<DeliveryView> deliveries = Delivery.<Delivery>list("orderId", Sort.by("id"), id).stream()
                .map(d -> DeliveryView.of(d, null)).toList();
        return new PurchaseOrderView(order.id, order.supplier, order.reference, order.createdAt, lines, deliveries);
    }

    public List<PurchaseOrderView> orders() {
        return PurchaseOrder.<PurchaseOrder>listAll(Sort.by("id")).stream().map(o -> order(o.id)).toList();
    }

    public List<DeliveryView> deliveries(String chip, DeliveryState state) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (chip != null && !chip.isBlank()) {
            ChipModel.require(chip);
            q.append(" and chipId = :chip");
            params.put("chip", chip);
        }
        if (state != null) {
            q.append(" and state = :state");
            params.put("state", state);
        }
        return Delivery.<Delivery>list(q.toString(), Sort.by("scheduledDate").and("id"), params).stream()
                .map(d -> DeliveryView.of(d, null)).toList();
    }

    public DeliveryView delivery(long id) {
        Delivery d = Delivery.findById(id);
        if (d == null) {
            throw ApiException.notFound("delivery", String.valueOf(id));
        }
        return DeliveryView.of(d, history(id));
    }

    /**
     * One receipt of a delivery, as its {@code POST} answered it; {@code deliveryState} and {@code remaining} are
     * the delivery's now, as in an idempotent replay.
     */
    public ReceiptView receipt(long deliveryId, long receiptId) {
        Delivery d = Delivery.findById(deliveryId);
        if (d == null) {
            throw ApiException.notFound("delivery", String.valueOf(deliveryId));
        }
        Receipt r = Receipt.findById(receiptId);
        if (r == null || r.deliveryId != deliveryId) {
            throw new ApiException(404, "not-found", "Not found", "delivery " + deliveryId + " has no receipt '"
                    + receiptId + "'", null);
        }
        return ReceiptView.of(r, d);
    }

    @Transactional
    public DeliveryView change(long id, DeliveryPatch patch) {
        if (patch.scheduledDate() == null && patch.state() == null) {
            throw ApiException.invalid("state", "give a new scheduledDate, a new state or both");
        }
        if (patch.state() == DeliveryState.RECEIVED) {
            throw ApiException.invalid("state", "RECEIVED is reached by posting receipts, not set");
        }
        Delivery d = lock(id);
        if (d.state.closed()) {
            throw ApiException.conflict("delivery-closed", "delivery " + id + " is " + d.state + " and can no longer change");
        }
        LocalDate date = patch.scheduledDate() != null ? patch.scheduledDate() : d.scheduledDate;
        DeliveryState state = patch.state() != null ? patch.state() : d.state;
        logChange(d, date, state, patch.note());
        d.scheduledDate = date;
        d.state = state;
        if (patch.note() != null) {
            d.note = patch.note();
        }
        d.updatedAt = Clocks.now();
        return DeliveryView.of(d, history(id));
    }

    @Transactional
    public ReceiptOutcome receive(long id, ReceiptRequest body, String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw ApiException.invalid("Idempotency-Key", "must be 1 to 255 characters");
        }
        // The delivery row lock serialises receipts of one delivery, retries with the same key included.
        Delivery d = lock(id);
        if (idempotencyKey != null) {
            Receipt earlier = Receipt.find("idempotencyKey", idempotencyKey).firstResult();
            if (earlier != null) {
                if (earlier.deliveryId != id || earlier.quantity != body.quantity()
                        || (body.site() != null && !body.site().equals(earlier.siteId))) {
                    throw ApiException.conflict("idempotency-key-reused", "Idempotency-Key '" + idempotencyKey
                            + "' was already used for a different receipt");
                }
                return new ReceiptOutcome(ReceiptView.of(earlier, d), true);
            }
        }
        String site = body.site() != null ? Site.requireIn("site", body.site()).id : d.siteId;
        if (d.state == DeliveryState.CANCELLED) {
            throw ApiException.conflict("delivery-closed", "delivery " + id + " is CANCELLED");
        }
        if (body.quantity() > d.remaining()) {
            throw ApiException.conflict("over-receipt", "delivery " + id + " still owes " + d.remaining()
                    + "; cannot receive " + body.quantity());
        }
        Receipt r = new Receipt();
        r.deliveryId = id;
        r.idempotencyKey = idempotencyKey;
        r.quantity = body.quantity();
        r.siteId = site;
        r.receivedAt = Clocks.now();
        r.persist();
        ledger.record(site, d.chipId, body.quantity(), null, StockState.WAREHOUSE, "receipt of delivery " + id, r.id);
        d.received += body.quantity();
        DeliveryState next = d.remaining() == 0 ? DeliveryState.RECEIVED : d.state;
        logChange(d, d.scheduledDate, next, "received " + body.quantity() + " at " + site);
        d.state = next;
        d.updatedAt = r.receivedAt;
        return new ReceiptOutcome(ReceiptView.of(r, d), false);
    }

    /**
     * CSV columns {@code reference,chip,quantity,scheduledDate,site}, optional {@code supplier,state}.
     * Rows join the order with that reference, and as in {@link #create} its deliveries of a chip
     * model may not add up to more than its lines order (deliveries cancelled count what they
     * brought; an order without any line is not checked). An unknown reference creates the order (its
     * supplier is then required), with one line per chip model holding what its rows schedule. All
     * rows or none.
     */
    @Transactional
    public ImportResult importCsv(String body) {
        CsvTable table = CsvTable.parse(body, Set.of("reference", "chip", "quantity", "scheduledDate", "site"));
        Set<String> chips = new java.util.HashSet<>(ChipModel.<ChipModel>listAll().stream().map(c -> c.id).toList());
        Set<String> sites = new java.util.HashSet<>(Site.<Site>listAll().stream().map(s -> s.id).toList());
        Map<String, Long> existing = new HashMap<>();
        // Per existing order and chip model: what its lines order, and what its deliveries and the rows so far schedule.
        Map<String, Map<String, Long>> ordered = new HashMap<>();
        Map<String, Map<String, Long>> scheduled = new HashMap<>();
        Map<String, String> newOrders = new LinkedHashMap<>();
        // Per new order: chip model -> units its rows schedule, which becomes the order line.
        Map<String, Map<String, Long>> newLines = new LinkedHashMap<>();
        record Planned(String reference, String chip, String site, int quantity, LocalDate date, DeliveryState state) {
        }
        List<Planned> planned = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            String reference = table.text(row, "reference", PurchaseOrder.REFERENCE_LENGTH, false);
            String supplier = table.text(row, "supplier", PurchaseOrder.SUPPLIER_LENGTH, true);
            String chip = table.required(row, "chip");
            if (chip != null && !chips.contains(chip)) {
                table.error(row, "chip", "unknown chip model '" + chip + "'");
                chip = null;
            }
            String site = table.required(row, "site");
            if (site != null && !sites.contains(site)) {
                table.error(row, "site", "unknown site '" + site + "'");
            }
            Integer quantity = table.chipCount(row, "quantity");
            LocalDate date = table.date(row, "scheduledDate");
            DeliveryState state = table.enumValue(row, "state", DeliveryState.class, true);
            if (state != null && state.closed()) {
                table.error(row, "state", "an imported delivery is SCHEDULED, SHIPPED or DELAYED");
            }
            if (reference != null && !existing.containsKey(reference) && !newOrders.containsKey(reference)) {
                // Locked, so a concurrent import into the same order cannot pass the same check.
                PurchaseOrder order = PurchaseOrder.<PurchaseOrder>find("reference", reference)
                        .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
                if (order != null) {
                    existing.put(reference, order.id);
                    ordered.put(reference, orderedPerChip(order.id));
                    scheduled.put(reference, scheduledPerChip(order.id));
                } else if (row.get("supplier") == null) {
                    table.error(row, "supplier", "purchase order '" + reference + "' does not exist; a supplier is needed to create it");
                } else if (supplier != null) {
                    newOrders.put(reference, supplier);
                    newLines.put(reference, new LinkedHashMap<>());
                }
            }
            // an order without lines (made by an import before imports gave orders lines) has nothing to check against
            if (chip != null && quantity != null && existing.containsKey(reference) && !ordered.get(reference).isEmpty()) {
                Long limit = ordered.get(reference).get(chip);
                if (limit == null) {
                    table.error(row, "chip", "chip model '" + chip + "' is not on any line of purchase order '"
                            + reference + "'");
                } else if (scheduled.get(reference).merge(chip, (long) quantity, Long::sum) > limit) {
                    table.error(row, "quantity", exceeds(chip, limit) + " on purchase order '" + reference + "'");
                }
            } else if (chip != null && quantity != null && newOrders.containsKey(reference)
                    && newLines.get(reference).merge(chip, (long) quantity, Long::sum) > ChipCount.MAX) {
                table.error(row, "quantity", "deliveries of '" + chip + "' on the new purchase order '" + reference
                        + "' add up to more than " + ChipCount.MAX + ", the most one order line holds");
            }
            planned.add(new Planned(reference, chip, site, quantity == null ? 0 : quantity, date,
                    state == null ? DeliveryState.SCHEDULED : state));
        }
        table.failIfErrors();
        newOrders.forEach((reference, supplier) -> {
            long id = newOrder(supplier, reference).id;
            existing.put(reference, id);
            newLines.get(reference).forEach((chip, quantity) -> addLine(id, chip, Math.toIntExact(quantity), null, null));
        });
        for (Planned p : planned) {
            schedule(existing.get(p.reference()), p.chip(), p.site(), p.quantity(), p.date(), p.state());
        }
        return new ImportResult(planned.size(), newOrders.size());
    }

    private static List<Problem.FieldError> sorted(List<Problem.FieldError> errors) {
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        return errors;
    }

    /** A chip count Bean Validation lets through; others are reported by it and not added up. */
    private static boolean validCount(Integer quantity) {
        return quantity != null && quantity > 0 && quantity <= ChipCount.MAX;
    }

    private static String exceeds(String chip, long ordered) {
        return "deliveries of '" + chip + "' exceed the " + ordered + " ordered";
    }

    private static Map<String, Long> orderedPerChip(long orderId) {
        Map<String, Long> out = new HashMap<>();
        for (PurchaseOrderLine l : PurchaseOrderLine.<PurchaseOrderLine>list("orderId", orderId)) {
            out.merge(l.chipId, (long) l.quantity, Long::sum);
        }
        return out;
    }

    /** Units the order's deliveries bring: a cancelled one only what was received before it was cancelled. */
    private static Map<String, Long> scheduledPerChip(long orderId) {
        Map<String, Long> out = new HashMap<>();
        for (Delivery d : Delivery.<Delivery>list("orderId", orderId)) {
            out.merge(d.chipId, (long) (d.state == DeliveryState.CANCELLED ? d.received : d.quantity), Long::sum);
        }
        return out;
    }

    private static PurchaseOrderLine addLine(long orderId, String chip, int quantity, BigDecimal unitPrice,
                                             String currency) {
        PurchaseOrderLine line = new PurchaseOrderLine();
        line.orderId = orderId;
        line.chipId = chip;
        line.quantity = quantity;
        line.unitPrice = unitPrice;
        line.currency = currency;
        line.persist();
        return line;
    }

    private PurchaseOrder newOrder(String supplier, String reference) {
        PurchaseOrder order = new PurchaseOrder();
        order.supplier = supplier;
        order.reference = reference;
        order.createdAt = Clocks.now();
        order.persist();
        return order;
    }

    private Delivery schedule(long orderId, String chip, String site, int quantity, LocalDate date, DeliveryState state) {
        Delivery d = new Delivery();
        d.orderId = orderId;
        d.chipId = chip;
        d.siteId = site;
        d.quantity = quantity;
        d.scheduledDate = date;
        d.state = state;
        d.updatedAt = Clocks.now();
        d.persist();
        DeliveryChange c = new DeliveryChange();
        c.deliveryId = d.id;
        c.changedAt = d.updatedAt;
        c.toDate = date;
        c.toState = state;
        c.note = "scheduled";
        c.persist();
        return d;
    }

    private Delivery lock(long id) {
        Delivery d = Delivery.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (d == null) {
            throw ApiException.notFound("delivery", String.valueOf(id));
        }
        return d;
    }

    private static void logChange(Delivery d, LocalDate date, DeliveryState state, String note) {
        DeliveryChange c = new DeliveryChange();
        c.deliveryId = d.id;
        c.changedAt = Clocks.now();
        c.fromDate = d.scheduledDate;
        c.toDate = date;
        c.fromState = d.state;
        c.toState = state;
        c.note = note;
        c.persist();
    }

    private static List<HistoryEntry> history(long id) {
        return DeliveryChange.<DeliveryChange>list("deliveryId", Sort.by("id"), id).stream()
                .map(HistoryEntry::of).toList();
    }
}
