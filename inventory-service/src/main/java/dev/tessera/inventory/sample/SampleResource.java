package dev.tessera.inventory.sample;

import jakarta.transaction.Transactional;
import dev.tessera.inventory.audit.AuditTrail;
import dev.tessera.inventory.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code curl -X POST localhost:8082/api/v1/sample-data} loads the sample fleet into an empty inventory. */
@Path("/api/v1/sample-data")
public class SampleResource {

    @Inject
    AuditTrail audit;

    @Inject
    SampleFleet fleet;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Transactional
    public Response load() {
        var summary = fleet.load();
        audit.record("sample-data.load", "sample fleet");
        return Response.status(201).entity(summary).build();
    }
}
