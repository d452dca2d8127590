package dev.tessera.scheduler.api;

import dev.tessera.rest.Problem;
import dev.tessera.scheduler.api.Dtos.EstimateDto;
import dev.tessera.scheduler.api.Dtos.NodeShareDto;
import dev.tessera.scheduler.api.Dtos.NodeView;
import dev.tessera.scheduler.api.Dtos.PlacementAnswer;
import dev.tessera.scheduler.api.Dtos.PlacementRequestDto;
import dev.tessera.scheduler.api.Dtos.PoolDto;
import dev.tessera.scheduler.api.Dtos.PoolView;
import dev.tessera.scheduler.api.Dtos.ReasonDto;
import dev.tessera.scheduler.api.Dtos.ShardDto;
import dev.tessera.scheduler.api.Dtos.SyncedPlacement;
import dev.tessera.scheduler.api.Dtos.WorkloadDto;
import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.catalog.ChipModel;
import dev.tessera.scheduler.engine.ClusterSnapshot;
import dev.tessera.scheduler.engine.Communication;
import dev.tessera.scheduler.engine.Decision;
import dev.tessera.scheduler.engine.Estimate;
import dev.tessera.scheduler.engine.Mixing;
import dev.tessera.scheduler.engine.Node;
import dev.tessera.scheduler.engine.NodeShare;
import dev.tessera.scheduler.engine.Placement;
import dev.tessera.scheduler.engine.PlacementRequest;
import dev.tessera.scheduler.engine.Pool;
import dev.tessera.scheduler.engine.Shard;
import dev.tessera.scheduler.engine.Workload;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Converts between the wire records and the engine's types, with the checks Bean Validation cannot express. */
final class Wire {

    private Wire() {
    }

    static PlacementRequest request(PlacementRequestDto d, ChipCatalog catalog) {
        List<Problem.FieldError> errors = new ArrayList<>();
        int minShards = d.minShards() == null ? d.shards() : d.minShards();
        if (minShards > d.shards()) {
            errors.add(new Problem.FieldError("minShards", "must not exceed shards (" + d.shards() + ")"));
        }
        int tp = tensorParallel(d.tensorParallel(), d.chipsPerShard(), "tensorParallel", errors);
        List<String> allowed = chips(d.allowedChips(), "allowedChips", catalog, errors);
        List<String> preferred = preferred(d.preferredChips(), allowed, "", catalog, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new PlacementRequest(d.jobId(), d.queue(), d.priority() == null ? 0 : d.priority(), d.shards(), minShards,
                d.chipsPerShard(), tp, allowed, preferred, mixing(d.mixing()), workload(d.workload()));
    }

    static int tensorParallel(Integer given, int chipsPerShard, String field, List<Problem.FieldError> errors) {
        int tp = given == null ? Math.min(chipsPerShard, 8) : given;
        if (chipsPerShard % tp != 0) {
            errors.add(new Problem.FieldError(field, "must divide chipsPerShard (" + chipsPerShard + ")"));
            return 1;
        }
        return tp;
    }

    /** The preferred chip models as catalog ids; each must be known, and among the allowed ones when those are limited. */
    private static List<String> preferred(List<String> ids, List<String> allowed, String prefix, ChipCatalog catalog,
            List<Problem.FieldError> errors) {
        List<String> out = new ArrayList<>();
        for (int i = 0; ids != null && i < ids.size(); i++) {
            ChipModel m = catalog.resolve(ids.get(i)).orElse(null);
            String field = prefix + "preferredChips[" + i + "]";
            if (m == null) {
                errors.add(new Problem.FieldError(field, "unknown chip model '" + ids.get(i) + "'"));
            } else if (!allowed.isEmpty() && !allowed.contains(m.id())) {
                errors.add(new Problem.FieldError(field, "is not among allowedChips"));
            } else if (!out.contains(m.id())) {
                out.add(m.id());
            }
        }
        return out;
    }

    private static List<String> chips(List<String> ids, String field, ChipCatalog catalog, List<Problem.FieldError> errors) {
        List<String> out = new ArrayList<>();
        if (ids == null) {
            return out;
        }
        for (int i = 0; i < ids.size(); i++) {
            ChipModel m = catalog.resolve(ids.get(i)).orElse(null);
            if (m == null) {
                errors.add(new Problem.FieldError(field + "[" + i + "]", "unknown chip model '" + ids.get(i) + "'"));
            } else if (!out.contains(m.id())) {
                out.add(m.id());
            }
        }
        return out;
    }

    static Mixing mixing(String m) {
        return "SingleType".equals(m) ? Mixing.SINGLE_TYPE : Mixing.ALLOWED;
    }

    static String mixing(Mixing m) {
        return m == Mixing.SINGLE_TYPE ? "SingleType" : "Allowed";
    }

    static Workload workload(WorkloadDto w) {
        if (w == null) {
            return new Workload(null, Communication.MEDIUM, 0, 0);
        }
        Communication c = w.communication() == null ? Communication.MEDIUM
                : Communication.valueOf(w.communication().toUpperCase(Locale.ROOT));
        return new Workload(w.profile(), c, w.parametersBillions() == null ? 0 : w.parametersBillions(),
                w.totalSteps() == null ? 0 : w.totalSteps());
    }

    static WorkloadDto workload(Workload w) {
        String c = w.communication().name().charAt(0) + w.communication().name().substring(1).toLowerCase(Locale.ROOT);
        return new WorkloadDto(w.profile(), c, w.parametersBillions(), w.totalSteps());
    }

    /** Pools as the operator sends them; chips may be given by id or by a node-label alias. */
    static List<Pool> pools(List<PoolDto> dtos, String prefix, ChipCatalog catalog) {
        List<Problem.FieldError> errors = new ArrayList<>();
        List<Pool> pools = new ArrayList<>();
        Set<String> poolNames = new HashSet<>();
        Set<String> nodeNames = new HashSet<>();
        long chips = 0;
        for (int i = 0; i < dtos.size(); i++) {
            PoolDto p = dtos.get(i);
            String at = prefix + "[" + i + "]";
            ChipModel m = catalog.resolve(p.chip()).orElse(null);
            if (m == null) {
                errors.add(new Problem.FieldError(at + ".chip", "unknown chip model '" + p.chip() + "'"));
            }
            if (!poolNames.add(p.name())) {
                errors.add(new Problem.FieldError(at + ".name", "pool '" + p.name() + "' appears twice"));
            }
            List<Node> nodes = new ArrayList<>();
            for (int j = 0; j < p.nodes().size(); j++) {
                var n = p.nodes().get(j);
                if (!nodeNames.add(n.name())) {
                    errors.add(new Problem.FieldError(at + ".nodes[" + j + "].name", "node '" + n.name() + "' appears twice"));
                }
                nodes.add(new Node(n.name(), n.chips()));
                chips += n.chips();
            }
            pools.add(new Pool(p.name(), m == null ? p.chip() : m.id(), nodes));
        }
        if (chips > Dtos.MAX_FLEET_CHIPS) {
            errors.add(new Problem.FieldError(prefix, "must hold at most " + Dtos.MAX_FLEET_CHIPS + " chips in all, not " + chips));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return pools;
    }

    static List<PoolView> poolViews(ClusterSnapshot s) {
        List<PoolView> out = new ArrayList<>();
        for (Pool p : s.pools()) {
            List<NodeView> nodes = new ArrayList<>();
            int cap = 0;
            int alloc = 0;
            int free = 0;
            for (Node n : p.nodes()) {
                int a = s.allocated(n.name());
                nodes.add(new NodeView(n.name(), n.chips(), a));
                cap += n.chips();
                alloc += a;
                free += s.free(n.name());
            }
            out.add(new PoolView(p.name(), p.chip(), nodes, cap, alloc, free));
        }
        return out;
    }

    /**
     * A synced placement back into the ledger's form; the request is rebuilt from what the operator knows. Allowed and
     * preferred chip models are read as in {@code POST /placements} (aliases become ids, unknown ones are refused), so
     * a later replacement follows the same rules.
     */
    static PlacementRequest request(SyncedPlacement d, int index, ChipCatalog catalog, List<Problem.FieldError> errors) {
        int count = d.shards().size();
        int wanted = d.wantedShards() == null ? count : Math.max(count, d.wantedShards());
        int min = d.minShards() == null ? count : Math.min(d.minShards(), wanted);
        String at = "placements[" + index + "].";
        int tp = tensorParallel(d.tensorParallel(), d.chipsPerShard(), at + "tensorParallel", errors);
        List<String> allowed = chips(d.allowedChips(), at + "allowedChips", catalog, errors);
        List<String> preferred = preferred(d.preferredChips(), allowed, at, catalog, errors);
        Set<String> chips = new HashSet<>();
        d.shards().forEach(s -> chips.add(s.chip()));
        // without the job's spec, a placement on one chip model keeps to it when a shard moves
        Mixing mixing = d.mixing() != null ? mixing(d.mixing()) : chips.size() > 1 ? Mixing.ALLOWED : Mixing.SINGLE_TYPE;
        return new PlacementRequest(d.jobId(), d.queue(), d.priority() == null ? 0 : d.priority(), wanted, min,
                d.chipsPerShard(), tp, allowed, preferred, mixing, workload(d.workload()));
    }

    static List<Shard> shards(List<ShardDto> dtos) {
        List<Shard> out = new ArrayList<>();
        for (ShardDto s : dtos) {
            List<NodeShare> nodes = new ArrayList<>();
            s.nodes().forEach(n -> nodes.add(new NodeShare(n.name(), n.chips())));
            out.add(new Shard(s.index(), s.pool(), s.chip(), s.chips(), nodes, s.batchShare() == null ? 0 : s.batchShare()));
        }
        return out;
    }

    static PlacementAnswer placed(Placement p, List<String> preempted) {
        List<ShardDto> shards = new ArrayList<>();
        for (Shard s : p.shards()) {
            List<NodeShareDto> nodes = new ArrayList<>();
            s.nodes().forEach(n -> nodes.add(new NodeShareDto(n.name(), n.chips())));
            shards.add(new ShardDto(s.index(), s.pool(), s.chip(), s.chips(), nodes, round(s.batchShare())));
        }
        Estimate e = p.estimate();
        return new PlacementAnswer(p.jobId(), "Placed", shards, new EstimateDto(round(e.stepsPerSecond()), round(e.h100Equivalent())),
                preempted, p.explanation(), null, null);
    }

    static PlacementAnswer pending(Decision.Pending p) {
        List<ReasonDto> reasons = p.reasons().stream().map(r -> new ReasonDto(r.reason(), r.message())).toList();
        return new PlacementAnswer(p.jobId(), "Pending", null, null, null, null, reasons, p.earliestStart());
    }

    /** Six significant digits: enough for any user, and stable across repeated answers. */
    private static double round(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return 0;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }
}
