package dev.tessera.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The suite as the e2e tests drive it: {@code ./tessera-local} with its own state folder and ports
 * (so a suite a developer runs is left alone), and the real kubectl.
 */
final class LocalSuite {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int KUBE_PORT = 16443;
    static final int PG_PORT = 15442;
    static final int OPERATOR_PORT = 18080;
    static final int SCHEDULER_PORT = 18081;
    static final int INVENTORY_PORT = 18082;
    /** Token checks in the suite's services, on as everywhere; -Dtessera.e2e.auth=false runs the scenarios without them. */
    static final boolean AUTH = Boolean.parseBoolean(System.getProperty("tessera.e2e.auth", "true"));

    final Path root;
    final Path home;
    final String kubectl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private String viewerToken;

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    LocalSuite() throws IOException, InterruptedException {
        this.root = Path.of(System.getProperty("tessera.root", "..")).toAbsolutePath().normalize();
        this.home = Path.of(System.getProperty("tessera.e2e.home", "target/tessera-local")).toAbsolutePath();
        this.kubectl = Kubectl.find(home.getParent());
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TESSERA_LOCAL_HOME", home.toString());
        env.put("TESSERA_LOCAL_KUBE_PORT", String.valueOf(KUBE_PORT));
        env.put("TESSERA_LOCAL_PG_PORT", String.valueOf(PG_PORT));
        env.put("TESSERA_LOCAL_OPERATOR_PORT", String.valueOf(OPERATOR_PORT));
        env.put("TESSERA_LOCAL_SCHEDULER_PORT", String.valueOf(SCHEDULER_PORT));
        env.put("TESSERA_LOCAL_INVENTORY_PORT", String.valueOf(INVENTORY_PORT));
        // real time: jobs stay Running while the scenarios look at them; no random crashes to make them flaky
        env.put("TESSERA_LOCAL_TIME_SCALE", "1");
        env.put("TESSERA_LOCAL_CRASH_RATES", "off");
        env.put("TESSERA_LOCAL_AUTH_ENABLED", String.valueOf(AUTH));
        env.put("KUBECONFIG", home.resolve("kubeconfig").toString());
        return env;
    }

    Run script(String... args) throws IOException, InterruptedException {
        return script(Map.of(), args);
    }

    /** {@code ./tessera-local} with settings of its own on top of the suite's (e.g. another port for one part). */
    Run script(Map<String, String> settings, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("tessera-local").toString());
        command.addAll(List.of(args));
        return run(command, Duration.ofMinutes(8), settings);
    }

    /** {@code kubectl apply} of a manifest given as text. */
    Run apply(String manifest) throws IOException, InterruptedException {
        Path file = Files.createTempFile(home.getParent(), "manifest", ".yml");
        try {
            Files.writeString(file, manifest);
            return kubectl("apply", "--validate=false", "-f", file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A GET straight to the embedded Kubernetes API, for polling faster than kubectl starts. */
    JsonNode kubeGet(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + KUBE_PORT + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return JSON.readTree(send(request).body());
    }

    Run kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectl, "--kubeconfig", home.resolve("kubeconfig").toString()));
        command.addAll(List.of(args));
        return run(command, Duration.ofSeconds(60), Map.of());
    }

    JsonNode kubectlJson(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        Run run = kubectl(all.toArray(String[]::new));
        if (run.exit() != 0) {
            throw new IllegalStateException("kubectl " + all + ": " + run.err());
        }
        return JSON.readTree(run.out());
    }

    Path example(String name) {
        return root.resolve("examples").resolve(name);
    }

    JsonNode schedulerGet(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = call(SCHEDULER_PORT, "GET", "/api/v1" + path, null, viewerToken());
        return response.statusCode() == 404 ? null : JSON.readTree(response.body());
    }

    /** A user's token from {@code ./tessera-local token}, as a developer would get one. */
    String token(String role) throws IOException, InterruptedException {
        Run run = script("token", "--role", role, "--subject", "e2e-" + role, "--ttl", "1h");
        if (run.exit() != 0) {
            throw new IllegalStateException("tessera-local token --role " + role + ": " + run.all());
        }
        return run.out().trim();
    }

    synchronized String viewerToken() throws IOException, InterruptedException {
        if (viewerToken == null) {
            viewerToken = token("viewer");
        }
        return viewerToken;
    }

    /** One HTTP call to a service on this machine; token null sends no Authorization header. */
    HttpResponse<String> call(int port, String method, String path, String jsonBody, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /**
     * Sends with a deadline of its own beyond the request's timeout: under load the JDK's client has been
     * seen to wait on an answer for ever, past the request's timeout, and a test must fail rather than hang.
     */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return sendOnce(request);
        } catch (java.net.http.HttpTimeoutException e) {
            if (!request.method().equals("GET")) {
                throw e;
            }
            return sendOnce(request); // a read may be asked again
        }
    }

    private HttpResponse<String> sendOnce(HttpRequest request) throws IOException, InterruptedException {
        java.util.concurrent.CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        long seconds = request.timeout().map(Duration::toSeconds).orElse(30L) + 5;
        try {
            return answer.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            answer.cancel(true);
            throw new java.net.http.HttpTimeoutException(request.method() + " " + request.uri() + ": no answer after " + seconds + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** A JSON merge patch straight to the embedded Kubernetes API; answers the status code. */
    int kubeMergePatch(String path, String patch) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + KUBE_PORT + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)).build();
        return send(request).statusCode();
    }

    /** A counter of the operator's Prometheus metrics; 0 while it has never counted. */
    double operatorCounter(String name) throws IOException, InterruptedException {
        String metrics = call(OPERATOR_PORT, "GET", "/q/metrics", null, null).body();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    long pidOf(String part) throws IOException {
        Path file = home.resolve(part + ".pid");
        return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : -1;
    }

    private Run run(List<String> command, Duration timeout, Map<String, String> settings) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().putAll(env());
        builder.environment().putAll(settings);
        Path out = Files.createTempFile(home.getParent(), "run", ".out");
        Path err = Files.createTempFile(home.getParent(), "run", ".err");
        // files, not pipes: the script leaves background processes that must not hold our pipes open
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null")).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
        }
        Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return run;
    }

    /** Polls until the supplier gives a non-null answer, or fails with the last answer described. */
    static <T> T await(String what, Duration timeout, Supplier<T> probe) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < end) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
    }
}
