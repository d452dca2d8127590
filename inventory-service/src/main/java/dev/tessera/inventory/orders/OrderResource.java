package dev.tessera.inventory.orders;

import dev.tessera.inventory.api.CsvTable;
import jakarta.transaction.Transactional;
import dev.tessera.inventory.audit.AuditTrail;
import dev.tessera.inventory.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.tessera.inventory.orders.OrderViews.DeliveryPatch;
import dev.tessera.inventory.orders.OrderViews.DeliveryView;
import dev.tessera.inventory.orders.OrderViews.ImportResult;
import dev.tessera.inventory.orders.OrderViews.PurchaseOrderRequest;
import dev.tessera.inventory.orders.OrderViews.PurchaseOrderView;
import dev.tessera.inventory.orders.OrderViews.ReceiptRequest;
import dev.tessera.inventory.orders.OrderViews.ReceiptView;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    @Inject
    AuditTrail audit;

    @Inject
    DeliveryBook book;

    @POST
    @Path("/purchase-orders")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PLANNER)
    @Transactional
    public Response createOrder(@NotNull PurchaseOrderRequest body) {
        // not @Valid: DeliveryBook.create validates the fields together with what needs the database, in one answer
        PurchaseOrderView view = book.create(body);
        audit.record("purchase-order.create", String.valueOf(view.id()));
        return Response.created(URI.create("/api/v1/purchase-orders/" + view.id())).entity(view).build();
    }

    @GET
    @Path("/purchase-orders")
    @RolesAllowed(Roles.VIEWER)
    public List<PurchaseOrderView> orders() {
        return book.orders();
    }

    @GET
    @Path("/purchase-orders/{id}")
    @RolesAllowed(Roles.VIEWER)
    public PurchaseOrderView order(@RestPath long id) {
        return book.order(id);
    }

    @GET
    @Path("/deliveries")
    @RolesAllowed(Roles.VIEWER)
    public List<DeliveryView> deliveries(@RestQuery String chip, @RestQuery String state) {
        DeliveryState wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = DeliveryState.valueOf(state.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw dev.tessera.inventory.api.ApiException.invalid("state", "'" + state + "' is not one of "
                        + java.util.Arrays.toString(DeliveryState.values()));
            }
        }
        return book.deliveries(chip, wanted);
    }

    @GET
    @Path("/deliveries/{id}")
    @RolesAllowed(Roles.VIEWER)
    public DeliveryView delivery(@RestPath long id) {
        return book.delivery(id);
    }

    @PATCH
    @Path("/deliveries/{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @RolesAllowed(Roles.PLANNER)
    @Transactional
    public DeliveryView change(@RestPath long id, @Valid @NotNull DeliveryPatch body) {
        DeliveryView view = book.change(id, body);
        audit.record("delivery.change", String.valueOf(id));
        return view;
    }

    /** With an {@code Idempotency-Key}, a retry answers the first receipt (200) and counts nothing twice. */
    @POST
    @Path("/deliveries/{id}/receipts")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PLANNER)
    @Transactional
    public Response receive(@RestPath long id, @Valid @NotNull ReceiptRequest body,
                            @RestHeader("Idempotency-Key") String idempotencyKey) {
        DeliveryBook.ReceiptOutcome outcome = book.receive(id, body, idempotencyKey);
        if (outcome.replayed()) {
            // A replay changes nothing, so it records nothing.
            return Response.ok(outcome.receipt()).header("Idempotent-Replayed", "true").build();
        }
        audit.record("delivery.receive", id + "/receipts/" + outcome.receipt().id());
        return Response.created(URI.create("/api/v1/deliveries/" + id + "/receipts/" + outcome.receipt().id()))
                .entity(outcome.receipt()).build();
    }

    @GET
    @Path("/deliveries/{id}/receipts/{receiptId}")
    @RolesAllowed(Roles.VIEWER)
    public ReceiptView receipt(@RestPath long id, @RestPath long receiptId) {
        return book.receipt(id, receiptId);
    }

    @POST
    @Path("/deliveries/import")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @RolesAllowed(Roles.PLANNER)
    @Transactional
    public ImportResult importCsv(byte[] body) {
        ImportResult result = book.importCsv(CsvTable.utf8(body));
        audit.record("delivery.import", "csv");
        return result;
    }
}
