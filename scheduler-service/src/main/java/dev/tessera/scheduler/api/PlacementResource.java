package dev.tessera.scheduler.api;

import dev.tessera.rest.Problem;
import dev.tessera.scheduler.api.Dtos.PlacementAnswer;
import dev.tessera.scheduler.api.Dtos.PlacementRequestDto;
import dev.tessera.scheduler.api.Dtos.ReplacementRequest;
import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.engine.Decision;
import dev.tessera.scheduler.engine.Placement;
import dev.tessera.scheduler.engine.PlacementRequest;
import dev.tessera.scheduler.inventory.AvailabilityCache;
import dev.tessera.scheduler.ledger.Ledger;
import dev.tessera.scheduler.ledger.LedgerService;
import dev.tessera.scheduler.ledger.LedgerUnsyncedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

@Path("/api/v1/placements")
@Produces(MediaType.APPLICATION_JSON)
public class PlacementResource {

    @Inject
    LedgerService ledgers;

    @Inject
    ChipCatalog catalog;

    @Inject
    AvailabilityCache availability;

    @Inject
    MeterRegistry registry;

    /** 201 with the placement, or 202 with why the job waits; the same job again answers the same placement. */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response place(@NotNull @Valid PlacementRequestDto body) {
        PlacementRequest request = Wire.request(body, catalog);
        String note = availability.degradedNote();
        Timer.Sample sample = Timer.start(registry);
        Decision d = ledgers.ledger().place(request, note == null ? List.of() : List.of(note));
        String state = d instanceof Decision.Placed ? "placed" : "pending";
        sample.stop(registry.timer("tessera.placement.duration", "state", state));
        if (d instanceof Decision.Placed placed) {
            return Response.created(UriBuilder.fromPath("/api/v1/placements/{jobId}").build(request.jobId()))
                    .entity(Wire.placed(placed.placement(), placed.preempted())).build();
        }
        return Response.accepted(Wire.pending((Decision.Pending) d)).build();
    }

    @RolesAllowed({Roles.VIEWER, Roles.PLANNER, Roles.ADMIN, Roles.OPERATOR})
    @GET
    @Path("/{jobId}")
    public PlacementAnswer get(@PathParam("jobId") String jobId) {
        Ledger ledger = ledgers.ledger();
        if (!ledger.synced()) {
            throw new LedgerUnsyncedException(); // a 404 would say the job holds nothing, which is not known yet
        }
        Placement p = ledger.placement(jobId)
                .orElseThrow(() -> ProblemException.notFound("No placement for job " + jobId + "."));
        return Wire.placed(p, ledger.preempted(jobId));
    }

    /** Releases the job's chips; 204 also when the job is unknown. */
    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("/{jobId}")
    public Response release(@PathParam("jobId") String jobId) {
        ledgers.ledger().release(jobId);
        return Response.noContent().build();
    }

    /** Moves one shard to another pool, or off some nodes; 409 when nothing can take it. */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{jobId}/replacements")
    @Consumes(MediaType.APPLICATION_JSON)
    public PlacementAnswer replace(@PathParam("jobId") String jobId, @NotNull @Valid ReplacementRequest body) {
        Ledger ledger = ledgers.ledger();
        if (!ledger.synced()) {
            throw new LedgerUnsyncedException();
        }
        Placement p = ledger.placement(jobId)
                .orElseThrow(() -> ProblemException.notFound("No placement for job " + jobId + "."));
        if (p.shards().stream().noneMatch(s -> s.index() == body.shard())) {
            throw ProblemException.validation(List.of(new Problem.FieldError("shard",
                    "job " + jobId + " has no shard " + body.shard())));
        }
        Optional<Placement> moved;
        try {
            moved = ledger.replace(jobId, body.shard(), body.avoidPools() == null ? List.of() : body.avoidPools(),
                    body.avoidNodes() == null ? List.of() : body.avoidNodes());
        } catch (NoSuchElementException e) {
            throw ProblemException.notFound(e.getMessage());
        }
        boolean offNodes = body.avoidNodes() != null && !body.avoidNodes().isEmpty();
        Placement m = moved.orElseThrow(() -> ProblemException.conflict("no-replacement",
                (offNodes ? "No other node" : "No other pool") + " can take shard " + body.shard() + " of job " + jobId + " now."));
        return Wire.placed(m, ledger.preempted(jobId));
    }
}
