package dev.tessera.operator.scheduler;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.tessera.operator.scheduler.SchedulerDtos.LedgerSync;
import dev.tessera.operator.scheduler.SchedulerDtos.PlacementRequest;
import dev.tessera.operator.scheduler.SchedulerDtos.PoolsSnapshot;
import dev.tessera.operator.scheduler.SchedulerDtos.ReplacementRequest;

/** The scheduler-service REST API; answers are read raw because 201, 202 and 503 all carry meaning. */
@RegisterRestClient(configKey = "scheduler")
@RegisterProvider(SchedulerTokenFilter.class)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface SchedulerApi {
    @POST
    @Path("/placements")
    Response place(PlacementRequest request);

    @DELETE
    @Path("/placements/{jobId}")
    Response release(@PathParam("jobId") String jobId);

    @POST
    @Path("/placements/{jobId}/replacements")
    Response replace(@PathParam("jobId") String jobId, ReplacementRequest request);

    @PUT
    @Path("/pools")
    Response putPools(PoolsSnapshot snapshot);

    @PUT
    @Path("/ledger")
    Response syncLedger(LedgerSync sync);

    @GET
    @Path("/catalog")
    Response catalog();
}
