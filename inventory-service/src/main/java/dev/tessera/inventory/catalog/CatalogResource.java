package dev.tessera.inventory.catalog;

import dev.tessera.inventory.api.Clocks;
import jakarta.inject.Inject;
import dev.tessera.inventory.audit.AuditTrail;
import dev.tessera.inventory.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.tessera.inventory.api.ApiException;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

/** The chip models and sites the fleet knows. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CatalogResource {

    @Inject
    AuditTrail audit;

    static final String ID_PATTERN = "[a-z0-9][a-z0-9-]{0,63}";

    /** {@code h100Equivalent}: throughput of one chip relative to one H100 on large-model pretraining. */
    public record ChipModelRequest(
            @NotBlank @Pattern(regexp = ID_PATTERN, message = "must be a short lowercase id such as h800") String id,
            @NotBlank @Size(max = 128) String vendor,
            @NotBlank @Size(max = 256) String name,
            @NotNull @Positive @DecimalMax("1000") Double h100Equivalent) {
    }

    public record ChipModelView(String id, String vendor, String name, double h100Equivalent) {
        static ChipModelView of(ChipModel c) {
            return new ChipModelView(c.id, c.vendor, c.name, c.h100Equivalent);
        }
    }

    public record SiteRequest(
            @NotBlank @Pattern(regexp = ID_PATTERN, message = "must be a short lowercase id such as bj-dc1") String id,
            @NotBlank @Size(max = 256) String name,
            @NotNull Site.Kind kind) {
    }

    public record SiteView(String id, String name, Site.Kind kind) {
        static SiteView of(Site s) {
            return new SiteView(s.id, s.name, s.kind);
        }
    }

    @POST
    @Path("/chip-models")
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    public Response createChipModel(@Valid @NotNull ChipModelRequest body) {
        if (ChipModel.findById(body.id()) != null) {
            throw ApiException.conflict("exists", "chip model '" + body.id() + "' already exists");
        }
        ChipModel c = new ChipModel();
        c.id = body.id();
        c.vendor = body.vendor();
        c.name = body.name();
        c.h100Equivalent = body.h100Equivalent();
        c.createdAt = Clocks.now();
        c.persist();
        audit.record("chip-model.create", c.id);
        return Response.created(URI.create("/api/v1/chip-models/" + c.id)).entity(ChipModelView.of(c)).build();
    }

    @GET
    @Path("/chip-models")
    @RolesAllowed({Roles.VIEWER, Roles.SCHEDULER})
    public List<ChipModelView> chipModels() {
        return ChipModel.<ChipModel>listAll().stream()
                .sorted((a, b) -> a.id.compareTo(b.id)).map(ChipModelView::of).toList();
    }

    @GET
    @Path("/chip-models/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SCHEDULER})
    public ChipModelView chipModel(@RestPath String id) {
        return ChipModelView.of(ChipModel.require(id));
    }

    @POST
    @Path("/sites")
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    public Response createSite(@Valid @NotNull SiteRequest body) {
        if (Site.findById(body.id()) != null) {
            throw ApiException.conflict("exists", "site '" + body.id() + "' already exists");
        }
        Site s = new Site();
        s.id = body.id();
        s.name = body.name();
        s.kind = body.kind();
        s.createdAt = Clocks.now();
        s.persist();
        audit.record("site.create", s.id);
        return Response.created(URI.create("/api/v1/sites/" + s.id)).entity(SiteView.of(s)).build();
    }

    @GET
    @Path("/sites")
    @RolesAllowed(Roles.VIEWER)
    public List<SiteView> sites() {
        return Site.<Site>listAll().stream().sorted((a, b) -> a.id.compareTo(b.id)).map(SiteView::of).toList();
    }

    @GET
    @Path("/sites/{id}")
    @RolesAllowed(Roles.VIEWER)
    public SiteView site(@RestPath String id) {
        return SiteView.of(Site.require(id));
    }
}
