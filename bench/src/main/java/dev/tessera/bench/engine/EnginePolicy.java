package dev.tessera.bench.engine;

import dev.tessera.bench.sim.Cluster;
import dev.tessera.bench.sim.JobSpec;
import dev.tessera.bench.sim.DecisionTimes;
import dev.tessera.bench.sim.Placement;
import dev.tessera.bench.sim.PlacementPolicy;
import dev.tessera.bench.sim.Pool;
import dev.tessera.bench.sim.ShardAllocation;
import dev.tessera.scheduler.engine.ClusterSnapshot;
import dev.tessera.scheduler.engine.Decision;
import dev.tessera.scheduler.engine.Mixing;
import dev.tessera.scheduler.engine.Node;
import dev.tessera.scheduler.engine.NodeShare;
import dev.tessera.scheduler.engine.PlacementEngine;
import dev.tessera.scheduler.engine.PlacementRequest;
import dev.tessera.scheduler.engine.Shard;
import dev.tessera.scheduler.engine.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tessera's production placement engine as a policy of the simulation. It keeps the engine's own
 * snapshot in step with what runs, as the scheduler service keeps its ledger, and asks the engine
 * exactly what the service would for a {@code POST /placements}. The latency recorded is the
 * engine's {@code place} call alone.
 */
public final class EnginePolicy implements PlacementPolicy {

    public static final String NAME = "tessera";

    private final PlacementEngine engine;
    private final SimulatedClock clock;
    private final Mixing mixing;
    private final DecisionTimes times = new DecisionTimes();
    private ClusterSnapshot snapshot;

    /**
     * @param engine an engine built on {@code clock}
     * @param mixing the jobs' mixing rule (a trace says nothing of it; the benchmark's caller decides)
     */
    public EnginePolicy(PlacementEngine engine, SimulatedClock clock, List<Pool> pools, Mixing mixing) {
        this.engine = engine;
        this.clock = clock;
        this.mixing = mixing;
        ClusterSnapshot.Builder builder = ClusterSnapshot.builder();
        for (Pool pool : pools) {
            List<Node> nodes = new ArrayList<>();
            pool.nodes().forEach(n -> nodes.add(new Node(n.name(), n.chips())));
            builder.pool(new dev.tessera.scheduler.engine.Pool(pool.name(), pool.chip(), nodes));
        }
        this.snapshot = builder.build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Placement> place(JobSpec job, Cluster cluster, double nowSeconds) {
        clock.setSeconds(nowSeconds);
        PlacementRequest request = request(job);
        ClusterSnapshot current = snapshot;
        Decision decision = times.time(() -> engine.place(current, request));
        if (!(decision instanceof Decision.Placed placed)) {
            return Optional.empty();
        }
        snapshot = snapshot.withPlacement(placed.placement(), placed.preempted());
        List<ShardAllocation> shards = new ArrayList<>();
        for (Shard shard : placed.placement().shards()) {
            Map<String, Integer> nodes = new LinkedHashMap<>();
            for (NodeShare share : shard.nodes()) {
                nodes.merge(share.name(), share.chips(), Integer::sum);
            }
            shards.add(new ShardAllocation(shard.pool(), shard.chip(), nodes, shard.batchShare()));
        }
        return Optional.of(new Placement(shards, placed.preempted()));
    }

    @Override
    public void released(String jobId) {
        snapshot = snapshot.without(jobId);
    }

    @Override
    public DecisionTimes ownTimes() {
        return times;
    }

    PlacementRequest request(JobSpec job) {
        // A job's work is training steps only when it names a measured profile; otherwise it is seconds.
        long steps = job.profile() != null && Double.isFinite(job.work()) ? Math.round(job.work()) : 0;
        Workload workload = new Workload(job.profile(), null, 0, steps);
        return new PlacementRequest(job.id(), "default", job.priority(), job.shards(), job.minShards(),
                job.chipsPerShard(), job.tensorParallel(), List.copyOf(job.allowedChips()), List.of(), mixing, workload);
    }
}
