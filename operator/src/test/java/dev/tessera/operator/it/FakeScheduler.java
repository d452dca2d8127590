package dev.tessera.operator.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A hand-written scheduler that speaks the scheduler-service contract (docs/api.md) with a trivial
 * first-fit over the pools it was sent, and switches that let a test make it pending, unreachable
 * or freshly restarted.
 */
public class FakeScheduler {
    static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private HttpServer server;
    volatile String pendingReason;
    volatile String earliestStart;
    /** As a scheduler that has just started: unsynced until the operator's first sync. */
    volatile boolean unsynced = true;
    /** How many placement requests had arrived when the first sync did; -1 before it. */
    volatile int placeCallsAtFirstSync = -1;
    /** While set, a sync is held unanswered until it counts down. */
    volatile java.util.concurrent.CountDownLatch holdSyncs;
    final Map<String, ObjectNode> placements = new ConcurrentHashMap<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    final List<JsonNode> syncs = new CopyOnWriteArrayList<>();
    /** The bodies of shard replacements, as they came. */
    final List<JsonNode> replacements = new CopyOnWriteArrayList<>();
    /** Syncs refused because the ledger was synced already, as the real scheduler refuses them (409 ledger-synced). */
    final AtomicInteger refusedSyncs = new AtomicInteger();
    final AtomicInteger placeCalls = new AtomicInteger();
    final Set<String> preemptOnNextPlacement = ConcurrentHashMap.newKeySet();
    /** While not 0, every request but the catalog's is answered with this status (401, 403), as a scheduler refusing the operator's token. */
    volatile int refuseTokens;
    final AtomicInteger refusedCalls = new AtomicInteger();
    /** Jobs that lost their chips to preemption find no room afterwards. */
    final Set<String> evicted = ConcurrentHashMap.newKeySet();
    volatile JsonNode pools = JSON.createArrayNode();
    /** Run while a placement request of the job with this name is in hand, before it is answered. */
    final Map<String, Runnable> whilePlacing = new ConcurrentHashMap<>();

    public FakeScheduler(int port) {
        this.port = port;
    }

    public synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/v1/", this::handle);
        server.start();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public int port() {
        return port;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath().substring("/api/v1".length());
            String method = ex.getRequestMethod();
            JsonNode body = ex.getRequestBody().available() >= 0 ? readBody(ex) : null;
            int refusing = refuseTokens;
            // the operator keeps the catalog for a minute: a token refused since then is met first by the placements
            if (refusing != 0 && !path.equals("/catalog")) {
                refusedCalls.incrementAndGet();
                send(ex, refusing, problem(refusing, refusing == 401 ? "the token is not valid" : "the token's roles do not allow this"));
                return;
            }
            if (path.equals("/catalog")) {
                send(ex, 200, JSON.readTree("""
                        [{"id":"h800","vendor":"NVIDIA","name":"H800","resourceName":"nvidia.com/gpu","aliases":["NVIDIA-H800"],"confidence":"HIGH"},
                         {"id":"a800","vendor":"NVIDIA","name":"A800","resourceName":"nvidia.com/gpu","aliases":["NVIDIA-A800-SXM4-80GB"],"confidence":"HIGH"},
                         {"id":"ascend-910b","vendor":"Huawei","name":"Ascend 910B","resourceName":"huawei.com/Ascend910","aliases":[],"confidence":"LOW"}]
                        """));
            } else if (path.equals("/pools") && method.equals("PUT")) {
                pools = body.get("pools");
                send(ex, 200, pools);
            } else if (path.equals("/ledger") && method.equals("PUT") && !unsynced) {
                refusedSyncs.incrementAndGet();
                ObjectNode p = problem(409, "the ledger was synced already");
                p.put("type", "https://tessera.dev/problems/ledger-synced");
                send(ex, 409, p);
            } else if (path.equals("/ledger") && method.equals("PUT")) {
                if (syncs.isEmpty()) {
                    placeCallsAtFirstSync = placeCalls.get();
                }
                syncs.add(body);
                var hold = holdSyncs;
                if (hold != null) {
                    try {
                        hold.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                pools = body.get("pools");
                placements.clear();
                for (JsonNode p : body.get("placements")) {
                    ObjectNode answer = JSON.createObjectNode().put("jobId", p.get("jobId").asText()).put("state", "Placed");
                    answer.set("shards", p.get("shards"));
                    answer.putObject("estimate").put("stepsPerSecond", 1.0).put("h100Equivalent", 1.0);
                    placements.put(p.get("jobId").asText(), answer);
                }
                unsynced = false;
                send(ex, 200, JSON.createObjectNode().put("state", "Synced"));
            } else if (path.equals("/placements") && method.equals("POST")) {
                placeCalls.incrementAndGet();
                Runnable hook = body.hasNonNull("name") ? whilePlacing.get(body.get("name").asText()) : null;
                if (hook != null) {
                    hook.run();
                }
                if (unsynced) {
                    unsyncedProblem(ex);
                    return;
                }
                String jobId = body.get("jobId").asText();
                ObjectNode known = placements.get(jobId);
                if (known != null) {
                    send(ex, 201, known);
                } else if (pendingReason != null || evicted.contains(jobId)) {
                    ObjectNode pending = JSON.createObjectNode().put("jobId", jobId).put("state", "Pending");
                    pending.putArray("reasons").addObject().put("reason", pendingReason == null ? "InsufficientCapacity" : pendingReason)
                            .put("message", "not enough chips now");
                    if (earliestStart != null) {
                        pending.put("earliestStart", earliestStart);
                    }
                    send(ex, 202, pending);
                } else {
                    ObjectNode answer = place(body, Set.of());
                    if (answer == null) {
                        ObjectNode pending = JSON.createObjectNode().put("jobId", jobId).put("state", "Pending");
                        pending.putArray("reasons").addObject().put("reason", "InsufficientCapacity").put("message", "full");
                        send(ex, 202, pending);
                        return;
                    }
                    if (!preemptOnNextPlacement.isEmpty()) {
                        ArrayNode pre = answer.putArray("preempted");
                        preemptOnNextPlacement.forEach(id -> {
                            pre.add(id);
                            evicted.add(id);
                            placements.remove(id);
                        });
                        preemptOnNextPlacement.clear();
                    }
                    placements.put(jobId, answer);
                    send(ex, 201, answer);
                }
            } else if (path.startsWith("/placements/") && path.endsWith("/replacements") && method.equals("POST")) {
                if (unsynced) {
                    unsyncedProblem(ex);
                    return;
                }
                String jobId = path.split("/")[2];
                replacements.add(body);
                ObjectNode current = placements.get(jobId);
                int shard = body.get("shard").asInt();
                Set<String> avoid = new java.util.HashSet<>();
                body.get("avoidPools").forEach(p -> avoid.add(p.asText()));
                ObjectNode moved = current == null ? null : moveShard(current, shard, avoid);
                if (moved == null) {
                    send(ex, 409, problem(409, "no other pool can take the shard"));
                } else {
                    placements.put(jobId, moved);
                    send(ex, 200, moved);
                }
            } else if (path.startsWith("/placements/") && method.equals("DELETE")) {
                String jobId = path.substring("/placements/".length());
                placements.remove(jobId);
                deleted.add(jobId);
                ex.sendResponseHeaders(204, -1);
                ex.close();
            } else {
                send(ex, 404, problem(404, "no such path"));
            }
        } catch (RuntimeException e) {
            send(ex, 500, problem(500, e.toString()));
        }
    }

    /** First fit: each shard on one pool whose chip is allowed, whole 8-chip nodes not held by anyone. */
    private ObjectNode place(JsonNode req, Set<String> avoid) {
        int shards = req.get("shards").asInt();
        int cps = req.get("chipsPerShard").asInt();
        Set<String> allowed = new java.util.HashSet<>();
        req.get("allowedChips").forEach(c -> allowed.add(c.asText()));
        Set<String> used = usedNodes(null);
        ArrayNode out = JSON.createArrayNode();
        for (int i = 0; i < shards; i++) {
            ObjectNode shard = shardOn(i, cps, allowed, avoid, used);
            if (shard == null) {
                break;
            }
            out.add(shard);
        }
        if (out.size() < req.get("minShards").asInt()) {
            return null;
        }
        for (JsonNode s : out) {
            ((ObjectNode) s).put("batchShare", 1.0 / out.size());
        }
        ObjectNode answer = JSON.createObjectNode().put("jobId", req.get("jobId").asText()).put("state", "Placed");
        answer.set("shards", out);
        answer.putObject("estimate").put("stepsPerSecond", 2.0).put("h100Equivalent", 12.5);
        answer.putArray("explanation").add("first fit");
        answer.put("allowed", String.join(",", allowed)).put("chipsPerShard", cps);
        return answer;
    }

    private ObjectNode moveShard(ObjectNode current, int index, Set<String> avoid) {
        Set<String> allowed = new java.util.HashSet<>(List.of(current.get("allowed").asText().split(",")));
        allowed.remove("");
        Set<String> used = usedNodes(null);
        ObjectNode copy = current.deepCopy();
        ArrayNode shards = (ArrayNode) copy.get("shards");
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).get("index").asInt() == index) {
                ObjectNode moved = shardOn(index, current.get("chipsPerShard").asInt(), allowed, avoid, used);
                if (moved == null) {
                    return null;
                }
                moved.put("batchShare", shards.get(i).get("batchShare").asDouble());
                shards.set(i, moved);
            }
        }
        return copy;
    }

    private ObjectNode shardOn(int index, int cps, Set<String> allowed, Set<String> avoid, Set<String> used) {
        for (JsonNode pool : pools) {
            if (avoid.contains(pool.get("name").asText())
                    || (!allowed.isEmpty() && !allowed.contains(pool.get("chip").asText()))) {
                continue;
            }
            List<String> free = new ArrayList<>();
            for (JsonNode n : pool.get("nodes")) {
                if (!used.contains(n.get("name").asText()) && n.get("chips").asInt() >= 8) {
                    free.add(n.get("name").asText());
                }
            }
            int needed = (cps + 7) / 8;
            if (free.size() >= needed) {
                ObjectNode shard = JSON.createObjectNode().put("index", index).put("pool", pool.get("name").asText())
                        .put("chip", pool.get("chip").asText()).put("chips", cps);
                ArrayNode nodes = shard.putArray("nodes");
                for (int k = 0; k < needed; k++) {
                    used.add(free.get(k));
                    nodes.addObject().put("name", free.get(k)).put("chips", Math.min(8, cps - 8 * k));
                }
                return shard;
            }
        }
        return null;
    }

    private Set<String> usedNodes(String exceptJob) {
        Set<String> used = new java.util.HashSet<>();
        placements.forEach((id, p) -> {
            if (!id.equals(exceptJob)) {
                p.get("shards").forEach(s -> s.get("nodes").forEach(n -> used.add(n.get("name").asText())));
            }
        });
        return used;
    }

    private void unsyncedProblem(HttpExchange ex) throws IOException {
        ObjectNode p = problem(503, "the scheduler restarted and waits for the ledger sync");
        p.put("type", "https://tessera.dev/problems/ledger-unsynced");
        ex.getResponseHeaders().add("Retry-After", "1");
        send(ex, 503, p);
    }

    private static ObjectNode problem(int status, String detail) {
        return JSON.createObjectNode().put("type", "about:blank").put("title", "error").put("status", status)
                .put("detail", detail);
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException {
        byte[] bytes = ex.getRequestBody().readAllBytes();
        return bytes.length == 0 ? null : JSON.readTree(bytes);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
