package dev.tessera.scheduler.api;

import dev.tessera.rest.Problem;
import dev.tessera.scheduler.api.Dtos.LedgerSyncAnswer;
import dev.tessera.scheduler.api.Dtos.LedgerSyncRequest;
import dev.tessera.scheduler.api.Dtos.LedgerView;
import dev.tessera.scheduler.api.Dtos.PlacementAnswer;
import dev.tessera.scheduler.api.Dtos.SyncedPlacement;
import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.engine.Placement;
import dev.tessera.scheduler.engine.PlacementEngine;
import dev.tessera.scheduler.engine.PlacementRequest;
import dev.tessera.scheduler.engine.Pool;
import dev.tessera.scheduler.ledger.Ledger;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The restart protocol: after a start the operator re-tells pools and bound placements in one step. */
@Path("/api/v1/ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {

    @Inject
    LedgerService ledgers;

    @Inject
    ChipCatalog catalog;

    @Inject
    PlacementEngine engine;

    @Inject
    Clock clock;

    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public LedgerSyncAnswer sync(@NotNull @Valid LedgerSyncRequest body) {
        List<Pool> pools = Wire.pools(body.pools(), "pools", catalog);
        List<Problem.FieldError> errors = new ArrayList<>();
        List<Placement> placements = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        long chips = 0;
        for (int i = 0; i < body.placements().size(); i++) {
            SyncedPlacement sp = body.placements().get(i);
            if (!ids.add(sp.jobId())) {
                errors.add(new Problem.FieldError("placements[" + i + "].jobId", "job '" + sp.jobId() + "' appears twice"));
                continue;
            }
            checkShards(sp, "placements[" + i + "]", errors);
            chips += sp.shards().stream().mapToLong(s -> s.chips()).sum();
            PlacementRequest r = Wire.request(sp, i, catalog, errors);
            placements.add(engine.rebalance(r, Wire.shards(sp.shards()),
                    List.of("Re-told by the operator after a scheduler restart.")));
        }
        if (chips > Dtos.MAX_FLEET_CHIPS) {
            // booked whether or not they fit (a conflict is still booked): the sum must stay far from int overflow
            errors.add(new Problem.FieldError("placements", "must hold at most " + Dtos.MAX_FLEET_CHIPS + " chips in all, not "
                    + chips));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        Ledger.SyncResult result = ledgers.ledger().sync(pools, placements, clock.instant());
        return new LedgerSyncAnswer("Synced", result.pools(), result.placements(), result.conflicts());
    }

    /**
     * What a bound shard must be for the ledger to book exactly what its workers hold: each index once,
     * {@code chipsPerShard} chips, on at least one node, each node named once with at least one chip, the nodes' shares
     * adding up to its chips; and minShards no more than wantedShards.
     */
    private static void checkShards(SyncedPlacement sp, String at, List<Problem.FieldError> errors) {
        if (sp.minShards() != null && sp.wantedShards() != null && sp.minShards() > sp.wantedShards()) {
            // both come from one spec, where minShards never exceeds shards
            errors.add(new Problem.FieldError(at + ".minShards", "must not exceed wantedShards (" + sp.wantedShards() + ")"));
        }
        Set<Integer> indexes = new HashSet<>();
        for (int j = 0; j < sp.shards().size(); j++) {
            Dtos.ShardDto shard = sp.shards().get(j);
            String here = at + ".shards[" + j + "]";
            if (!indexes.add(shard.index())) {
                errors.add(new Problem.FieldError(here + ".index", "shard " + shard.index() + " appears twice"));
            }
            if (!shard.chips().equals(sp.chipsPerShard())) {
                errors.add(new Problem.FieldError(here + ".chips", "must be chipsPerShard (" + sp.chipsPerShard() + "), not "
                        + shard.chips()));
            }
            if (shard.nodes().isEmpty()) {
                errors.add(new Problem.FieldError(here + ".nodes", "must name the nodes the shard's chips are on"));
                continue;
            }
            Set<String> nodes = new HashSet<>();
            for (int k = 0; k < shard.nodes().size(); k++) {
                String node = shard.nodes().get(k).name();
                if (!nodes.add(node)) {
                    errors.add(new Problem.FieldError(here + ".nodes[" + k + "].name", "node '" + node + "' appears twice"));
                }
                if (shard.nodes().get(k).chips() < 1) {
                    errors.add(new Problem.FieldError(here + ".nodes[" + k + "].chips",
                            "must be at least 1: a node the shard holds no chips on is not one of its nodes"));
                }
            }
            long onNodes = shard.nodes().stream().mapToLong(n -> n.chips()).sum();
            if (onNodes != shard.chips()) {
                errors.add(new Problem.FieldError(here + ".nodes", "the nodes hold " + onNodes + " chips, the shard "
                        + shard.chips()));
            }
        }
    }

    @RolesAllowed({Roles.VIEWER, Roles.PLANNER, Roles.ADMIN, Roles.OPERATOR})
    @GET
    public LedgerView get() {
        Ledger ledger = ledgers.ledger();
        List<PlacementAnswer> entries = ledger.snapshot().placements().stream()
                .map(p -> Wire.placed(p, ledger.preempted(p.jobId()))).toList();
        return new LedgerView(ledger.synced() ? "Synced" : "Unsynced",
                ledger.syncedAt() == null ? null : ledger.syncedAt().toString(), ledger.snapshot().pools().size(),
                entries.size(), entries);
    }
}
