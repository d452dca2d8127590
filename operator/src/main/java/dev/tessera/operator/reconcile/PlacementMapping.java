package dev.tessera.operator.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.tessera.operator.api.Estimate;
import dev.tessera.operator.api.PlacementStatus;
import dev.tessera.operator.api.ShardPlacement;
import dev.tessera.operator.api.TrainingJob;
import dev.tessera.operator.api.TrainingJobSpec;
import dev.tessera.operator.scheduler.SchedulerDtos.BoundPlacement;
import dev.tessera.operator.scheduler.SchedulerDtos.NodeChips;
import dev.tessera.operator.scheduler.SchedulerDtos.PlacementAnswer;
import dev.tessera.operator.scheduler.SchedulerDtos.PlacementRequest;
import dev.tessera.operator.scheduler.SchedulerDtos.ShardDto;
import dev.tessera.operator.scheduler.SchedulerDtos.WorkloadDto;

/** Converts between a TrainingJob and the scheduler's placement messages. */
public final class PlacementMapping {
    private PlacementMapping() {
    }

    public static PlacementRequest request(TrainingJob job) {
        TrainingJobSpec s = job.getSpec();
        return new PlacementRequest(job.getMetadata().getUid(), job.getMetadata().getNamespace(),
                job.getMetadata().getName(), s.getQueue() == null ? "default" : s.getQueue(), s.getPriority(),
                s.getShards(), s.effectiveMinShards(), s.getChipsPerShard(), s.effectiveTensorParallel(),
                allowed(s), preferred(s), mixing(s), workload(s));
    }

    private static List<String> allowed(TrainingJobSpec s) {
        return s.getChips() == null ? List.of() : List.copyOf(s.getChips().getAllowed());
    }

    private static List<String> preferred(TrainingJobSpec s) {
        return s.getChips() == null ? List.of() : List.copyOf(s.getChips().getPreferred());
    }

    private static String mixing(TrainingJobSpec s) {
        return s.getChips() == null ? "Allowed" : s.getChips().getMixing().name();
    }

    static WorkloadDto workload(TrainingJobSpec s) {
        var w = s.getWorkload();
        if (w == null) {
            return new WorkloadDto(null, "Medium", null, null);
        }
        return new WorkloadDto(w.getProfile(), w.getCommunication() == null ? "Medium" : w.getCommunication().name(),
                w.getParametersBillions(), w.getTotalSteps());
    }

    public static PlacementStatus toStatus(PlacementAnswer answer, TrainingJobSpec spec, Instant now) {
        PlacementStatus p = new PlacementStatus();
        for (ShardDto shard : answer.shards()) {
            ShardPlacement sp = new ShardPlacement();
            sp.setIndex(shard.index());
            sp.setPool(shard.pool());
            sp.setChip(shard.chip());
            sp.setChips(shard.chips());
            sp.setNodes(new ArrayList<>(shard.nodes().stream().map(NodeChips::name).toList()));
            sp.setNodeChips(new ArrayList<>(shard.nodes().stream().map(NodeChips::chips).toList()));
            sp.setBatchShare(shard.batchShare());
            p.getShards().add(sp);
        }
        p.getShards().sort((a, b) -> Integer.compare(a.getIndex(), b.getIndex()));
        if (answer.estimate() != null) {
            Estimate e = new Estimate();
            e.setStepsPerSecond(answer.estimate().stepsPerSecond());
            e.setH100Equivalent(answer.estimate().h100Equivalent());
            Long steps = spec.getWorkload() == null ? null : spec.getWorkload().getTotalSteps();
            Double sps = answer.estimate().stepsPerSecond();
            if (steps != null && sps != null && sps > 0) {
                double seconds = Math.ceil(steps / sps);
                // past the year 9999 no RFC 3339 time can say it (Instant would print "+56161-05-18T..."): no estimate
                if (seconds < LATEST_ESTIMATE.getEpochSecond() - now.getEpochSecond()) {
                    e.setCompletionTime(now.plusSeconds((long) seconds).truncatedTo(ChronoUnit.SECONDS).toString());
                }
            }
            p.setEstimate(e);
        }
        if (answer.explanation() != null) {
            p.setExplanation(new ArrayList<>(answer.explanation()));
        }
        return p;
    }

    /** What the scheduler needs to re-book a job's chips after it restarted. */
    public static BoundPlacement bound(TrainingJob job) {
        TrainingJobSpec s = job.getSpec();
        List<ShardDto> shards = new ArrayList<>();
        for (ShardPlacement sp : job.getStatus().getPlacement().getShards()) {
            shards.add(new ShardDto(sp.getIndex(), sp.getPool(), sp.getChip(), sp.getChips(), nodeChips(sp),
                    sp.getBatchShare()));
        }
        return new BoundPlacement(job.getMetadata().getUid(), job.getMetadata().getNamespace(),
                job.getMetadata().getName(), s.getQueue(), s.getPriority(), s.getChipsPerShard(),
                s.effectiveTensorParallel(), s.getShards(), s.effectiveMinShards(), allowed(s), preferred(s), mixing(s),
                workload(s), shards);
    }

    /**
     * The chips on each of a shard's nodes, as its status records them; a status without the per-node
     * counts (or with fewer than nodes) has the shard's chips spread evenly, the remainder on the first
     * nodes, so the nodes always add up to the shard.
     */
    static List<NodeChips> nodeChips(ShardPlacement sp) {
        List<NodeChips> nodes = new ArrayList<>();
        int n = sp.getNodes().size();
        if (sp.getNodeChips().size() == n) {
            for (int i = 0; i < n; i++) {
                nodes.add(new NodeChips(sp.getNodes().get(i), sp.getNodeChips().get(i)));
            }
            return nodes;
        }
        for (int i = 0; i < n; i++) {
            nodes.add(new NodeChips(sp.getNodes().get(i), sp.getChips() / n + (i < sp.getChips() % n ? 1 : 0)));
        }
        return nodes;
    }

    /**
     * Why a placement answer cannot be for this spec, or {@code null} when it can: the scheduler answers a
     * job's booked placement whatever the request, so one booked for an earlier spec (by a pass whose
     * status write was lost) comes back with another shard count or shard size.
     */
    public static String mismatch(PlacementAnswer answer, TrainingJobSpec spec) {
        int shards = answer.shards() == null ? 0 : answer.shards().size();
        if (shards < spec.effectiveMinShards() || shards > spec.getShards()) {
            return shards + " shards where the spec wants " + spec.effectiveMinShards() + " to " + spec.getShards();
        }
        for (ShardDto shard : answer.shards()) {
            if (shard.chips() != spec.getChipsPerShard()) {
                return "shard " + shard.index() + " holds " + shard.chips() + " chips where the spec wants "
                        + spec.getChipsPerShard();
            }
        }
        return null;
    }

    /** Digest of the spec fields a placement depends on; when it changes, the job is placed again. */
    public static String signature(TrainingJobSpec s) {
        StringBuilder b = new StringBuilder();
        b.append(s.getQueue()).append('|').append(s.getShards()).append('|').append(s.effectiveMinShards()).append('|')
                .append(s.getChipsPerShard()).append('|').append(s.effectiveTensorParallel()).append('|');
        if (s.getChips() != null) {
            b.append(s.getChips().getAllowed()).append('|').append(s.getChips().getPreferred()).append('|')
                    .append(s.getChips().getMixing());
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "h800:320,ascend-910b:192" for the printer column, chip models in name order. */
    public static String chipsSummary(PlacementStatus placement) {
        if (placement == null || placement.getShards().isEmpty()) {
            return null;
        }
        Map<String, Integer> byChip = new TreeMap<>();
        placement.getShards().forEach(s -> byChip.merge(s.getChip(), s.getChips(), Integer::sum));
        StringBuilder b = new StringBuilder();
        byChip.forEach((chip, n) -> b.append(b.length() == 0 ? "" : ",").append(chip).append(':').append(n));
        return b.toString();
    }

    /** "16 shards on h800 (10), ascend-910b (6)" for the Placed condition. */
    /** The latest completion time an RFC 3339 date-time can state. */
    static final java.time.Instant LATEST_ESTIMATE = java.time.Instant.parse("9999-12-31T23:59:59Z");

    public static String describe(PlacementStatus placement) {
        Map<String, Integer> byChip = new TreeMap<>();
        placement.getShards().forEach(s -> byChip.merge(s.getChip(), 1, Integer::sum));
        int shards = placement.getShards().size();
        StringBuilder b = new StringBuilder().append(shards).append(shards == 1 ? " shard on " : " shards on ");
        int i = 0;
        for (var e : byChip.entrySet()) {
            b.append(i++ == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        }
        return b.toString();
    }
}
