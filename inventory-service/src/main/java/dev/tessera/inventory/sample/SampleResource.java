package dev.tessera.inventory.sample;

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
    SampleFleet fleet;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response load() {
        return Response.status(201).entity(fleet.load()).build();
    }
}
