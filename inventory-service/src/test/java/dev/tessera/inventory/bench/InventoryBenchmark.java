package dev.tessera.inventory.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of the inventory service over HTTP, against a running instance (JDK only, so it runs
 * with the source launcher: {@code java InventoryBenchmark.java [baseUrl]}).
 *
 * <ol>
 * <li>Reservations per second with 64 concurrent clients on one chip model whose fleet is too
 * small for all of them, then a daily forecast over the whole period proving nothing is
 * overbooked (free >= 0 every day).</li>
 * <li>p95 latency of a two-year weekly forecast for a chip model with 10,000 scheduled deliveries
 * and 100,000 stock movements (loaded through the CSV imports).</li>
 * </ol>
 * Each run creates its own chip models and sites, so it can run against a service holding data.
 */
public final class InventoryBenchmark {

    private static final int CLIENTS = 64;
    private static final int RESERVATIONS = 12_800;
    private static final int MOVEMENTS = 100_000;
    private static final int DELIVERIES = 10_000;
    private static final int FORECASTS = 300;
    private static final Pattern FREE = Pattern.compile("\"free\":(-?\\d+)");

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);

    private InventoryBenchmark(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public static void main(String[] args) throws Exception {
        InventoryBenchmark b = new InventoryBenchmark(args.length > 0 ? args[0] : "http://localhost:8082");
        String only = args.length > 1 ? args[1] : "all";
        if (!only.equals("forecast")) {
            b.reservations();
        }
        if (!only.equals("reservations")) {
            b.forecast();
        }
    }

    private void reservations() throws Exception {
        String chip = "bench-r-" + run;
        String site = "bench-r-" + run;
        send("POST", "/api/v1/chip-models", "application/json", "{\"id\":\"" + chip
                + "\",\"vendor\":\"NVIDIA\",\"name\":\"bench\",\"h100Equivalent\":0.75}", 201);
        send("POST", "/api/v1/sites", "application/json", "{\"id\":\"" + site + "\",\"name\":\"bench\",\"kind\":\"DATACENTER\"}", 201);
        send("POST", "/api/v1/stock/movements", "application/json", "{\"site\":\"" + site + "\",\"chip\":\"" + chip
                + "\",\"quantity\":1500,\"to\":\"IN_SERVICE\"}", 201);
        StringBuilder csv = new StringBuilder("reference,supplier,chip,quantity,scheduledDate,site\n");
        for (int week = 4; week < 52; week += 4) {
            csv.append("PO-R-").append(run).append(",Inspur,").append(chip).append(",100,")
                    .append(today.plusWeeks(week)).append(',').append(site).append('\n');
        }
        send("POST", "/api/v1/deliveries/import", "text/csv", csv.toString(), 200);

        double cpuBefore = serviceCpuSeconds();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Random random = new Random(c);
            clients.add(pool.submit(() -> {
                while (next.getAndIncrement() < RESERVATIONS) {
                    LocalDate from = today.plusWeeks(random.nextInt(52));
                    LocalDate to = from.plusWeeks(1 + random.nextInt(8));
                    String body = "{\"team\":\"llm-core\",\"chip\":\"" + chip + "\",\"quantity\":" + (1 + random.nextInt(8))
                            + ",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}";
                    int status = post("/api/v1/reservations", body);
                    (status == 201 ? created : status == 409 ? refused : other).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double serviceCpu = serviceCpuSeconds() - cpuBefore;
        pool.shutdown();

        String daily = send("GET", "/api/v1/forecast?chip=" + chip + "&from=" + today + "&to=" + today.plusWeeks(62)
                + "&step=day", null, null, 200);
        Matcher m = FREE.matcher(daily);
        int days = 0;
        int overbookedDays = 0;
        int minFree = Integer.MAX_VALUE;
        while (m.find()) {
            int free = Integer.parseInt(m.group(1));
            days++;
            minFree = Math.min(minFree, free);
            if (free < 0) {
                overbookedDays++;
            }
        }
        System.out.printf("reservations: %d requests from %d clients in %.2f s = %.0f/s (%d created, %d refused with 409, %d other)%n",
                RESERVATIONS, CLIENTS, seconds, RESERVATIONS / seconds, created.get(), refused.get(), other.get());
        // On a shared machine wall-clock rates understate; CPU per request shows what the service costs.
        System.out.printf("service JVM CPU: %.2f ms per reservation request (%.1f s in all; PostgreSQL not included)%n",
                serviceCpu * 1000 / RESERVATIONS, serviceCpu);
        System.out.printf("overbooking check: %d days checked, %d overbooked, smallest free %d%n", days, overbookedDays, minFree);
    }

    private void forecast() throws Exception {
        String chip = "bench-f-" + run;
        send("POST", "/api/v1/chip-models", "application/json", "{\"id\":\"" + chip
                + "\",\"vendor\":\"Huawei\",\"name\":\"bench\",\"h100Equivalent\":0.3}", 201);
        List<String> sites = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            sites.add("bench-f-" + run + "-" + s);
            send("POST", "/api/v1/sites", "application/json", "{\"id\":\"" + sites.get(s)
                    + "\",\"name\":\"bench\",\"kind\":\"DATACENTER\"}", 201);
        }
        // Movements per site cycle through arrival, racking, failure and retirement; never negative.
        String[][] cycle = {{"", "WAREHOUSE", "8"}, {"WAREHOUSE", "IN_SERVICE", "6"}, {"IN_SERVICE", "FAILED", "1"},
                {"FAILED", "RETIRED", "1"}};
        long t0 = System.nanoTime();
        for (int batch = 0; batch < MOVEMENTS / 25_000; batch++) {
            StringBuilder csv = new StringBuilder("site,chip,quantity,from,to,note\n");
            for (int i = 0; i < 25_000; i++) {
                String[] step = cycle[(i / sites.size()) % cycle.length];
                csv.append(sites.get(i % sites.size())).append(',').append(chip).append(',').append(step[2]).append(',')
                        .append(step[0]).append(',').append(step[1]).append(",bench\n");
            }
            send("POST", "/api/v1/stock/import", "text/csv", csv.toString(), 200);
        }
        double movementSeconds = (System.nanoTime() - t0) / 1e9;
        Random random = new Random(42);
        t0 = System.nanoTime();
        StringBuilder csv = new StringBuilder("reference,supplier,chip,quantity,scheduledDate,site,state\n");
        for (int i = 0; i < DELIVERIES; i++) {
            csv.append("PO-F-").append(run).append('-').append(i / 100).append(",Huawei,").append(chip).append(',')
                    .append(1 + random.nextInt(64)).append(',').append(today.plusDays(random.nextInt(730))).append(',')
                    .append(sites.get(random.nextInt(sites.size()))).append(',')
                    .append(i % 10 == 0 ? "DELAYED" : "SCHEDULED").append('\n');
        }
        send("POST", "/api/v1/deliveries/import", "text/csv", csv.toString(), 200);
        double deliverySeconds = (System.nanoTime() - t0) / 1e9;

        String path = "/api/v1/forecast?chip=" + chip + "&from=" + today + "&to=" + today.plusYears(2) + "&step=week";
        for (int i = 0; i < 30; i++) {
            send("GET", path, null, null, 200);
        }
        long[] micros = new long[FORECASTS];
        int points = 0;
        for (int i = 0; i < FORECASTS; i++) {
            long s = System.nanoTime();
            String body = send("GET", path, null, null, 200);
            micros[i] = (System.nanoTime() - s) / 1000;
            points = (int) FREE.matcher(body).results().count();
        }
        Arrays.sort(micros);
        System.out.printf("setup: %d movements imported in %.1f s, %d deliveries in %.1f s%n", MOVEMENTS, movementSeconds,
                DELIVERIES, deliverySeconds);
        System.out.printf("forecast (two years, weekly, %d points, over %d deliveries and %d movements): p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d requests)%n",
                points, DELIVERIES, MOVEMENTS, micros[FORECASTS / 2] / 1000.0, micros[(int) (FORECASTS * 0.95)] / 1000.0,
                micros[FORECASTS - 1] / 1000.0, FORECASTS);
    }

    /** The service JVM's CPU time from its Prometheus metrics; NaN when unavailable. */
    private double serviceCpuSeconds() {
        try {
            String metrics = send("GET", "/q/metrics", null, null, 200);
            Matcher m = Pattern.compile("(?m)^process_cpu_time_ns_total ([0-9.E+]+)").matcher(metrics);
            return m.find() ? Double.parseDouble(m.group(1)) / 1e9 : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private int post(String path, String json) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String send(String method, String path, String type, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5));
        if (body != null) {
            b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
        return response.body();
    }
}
