package dev.tessera.scheduler.api;

import dev.tessera.scheduler.api.Dtos.PoolView;
import dev.tessera.scheduler.api.Dtos.PoolsRequest;
import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.ledger.LedgerService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    @Inject
    LedgerService ledgers;

    @Inject
    ChipCatalog catalog;

    /** Replaces the pool snapshot; bookings on nodes that left stay until their jobs are released. */
    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public List<PoolView> put(@NotNull @Valid PoolsRequest request) {
        return Wire.poolViews(ledgers.ledger().putPools(Wire.pools(request.pools(), "pools", catalog)));
    }

    @RolesAllowed({Roles.VIEWER, Roles.PLANNER, Roles.ADMIN, Roles.OPERATOR})
    @GET
    public List<PoolView> get() {
        return Wire.poolViews(ledgers.ledger().snapshot());
    }
}
