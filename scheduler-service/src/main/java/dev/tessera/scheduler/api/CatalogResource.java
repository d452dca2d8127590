package dev.tessera.scheduler.api;

import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.catalog.ChipModel;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    @Inject
    ChipCatalog catalog;

    /** The chip models with their figures, how sure each is, resource names and aliases. */
    @RolesAllowed({Roles.VIEWER, Roles.PLANNER, Roles.ADMIN, Roles.OPERATOR})
    @GET
    public List<ChipModel> catalog() {
        return catalog.models();
    }
}
