package dev.tessera.scheduler.engine;

import java.util.List;

/** A fluent builder for placement requests in tests. */
final class Jobs {
    private String id;
    private String queue = "default";
    private int priority;
    private int shards = 1;
    private int minShards = -1;
    private int chipsPerShard = 8;
    private int tensorParallel = -1;
    private List<String> allowed = List.of();
    private List<String> preferred = List.of();
    private Mixing mixing = Mixing.ALLOWED;
    private Communication communication = Communication.MEDIUM;

    static Jobs job(String id) {
        Jobs j = new Jobs();
        j.id = id;
        return j;
    }

    Jobs queue(String q) { queue = q; return this; }
    Jobs priority(int p) { priority = p; return this; }
    Jobs shards(int n) { shards = n; return this; }
    Jobs minShards(int n) { minShards = n; return this; }
    Jobs chips(int perShard, int tp) { chipsPerShard = perShard; tensorParallel = tp; return this; }
    Jobs allowed(String... chips) { allowed = List.of(chips); return this; }
    Jobs preferred(String... chips) { preferred = List.of(chips); return this; }
    Jobs singleType() { mixing = Mixing.SINGLE_TYPE; return this; }
    Jobs communication(Communication c) { communication = c; return this; }

    PlacementRequest build() {
        return new PlacementRequest(id, queue, priority, shards, minShards < 0 ? shards : minShards, chipsPerShard,
                tensorParallel < 0 ? Math.min(chipsPerShard, 8) : tensorParallel, allowed, preferred, mixing,
                new Workload(null, communication, 0, 1000));
    }
}
