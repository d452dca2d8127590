package dev.tessera.local.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Operator load benchmark on a running local suite: adds a pool big enough for every job, applies N
 * one-chip TrainingJobs at once, and measures, from the API as a user sees it, the time from each
 * apply to its {@code Placed=True} condition, and until all are placed. It removes what it added.
 *
 * <pre>java -cp ... dev.tessera.local.load.OperatorLoadBenchmark --kubeconfig .tessera-local/kubeconfig
 *      --scheduler http://localhost:8081 [--token-file FILE] [--jobs 1000] [--threads 8] [--timeout 300] [--json FILE]</pre>
 */
public final class OperatorLoadBenchmark {
    static final ResourceDefinitionContext TRAINING_JOBS = new ResourceDefinitionContext.Builder()
            .withGroup("tessera.dev").withVersion("v1alpha1").withKind("TrainingJob").withPlural("trainingjobs")
            .withNamespaced(true).build();
    static final String POOL = "load-bench";
    static final String NAMESPACE = "tessera-load";
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The client warns that v1alpha1 is not a stable version: true, and Tessera's own API, so nothing a run of the
     * benchmark should print. Held here, as java.util.logging keeps its loggers only weakly.
     */
    private static final java.util.logging.Logger VERSION_WARNINGS =
            java.util.logging.Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");

    private OperatorLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        VERSION_WARNINGS.setLevel(java.util.logging.Level.SEVERE);
        Map<String, String> opts = parse(args);
        int jobs = Integer.parseInt(opts.getOrDefault("jobs", "1000"));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "8"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("timeout", "300")));
        String scheduler = opts.getOrDefault("scheduler", "http://localhost:8081");
        Path kubeconfig = Path.of(opts.getOrDefault("kubeconfig", ".tessera-local/kubeconfig"));
        if (!Files.isReadable(kubeconfig)) {
            System.err.println("no kubeconfig at " + kubeconfig + ": start the suite with ./tessera-local up");
            System.exit(2);
        }
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            int nodes = (jobs + 7) / 8;
            // what an earlier run left behind (one stopped before its own clean-up) must not be measured with this one
            removeJobs(client);
            long others = otherLiveJobs(client);
            if (others > 0) {
                System.err.printf(Locale.ROOT, "warning: %d other TrainingJobs are live in the suite (the examples of --demo?). "
                        + "Their priorities and quotas may take chips of the benchmark's pool and preempt its jobs, so these "
                        + "figures are not those of a suite that runs nothing else.%n", others);
            }
            prepare(client, nodes);
            String token = opts.containsKey("token-file") ? Files.readString(Path.of(opts.get("token-file"))).trim() : null;
            waitForPool(scheduler, token, nodes * 8, Duration.ofSeconds(60));

            Map<String, Long> applied = new ConcurrentHashMap<>();
            Map<String, Long> placed = new ConcurrentHashMap<>();
            Map<String, Long> picked = new ConcurrentHashMap<>();
            Map<String, Long> seen = new ConcurrentHashMap<>();
            // The benchmark's own client is kept lean (plain HTTP, one watch, no object mapping) so that on a
            // small machine it takes as little as it can of the CPU the suite under test needs.
            LeanClient lean = new LeanClient(config);
            java.net.http.WebSocket watch = lean.watch(NAMESPACE, event -> {
                JsonNode object = event.path("object");
                String name = object.path("metadata").path("name").asText(null);
                if (name == null || !applied.containsKey(name)) {
                    return; // not a job of this run
                }
                if ("ADDED".equals(event.path("type").asText())) {
                    seen.putIfAbsent(name, System.nanoTime());
                }
                observe(name, object, placed, picked);
            });
            System.out.printf(Locale.ROOT, "applying %d TrainingJobs with %d client threads...%n", jobs, threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            // Names new to each run: the jobs of an earlier run may still be on their way out of the operator's
            // caches, and a job reusing such a name would be measured together with that leftover work.
            String run = Long.toString(System.currentTimeMillis() % (36L * 36 * 36 * 36 * 36), 36);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                names.add(String.format("load-%s-%04d", run, i));
                applied.put(names.get(i), Long.MAX_VALUE); // a job of this run; its apply time is set when it is sent
            }
            long start = System.nanoTime();
            long cpuAtStart = processCpuNanos();
            List<Future<?>> futures = new ArrayList<>();
            for (String name : names) {
                futures.add(pool.submit(() -> {
                    applied.put(name, System.nanoTime());
                    lean.create(NAMESPACE, JSON.writeValueAsBytes(job(name)));
                    return null;
                }));
            }
            try {
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            long appliedAll = System.nanoTime();
            long deadline = start + timeout.toNanos();
            while (placed.size() < jobs && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long end = placed.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
            // the benchmark's own share of the cores the suite runs on, from the first apply until the last job was seen placed
            double clientCpu = (processCpuNanos() - cpuAtStart) / 1e9;
            watch.abort();

            List<Double> latencies = sinceApplied(placed, applied);
            List<Double> watched = sinceApplied(seen, applied);
            List<Double> pickup = sinceApplied(picked, applied);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("jobs", jobs);
            result.put("placed", placed.size());
            result.put("applySeconds", (appliedAll - start) / 1e9);
            result.put("allPlacedSeconds", placed.size() == jobs ? (end - start) / 1e9 : null);
            result.put("placedLatencyP50Millis", percentile(latencies, 50));
            result.put("placedLatencyP99Millis", percentile(latencies, 99));
            result.put("watchLatencyP50Millis", percentile(watched, 50));
            result.put("watchLatencyP99Millis", percentile(watched, 99));
            result.put("finalizerLatencyP50Millis", percentile(pickup, 50));
            result.put("finalizerLatencyP99Millis", percentile(pickup, 99));
            result.put("clientCpuSeconds", clientCpu);
            result.put("placedLatencyMaxMillis", latencies.isEmpty() ? null : latencies.get(latencies.size() - 1));
            System.out.printf(Locale.ROOT, "%-28s %d of %d%n", "placed", placed.size(), jobs);
            System.out.printf(Locale.ROOT, "%-28s %.2f s%n", "all applied after", (appliedAll - start) / 1e9);
            System.out.printf(Locale.ROOT, "%-28s %s%n", "all placed after",
                    placed.size() == jobs ? String.format(Locale.ROOT, "%.2f s", (end - start) / 1e9) : "not within the timeout");
            System.out.printf(Locale.ROOT, "%-28s p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", "apply -> Placed",
                    percentile(latencies, 50), percentile(latencies, 99),
                    latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1));
            System.out.printf(Locale.ROOT, "%-28s p50 %.0f ms, p99 %.0f ms%n", "apply -> watch event",
                    percentile(watched, 50), percentile(watched, 99));
            System.out.printf(Locale.ROOT, "%-28s p50 %.0f ms, p99 %.0f ms%n", "apply -> operator's finalizer",
                    percentile(pickup, 50), percentile(pickup, 99));
            System.out.printf(Locale.ROOT, "%-28s %.2f s of CPU from the first apply until all were placed (%d cores)%n",
                    "benchmark client", clientCpu, Runtime.getRuntime().availableProcessors());
            if (opts.containsKey("json")) {
                Files.writeString(Path.of(opts.get("json")), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            }
            cleanUp(client, nodes);
            System.exit(placed.size() == jobs ? 0 : 1);
        }
    }

    /** Milliseconds from each job's apply to the moment recorded in {@code at}, sorted. */
    static List<Double> sinceApplied(Map<String, Long> at, Map<String, Long> applied) {
        List<Double> millis = new ArrayList<>();
        at.forEach((name, t) -> millis.add((t - applied.get(name)) / 1e6));
        Collections.sort(millis);
        return millis;
    }

    static void observe(String name, JsonNode object, Map<String, Long> placed, Map<String, Long> picked) {
        long now = System.nanoTime();
        if (!object.path("metadata").path("finalizers").isEmpty()) {
            picked.putIfAbsent(name, now);
        }
        for (JsonNode c : object.path("status").path("conditions")) {
            if ("Placed".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                placed.putIfAbsent(name, now);
            }
        }
    }

    static Map<String, Object> job(String name) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("queue", "default");
        spec.put("shards", 1);
        spec.put("chipsPerShard", 1);
        spec.put("tensorParallel", 1);
        spec.put("chips", Map.of("allowed", List.of("h800")));
        spec.put("workload", Map.of("communication", "Low", "parametersBillions", 1, "totalSteps", 1_000_000));
        spec.put("template", Map.of("spec", Map.of("containers",
                List.of(Map.of("name", "trainer", "image", "registry.example/bench:1.0")))));
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("apiVersion", "tessera.dev/v1alpha1");
        job.put("kind", "TrainingJob");
        job.put("metadata", Map.of("name", name, "namespace", NAMESPACE));
        job.put("spec", spec);
        return job;
    }

    /**
     * Creates TrainingJobs and watches them with the JDK's HTTP client: the API server's URL and bearer
     * token come from the kubeconfig (https uses the JVM's trust store).
     */
    static final class LeanClient {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String base;
        private final String token;

        LeanClient(Config config) {
            String url = config.getMasterUrl();
            this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            this.token = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
        }

        private String collection(String namespace) {
            return "/apis/" + TRAINING_JOBS.getGroup() + "/" + TRAINING_JOBS.getVersion() + "/namespaces/" + namespace + "/"
                    + TRAINING_JOBS.getPlural();
        }

        void create(String namespace, byte[] body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + collection(namespace)))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), info -> info.statusCode() == 201
                    ? HttpResponse.BodySubscribers.replacing("")
                    : HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8));
            if (response.statusCode() != 201) {
                throw new IllegalStateException("creating a TrainingJob answered " + response.statusCode() + ": " + response.body());
            }
        }

        /** Watches the namespace's TrainingJobs from now on; each event reaches {@code events} as parsed JSON. */
        java.net.http.WebSocket watch(String namespace, java.util.function.Consumer<JsonNode> events) {
            String ws = base.replaceFirst("^http", "ws") + collection(namespace) + "?watch=true";
            java.net.http.WebSocket.Builder builder = http.newWebSocketBuilder();
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            return builder.buildAsync(URI.create(ws), new java.net.http.WebSocket.Listener() {
                private final StringBuilder partial = new StringBuilder();

                @Override
                public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        try {
                            events.accept(JSON.readTree(partial.toString()));
                        } catch (java.io.IOException e) {
                            System.err.println("unreadable watch event: " + e.getMessage());
                        }
                        partial.setLength(0);
                    }
                    socket.request(1);
                    return null;
                }
            }).join();
        }
    }

    static void prepare(KubernetesClient client, int nodes) {
        if (client.namespaces().withName(NAMESPACE).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        }
        for (int i = 0; i < nodes; i++) {
            Node n = new NodeBuilder().withNewMetadata().withName(String.format("%s-%04d", POOL, i))
                    .addToLabels("tessera.dev/pool", POOL).addToLabels("tessera.dev/chip", "h800").endMetadata()
                    .withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity("8"))
                    .addToCapacity("nvidia.com/gpu", new Quantity("8"))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
            client.nodes().resource(n).createOr(existing -> existing.update());
        }
    }

    /** The operator pushes new nodes to the scheduler by itself; wait until the pool is there in full. */
    static void waitForPool(String scheduler, String token, int chips, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheduler + "/api/v1/pools")).GET();
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 401 || r.statusCode() == 403) {
                    throw new IllegalStateException("the scheduler refused to list pools (" + r.statusCode()
                            + "): give a viewer token with --token-file");
                }
                for (JsonNode p : JSON.readTree(r.body())) {
                    if (POOL.equals(p.path("name").asText()) && p.path("capacity").asInt() >= chips) {
                        return;
                    }
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the scheduler did not get pool " + POOL + " within " + timeout);
    }

    static void cleanUp(KubernetesClient client, int nodes) throws InterruptedException {
        removeJobs(client);
        for (int i = 0; i < nodes; i++) {
            client.nodes().withName(String.format("%s-%04d", POOL, i)).delete();
        }
    }

    /** TrainingJobs outside the benchmark's namespace that have not ended. */
    static long otherLiveJobs(KubernetesClient client) {
        return client.genericKubernetesResources(TRAINING_JOBS).inAnyNamespace().list().getItems().stream()
                .filter(j -> !NAMESPACE.equals(j.getMetadata().getNamespace()))
                .filter(j -> {
                    Object status = j.getAdditionalProperties().get("status");
                    Object phase = status instanceof Map<?, ?> m ? m.get("phase") : null;
                    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
                })
                .count();
    }

    /** Deletes every TrainingJob in the benchmark's namespace and waits (two minutes at most) until they are gone. */
    static void removeJobs(KubernetesClient client) throws InterruptedException {
        if (client.genericKubernetesResources(TRAINING_JOBS).inNamespace(NAMESPACE).list().getItems().isEmpty()) {
            return;
        }
        client.genericKubernetesResources(TRAINING_JOBS).inNamespace(NAMESPACE).delete();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!client.genericKubernetesResources(TRAINING_JOBS).inNamespace(NAMESPACE).list().getItems().isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** CPU time this process has used so far, all its threads. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: --kubeconfig FILE --scheduler URL [--token-file FILE] [--jobs N] [--threads N] [--timeout SECONDS] [--json FILE]");
                System.exit(2);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }
}
