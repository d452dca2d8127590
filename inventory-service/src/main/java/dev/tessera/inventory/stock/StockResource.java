package dev.tessera.inventory.stock;

import dev.tessera.inventory.audit.AuditTrail;
import dev.tessera.inventory.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.tessera.inventory.api.ApiException;
import dev.tessera.inventory.api.CsvTable;
import dev.tessera.inventory.api.QueryParams;
import dev.tessera.inventory.api.ChipCount;
import dev.tessera.inventory.catalog.ChipModel;
import dev.tessera.inventory.catalog.Site;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1/stock")
@Produces(MediaType.APPLICATION_JSON)
public class StockResource {

    @Inject
    AuditTrail audit;

    @Inject
    StockLedger ledger;

    @Inject
    StockImport importer;

    /** A null {@code from} brings units onto the books (audit correction); a null {@code to} takes them off. */
    public record MovementRequest(
            @NotBlank @Size(max = 64) String site,
            @NotBlank @Size(max = 64) String chip,
            @NotNull @Positive @Max(ChipCount.MAX) Integer quantity,
            StockState from,
            StockState to,
            @Size(max = 1000) String note) {
    }

    public record MovementView(long id, String site, String chip, int quantity, StockState from, StockState to,
                               String note, Long receiptId, Instant createdAt) {
        static MovementView of(StockMovement m) {
            return new MovementView(m.id, m.siteId, m.chipId, m.quantity, m.fromState, m.toState, m.note,
                    m.receiptId, m.createdAt);
        }
    }

    @POST
    @Path("/movements")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    public Response move(@Valid @NotNull MovementRequest body) {
        if (body.from() == null && body.to() == null) {
            throw ApiException.invalid("to", "a movement needs a from or a to state");
        }
        if (body.from() == body.to()) {
            throw ApiException.invalid("to", "from and to are the same state");
        }
        Site.requireIn("site", body.site());
        ChipModel.requireIn("chip", body.chip());
        StockMovement m = ledger.record(body.site(), body.chip(), body.quantity(), body.from(), body.to(), body.note(), null);
        audit.record("stock.move", String.valueOf(m.id));
        return Response.created(URI.create("/api/v1/stock/movements/" + m.id)).entity(MovementView.of(m)).build();
    }

    @GET
    @Path("/movements")
    @RolesAllowed(Roles.VIEWER)
    public List<MovementView> movements(@RestQuery String chip, @RestQuery String site,
                                        @RestQuery("limit") String limitParam) {
        int limit = QueryParams.integer("limit", limitParam, 100, 1, 1000);
        checkFilters(chip, site);
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (chip != null) {
            query.append(" and chipId = :chip");
            params.put("chip", chip);
        }
        if (site != null) {
            query.append(" and siteId = :site");
            params.put("site", site);
        }
        return StockMovement.<StockMovement>find(query.toString(), Sort.descending("id"), params)
                .page(Page.ofSize(limit)).list().stream().map(MovementView::of).toList();
    }

    @GET
    @Path("/movements/{id}")
    @RolesAllowed(Roles.VIEWER)
    public MovementView movement(@RestPath long id) {
        return MovementView.of(ApiException.found(StockMovement.<StockMovement>findById(id), "stock movement", id));
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<StockLedger.Balance> stock(@RestQuery String chip, @RestQuery String site) {
        checkFilters(chip, site);
        return ledger.balances(blankToNull(chip), blankToNull(site));
    }

    /** CSV columns {@code site,chip,quantity,to} (or {@code state}), optional {@code from,note}; all rows or none. */
    @POST
    @Path("/import")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    public StockImport.Result importCsv(byte[] body) {
        StockImport.Result result = importer.importCsv(CsvTable.utf8(body));
        audit.record("stock.import", "csv");
        return result;
    }

    private static void checkFilters(String chip, String site) {
        if (blankToNull(chip) != null) {
            ChipModel.require(chip);
        }
        if (blankToNull(site) != null) {
            Site.require(site);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
