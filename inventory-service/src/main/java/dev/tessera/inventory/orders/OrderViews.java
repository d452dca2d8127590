package dev.tessera.inventory.orders;

import dev.tessera.inventory.api.ChipCount;
import dev.tessera.inventory.api.PlausibleDate;
import dev.tessera.inventory.catalog.ChipModel;
import dev.tessera.inventory.catalog.Site;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Request and answer shapes of purchase orders, deliveries and receipts. */
public final class OrderViews {

    private OrderViews() {
    }

    /** The most lines and deliveries one order may carry. */
    public static final int MAX_LINES = 1000;
    public static final int MAX_DELIVERIES = 10000;

    public record PurchaseOrderRequest(
            @NotBlank @Size(max = PurchaseOrder.SUPPLIER_LENGTH) String supplier,
            @NotBlank @Size(max = PurchaseOrder.REFERENCE_LENGTH) String reference,
            @NotEmpty @Size(max = MAX_LINES) List<@Valid @NotNull LineRequest> lines,
            @Size(max = MAX_DELIVERIES) List<@Valid @NotNull DeliveryRequest> deliveries) {
    }

    public record LineRequest(
            @NotBlank @Size(max = ChipModel.ID_LENGTH) String chip,
            @NotNull @Positive @Max(ChipCount.MAX) Integer quantity,
            // The column is numeric(16, 2): anything else would be stored other than it was sent.
            @NotNull @PositiveOrZero @Digits(integer = 14, fraction = 2) BigDecimal unitPrice,
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency) {
    }

    public record DeliveryRequest(
            @NotBlank @Size(max = ChipModel.ID_LENGTH) String chip,
            @NotNull @Positive @Max(ChipCount.MAX) Integer quantity,
            @NotNull @PlausibleDate LocalDate scheduledDate,
            @NotBlank @Size(max = Site.ID_LENGTH) String site) {
    }

    /** Any of the fields; {@code state} may be SCHEDULED, SHIPPED, DELAYED or CANCELLED. */
    public record DeliveryPatch(@PlausibleDate LocalDate scheduledDate, DeliveryState state, @Size(max = 1000) String note) {
    }

    public record ReceiptRequest(@NotNull @Positive @Max(ChipCount.MAX) Integer quantity, @Size(max = 64) String site) {
    }

    public record LineView(long id, String chip, int quantity, BigDecimal unitPrice, String currency) {
        static LineView of(PurchaseOrderLine l) {
            return new LineView(l.id, l.chipId, l.quantity, l.unitPrice, l.currency);
        }
    }

    public record PurchaseOrderView(long id, String supplier, String reference, Instant createdAt,
                                    List<LineView> lines, List<DeliveryView> deliveries) {
    }

    public record HistoryEntry(Instant changedAt, LocalDate fromDate, LocalDate toDate, DeliveryState fromState,
                               DeliveryState toState, String note) {
        static HistoryEntry of(DeliveryChange c) {
            return new HistoryEntry(c.changedAt, c.fromDate, c.toDate, c.fromState, c.toState, c.note);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(long id, long orderId, String chip, String site, int quantity, int received,
                               int remaining, LocalDate scheduledDate, DeliveryState state, String note,
                               List<HistoryEntry> history) {
        static DeliveryView of(Delivery d, List<HistoryEntry> history) {
            return new DeliveryView(d.id, d.orderId, d.chipId, d.siteId, d.quantity, d.received, d.remaining(),
                    d.scheduledDate, d.state, d.note, history);
        }
    }

    public record ReceiptView(long id, long deliveryId, int quantity, String site, Instant receivedAt,
                              String idempotencyKey, DeliveryState deliveryState, int remaining) {
        static ReceiptView of(Receipt r, Delivery d) {
            return new ReceiptView(r.id, r.deliveryId, r.quantity, r.siteId, r.receivedAt, r.idempotencyKey,
                    d.state, d.remaining());
        }
    }

    public record ImportResult(int imported, int ordersCreated) {
    }
}
