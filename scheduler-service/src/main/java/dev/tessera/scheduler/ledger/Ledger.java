package dev.tessera.scheduler.ledger;

import dev.tessera.scheduler.engine.ClusterSnapshot;
import dev.tessera.scheduler.engine.Decision;
import dev.tessera.scheduler.engine.Delivery;
import dev.tessera.scheduler.engine.Placement;
import dev.tessera.scheduler.engine.PlacementEngine;
import dev.tessera.scheduler.engine.PlacementRequest;
import dev.tessera.scheduler.engine.Pool;
import dev.tessera.scheduler.engine.Quota;
import dev.tessera.scheduler.engine.Shard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The allocation ledger: which job holds which chips. In memory; the TrainingJob statuses are the
 * durable record, so a fresh ledger is unsynced and refuses to place until the operator's full sync.
 * Every change runs under the ledger's lock, so concurrent requests never book one chip twice; reads
 * see the last immutable snapshot without locking.
 */
public final class Ledger {

    /** Answer of a full sync. */
    public record SyncResult(int pools, int placements, List<String> conflicts) {
    }

    private final PlacementEngine engine;
    private volatile ClusterSnapshot snapshot = ClusterSnapshot.empty();
    private volatile boolean synced;
    private volatile Instant syncedAt;
    /**
     * What each placement preempted (placements that preempted nothing are not here), so the same request again
     * answers the same; a victim placed again since is no longer named, as it no longer waits for chips.
     */
    private final Map<String, List<String>> preempted = new ConcurrentHashMap<>();

    public Ledger(PlacementEngine engine) {
        this.engine = engine;
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public boolean synced() {
        return synced;
    }

    public Instant syncedAt() {
        return syncedAt;
    }

    public Optional<Placement> placement(String jobId) {
        return Optional.ofNullable(snapshot.placement(jobId));
    }

    /**
     * Places and books a job; the same job again answers its booked placement.
     *
     * @param notes sentences appended to a new placement's explanation (e.g. inventory is unreachable)
     */
    public synchronized Decision place(PlacementRequest request, List<String> notes) {
        requireSynced();
        Decision d = engine.place(snapshot, request);
        if (d instanceof Decision.Placed placed && snapshot.placement(request.jobId()) == null) {
            Placement p = placed.placement();
            if (!notes.isEmpty()) {
                List<String> why = new ArrayList<>(p.explanation());
                why.addAll(notes);
                p = new Placement(p.request(), p.shards(), p.estimate(), why);
            }
            snapshot = snapshot.withPlacement(p, placed.preempted());
            placed.preempted().forEach(preempted::remove);
            String placedAgain = p.jobId();
            preempted.replaceAll((by, victims) -> victims.contains(placedAgain)
                    ? victims.stream().filter(v -> !v.equals(placedAgain)).toList() : victims);
            preempted.values().removeIf(List::isEmpty);
            if (!placed.preempted().isEmpty()) {
                preempted.put(p.jobId(), placed.preempted());
            }
            return new Decision.Placed(p, placed.preempted());
        }
        if (d instanceof Decision.Placed placed) {
            Placement booked = placed.placement();
            if (booked.request().priority() != request.priority()) {
                // A job's priority changed while it holds chips: it stays where it is, and from now on it is
                // preempted, and preempts, by the priority its spec says.
                PlacementRequest r = booked.request();
                booked = new Placement(new PlacementRequest(r.jobId(), r.queue(), request.priority(), r.shards(), r.minShards(),
                        r.chipsPerShard(), r.tensorParallel(), r.allowedChips(), r.preferredChips(), r.mixing(), r.workload()),
                        booked.shards(), booked.estimate(), booked.explanation());
                snapshot = snapshot.withPlacement(booked);
            }
            return new Decision.Placed(booked, preempted(request.jobId()));
        }
        return d;
    }

    public List<String> preempted(String jobId) {
        return preempted.getOrDefault(jobId, List.of());
    }

    /** Releases a job; nothing happens when it is unknown. Works unsynced: releasing never double-books. */
    public synchronized boolean release(String jobId) {
        boolean known = snapshot.placement(jobId) != null;
        snapshot = snapshot.without(jobId);
        preempted.remove(jobId);
        return known;
    }

    /**
     * Moves one shard of a job elsewhere.
     *
     * @return empty when no other pool can take the shard
     * @throws NoSuchElementException when the job or shard is unknown
     */
    public synchronized Optional<Placement> replace(String jobId, int shard, Collection<String> avoidPools) {
        return replace(jobId, shard, avoidPools, List.of());
    }

    /** Moves one shard off the nodes named (it may stay in its pool), or, with none named, off its pool. */
    public synchronized Optional<Placement> replace(String jobId, int shard, Collection<String> avoidPools,
            Collection<String> avoidNodes) {
        requireSynced();
        Optional<Placement> moved = engine.replaceShard(snapshot, jobId, shard, avoidPools, avoidNodes);
        moved.ifPresent(p -> snapshot = snapshot.withPlacement(p));
        return moved;
    }

    /** A new pool snapshot; bookings on nodes that left stay in the ledger until their jobs are released. */
    public synchronized ClusterSnapshot putPools(List<Pool> pools) {
        snapshot = snapshot.withPools(pools);
        return snapshot;
    }

    public synchronized void availability(Collection<Quota> quotas, Collection<Delivery> deliveries) {
        snapshot = snapshot.withAvailability(quotas, deliveries);
    }

    /**
     * Replaces pools and ledger in one step. Placements that no longer fit (unknown pool or node, chip
     * mismatch, or more chips than a node has) are booked anyway and reported as conflicts, so nothing
     * they hold can be handed out again.
     *
     * @throws LedgerAlreadySyncedException when the ledger is synced already: it is taken once per start
     */
    public synchronized SyncResult sync(List<Pool> pools, List<Placement> placements, Instant now) {
        if (synced) {
            throw new LedgerAlreadySyncedException(syncedAt);
        }
        ClusterSnapshot next = ClusterSnapshot.builder().pools(pools).placements(placements)
                .quotas(snapshot.quotas()).deliveries(snapshot.deliveries()).build();
        Set<String> conflicts = new LinkedHashSet<>();
        Set<String> overbooked = new HashSet<>(next.overbookedNodes());
        for (Placement p : placements) {
            for (Shard s : p.shards()) {
                boolean bad = !next.isKnown(s) || s.nodes().stream().anyMatch(n -> overbooked.contains(n.name()));
                if (bad) {
                    conflicts.add(p.jobId());
                }
            }
        }
        snapshot = next;
        preempted.clear();
        synced = true;
        syncedAt = now;
        return new SyncResult(pools.size(), placements.size(), List.copyOf(conflicts));
    }

    private void requireSynced() {
        if (!synced) {
            throw new LedgerUnsyncedException();
        }
    }
}
