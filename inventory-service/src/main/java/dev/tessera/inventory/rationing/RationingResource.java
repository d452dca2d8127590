package dev.tessera.inventory.rationing;

import dev.tessera.inventory.api.Clocks;
import dev.tessera.inventory.api.PlausibleDate;
import dev.tessera.inventory.audit.AuditTrail;
import dev.tessera.inventory.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.tessera.inventory.api.ApiException;
import dev.tessera.inventory.api.ChipCount;
import dev.tessera.inventory.api.LenientDate;
import dev.tessera.inventory.catalog.ChipModel;
import io.quarkus.panache.common.Sort;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Rationing: team quotas and reservations of chips over time. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RationingResource {

    @Inject
    AuditTrail audit;

    static final String TEAM_PATTERN = "[a-z0-9][a-z0-9-]{0,63}";

    @Inject
    EntityManager em;

    @Inject
    ReservationDesk desk;

    public record QuotaRequest(
            @NotBlank @Pattern(regexp = TEAM_PATTERN, message = "must be a lowercase team name such as llm-core") String team,
            @NotBlank @Size(max = 64) String chip,
            @NotNull @PositiveOrZero @Max(ChipCount.MAX) Integer quantity,
            @PlausibleDate @JsonDeserialize(using = LenientDate.class) LocalDate from,
            @PlausibleDate @JsonDeserialize(using = LenientDate.class) LocalDate to) {
    }

    public record QuotaView(long id, String team, String chip, int quantity, LocalDate from, LocalDate to) {
        public static QuotaView of(Quota q) {
            return new QuotaView(q.id, q.team, q.chipId, q.quantity, q.validFrom, q.validTo);
        }
    }

    public record ReservationRequest(
            @NotBlank @Pattern(regexp = TEAM_PATTERN, message = "must be a lowercase team name such as llm-core") String team,
            @NotBlank @Size(max = 64) String chip,
            @NotNull @Positive @Max(ChipCount.MAX) Integer quantity,
            @NotNull @PlausibleDate @JsonDeserialize(using = LenientDate.class) LocalDate from,
            @NotNull @PlausibleDate @JsonDeserialize(using = LenientDate.class) LocalDate to,
            @Size(max = 128) String jobId) {
    }

    public record ReservationView(long id, String team, String chip, int quantity, LocalDate from, LocalDate to,
                                  String jobId, Instant createdAt) {
        static ReservationView of(Reservation r) {
            return new ReservationView(r.id, r.team, r.chipId, r.quantity, r.starts, r.ends, r.jobId, r.createdAt);
        }
    }

    /** One quota per team and chip model at any time: overlapping periods are refused. */
    @POST
    @Path("/quotas")
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    public Response createQuota(@Valid @NotNull QuotaRequest body) {
        if (body.from() != null && body.to() != null && !body.to().isAfter(body.from())) {
            throw ApiException.invalid("to", "must be after from");
        }
        ChipModel.requireIn("chip", body.chip());
        // Serialise quota changes of one chip model so the overlap check cannot race.
        lockChip(body.chip());
        StringBuilder overlap = new StringBuilder("team = :team and chipId = :chip");
        Map<String, Object> params = new HashMap<>(Map.of("team", body.team(), "chip", body.chip()));
        if (body.from() != null) {
            overlap.append(" and (validTo is null or validTo > :from)");
            params.put("from", body.from());
        }
        if (body.to() != null) {
            overlap.append(" and (validFrom is null or validFrom < :to)");
            params.put("to", body.to());
        }
        long overlapping = Quota.count(overlap.toString(), params);
        if (overlapping > 0) {
            throw ApiException.conflict("quota-overlap", "team '" + body.team() + "' already has a quota of '"
                    + body.chip() + "' overlapping that period");
        }
        Quota q = new Quota();
        q.team = body.team();
        q.chipId = body.chip();
        q.quantity = body.quantity();
        q.validFrom = body.from();
        q.validTo = body.to();
        q.createdAt = Clocks.now();
        q.persist();
        audit.record("quota.create", String.valueOf(q.id));
        return Response.created(URI.create("/api/v1/quotas/" + q.id)).entity(QuotaView.of(q)).build();
    }

    @GET
    @Path("/quotas")
    @RolesAllowed(Roles.VIEWER)
    public List<QuotaView> quotas(@RestQuery String team, @RestQuery String chip) {
        return Quota.<Quota>list(filter(team, chip), Sort.by("team").and("chipId").and("id"), params(team, chip))
                .stream().map(QuotaView::of).toList();
    }

    @GET
    @Path("/quotas/{id}")
    @RolesAllowed(Roles.VIEWER)
    public QuotaView quota(@RestPath long id) {
        return QuotaView.of(ApiException.found(Quota.<Quota>findById(id), "quota", id));
    }

    @DELETE
    @Path("/quotas/{id}")
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    public Response deleteQuota(@RestPath long id) {
        if (Quota.deleteById(id)) {
            audit.record("quota.delete", String.valueOf(id));
        }
        return Response.noContent().build();
    }

    /**
     * Refused with 409 (nothing written) when, at any date of {@code [from, to)}, reservations would
     * exceed stock plus deliveries scheduled by then; {@link ReservationDesk} decides under the chip
     * model's row lock.
     */
    @POST
    @Path("/reservations")
    @RolesAllowed(Roles.PLANNER)
    public Response reserve(@Valid @NotNull ReservationRequest body) {
        if (!body.to().isAfter(body.from())) {
            throw ApiException.invalid("to", "must be after from");
        }
        Reservation r = desk.reserve(new ReservationDesk.Request(body.team(), body.chip(), body.quantity(),
                body.from(), body.to(), body.jobId()), audit.subject());
        return Response.created(URI.create("/api/v1/reservations/" + r.id)).entity(ReservationView.of(r)).build();
    }

    @GET
    @Path("/reservations")
    @RolesAllowed(Roles.VIEWER)
    public List<ReservationView> reservations(@RestQuery String team, @RestQuery String chip) {
        return Reservation.<Reservation>list(filter(team, chip), Sort.by("starts").and("id"), params(team, chip))
                .stream().map(ReservationView::of).toList();
    }

    @GET
    @Path("/reservations/{id}")
    @RolesAllowed(Roles.VIEWER)
    public ReservationView reservation(@RestPath long id) {
        return ReservationView.of(ApiException.found(Reservation.<Reservation>findById(id), "reservation", id));
    }

    /** Releases the chips; 204 also when already gone. */
    @DELETE
    @Path("/reservations/{id}")
    @Transactional
    @RolesAllowed(Roles.PLANNER)
    public Response release(@RestPath long id) {
        if (Reservation.deleteById(id)) {
            audit.record("reservation.release", String.valueOf(id));
        }
        return Response.noContent().build();
    }

    private void lockChip(String chip) {
        // FOR NO KEY UPDATE does not block inserts elsewhere that merely reference the chip model.
        em.createNativeQuery("select id from chip_model where id = ?1 for no key update")
                .setParameter(1, chip).getSingleResult();
    }

    private static String filter(String team, String chip) {
        StringBuilder q = new StringBuilder("1 = 1");
        if (team != null && !team.isBlank()) {
            q.append(" and team = :team");
        }
        if (chip != null && !chip.isBlank()) {
            ChipModel.require(chip);
            q.append(" and chipId = :chip");
        }
        return q.toString();
    }

    private static Map<String, Object> params(String team, String chip) {
        Map<String, Object> p = new HashMap<>();
        if (team != null && !team.isBlank()) {
            p.put("team", team);
        }
        if (chip != null && !chip.isBlank()) {
            p.put("chip", chip);
        }
        return p;
    }
}
