package dev.tessera.inventory.orders;

import dev.tessera.inventory.orders.OrderViews.DeliveryPatch;
import dev.tessera.inventory.orders.OrderViews.DeliveryView;
import dev.tessera.inventory.orders.OrderViews.ImportResult;
import dev.tessera.inventory.orders.OrderViews.PurchaseOrderRequest;
import dev.tessera.inventory.orders.OrderViews.PurchaseOrderView;
import dev.tessera.inventory.orders.OrderViews.ReceiptRequest;
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
    DeliveryBook book;

    @POST
    @Path("/purchase-orders")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createOrder(@Valid @NotNull PurchaseOrderRequest body) {
        PurchaseOrderView view = book.create(body);
        return Response.created(URI.create("/api/v1/purchase-orders/" + view.id())).entity(view).build();
    }

    @GET
    @Path("/purchase-orders")
    public List<PurchaseOrderView> orders() {
        return book.orders();
    }

    @GET
    @Path("/purchase-orders/{id}")
    public PurchaseOrderView order(@RestPath long id) {
        return book.order(id);
    }

    @GET
    @Path("/deliveries")
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
    public DeliveryView delivery(@RestPath long id) {
        return book.delivery(id);
    }

    @PATCH
    @Path("/deliveries/{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public DeliveryView change(@RestPath long id, @Valid @NotNull DeliveryPatch body) {
        return book.change(id, body);
    }

    /** With an {@code Idempotency-Key}, a retry answers the first receipt (200) and counts nothing twice. */
    @POST
    @Path("/deliveries/{id}/receipts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response receive(@RestPath long id, @Valid @NotNull ReceiptRequest body,
                            @RestHeader("Idempotency-Key") String idempotencyKey) {
        DeliveryBook.ReceiptOutcome outcome = book.receive(id, body, idempotencyKey);
        if (outcome.replayed()) {
            return Response.ok(outcome.receipt()).header("Idempotent-Replayed", "true").build();
        }
        return Response.created(URI.create("/api/v1/deliveries/" + id + "/receipts/" + outcome.receipt().id()))
                .entity(outcome.receipt()).build();
    }

    @POST
    @Path("/deliveries/import")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    public ImportResult importCsv(String body) {
        return book.importCsv(body);
    }
}
