package dev.tessera.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RationingTest {

    @TestHTTPResource("/api/v1/reservations")
    URI reservations;

    private static final LocalDate TODAY = LocalDate.now();

    private static Map<String, Object> reservation(String chip, int quantity, LocalDate from, LocalDate to) {
        return Map.of("team", "llm-core", "chip", chip, "quantity", quantity, "from", from.toString(), "to", to.toString());
    }

    private static void schedule(String chip, String site, int quantity, LocalDate date) {
        given().contentType(ContentType.JSON).body(Map.of("supplier", "Inspur", "reference", Fixtures.unique("PO"),
                        "lines", List.of(Map.of("chip", chip, "quantity", quantity, "unitPrice", 1, "currency", "USD")),
                        "deliveries", List.of(Map.of("chip", chip, "quantity", quantity, "scheduledDate", date.toString(),
                                "site", site))))
                .post("/api/v1/purchase-orders").then().statusCode(201);
    }

    @Test
    void reservationsCountStockAndDeliveriesScheduledByThen() {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        Fixtures.stock(site, chip, 100, "IN_SERVICE");
        schedule(chip, site, 50, TODAY.plusDays(30));
        given().contentType(ContentType.JSON).body(reservation(chip, 100, TODAY, TODAY.plusDays(10)))
                .post("/api/v1/reservations").then().statusCode(201).body("quantity", equalTo(100));
        // Before the delivery nothing is left; after it, 50 more.
        given().contentType(ContentType.JSON).body(reservation(chip, 1, TODAY.plusDays(5), TODAY.plusDays(40)))
                .post("/api/v1/reservations").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString(TODAY.plusDays(5).toString()));
        given().contentType(ContentType.JSON).body(reservation(chip, 150, TODAY.plusDays(30), TODAY.plusDays(40)))
                .post("/api/v1/reservations").then().statusCode(201);
        given().contentType(ContentType.JSON).body(reservation(chip, 1, TODAY.plusDays(35), TODAY.plusDays(36)))
                .post("/api/v1/reservations").then().statusCode(409);
        // The refused requests wrote nothing.
        given().get("/api/v1/reservations?chip=" + chip).then().body("$", hasSize(2));
    }

    @Test
    void aReservationRisingInsideTheWindowIsSeen() {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        Fixtures.stock(site, chip, 10, "IN_SERVICE");
        given().contentType(ContentType.JSON).body(reservation(chip, 8, TODAY.plusDays(20), TODAY.plusDays(30)))
                .post("/api/v1/reservations").then().statusCode(201);
        // Free at the start of the window, overbooked from day 20 on.
        given().contentType(ContentType.JSON).body(reservation(chip, 5, TODAY, TODAY.plusDays(25)))
                .post("/api/v1/reservations").then().statusCode(409)
                .body("detail", containsString(TODAY.plusDays(20).toString()));
        // Ending the day it starts ([from, to) is half-open) fits.
        given().contentType(ContentType.JSON).body(reservation(chip, 5, TODAY, TODAY.plusDays(20)))
                .post("/api/v1/reservations").then().statusCode(201);
    }

    @Test
    void sixtyFourConcurrentReservationsNeverOverbook() throws Exception {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        Fixtures.stock(site, chip, 40, "IN_SERVICE");
        String body = "{\"team\":\"research\",\"chip\":\"" + chip + "\",\"quantity\":1,\"from\":\"" + TODAY
                + "\",\"to\":\"" + TODAY.plusDays(7) + "\"}";
        List<Integer> codes = Concurrently.post(reservations, Collections.nCopies(64, body));
        assertThat(codes).containsOnly(201, 409);
        assertThat(Collections.frequency(codes, 201)).isEqualTo(40);
        given().get("/api/v1/reservations?chip=" + chip).then().body("quantity.sum()", equalTo(40));
    }

    @jakarta.inject.Inject
    dev.tessera.inventory.rationing.ReservationDesk desk;

    /**
     * Requests decided in one transaction: one the database refuses (a NUL in its job id, which the REST API
     * refuses earlier) fails alone, and every other request of its group is booked.
     */
    @Test
    void aRequestTheDatabaseRefusesFailsAloneNotTheRequestsDecidedWithIt() throws Exception {
        String chip = Fixtures.chip(0.75);
        Fixtures.stock(Fixtures.site(), chip, 100, "IN_SERVICE");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(30);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<Boolean>> booked = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String jobId = i % 3 == 0 ? "bad\u0000" + i : "ok-" + i;
                booked.add(pool.submit(() -> {
                    gate.await();
                    try {
                        desk.reserve(new dev.tessera.inventory.rationing.ReservationDesk.Request("probe", chip, 1, TODAY,
                                TODAY.plusDays(1), jobId));
                        return true;
                    } catch (RuntimeException e) {
                        return false;
                    }
                }));
            }
            gate.countDown();
            int ok = 0;
            for (int i = 0; i < 30; i++) {
                boolean b = booked.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(b).as("request " + i).isEqualTo(i % 3 != 0);
                ok += b ? 1 : 0;
            }
            assertThat(ok).isEqualTo(20);
        } finally {
            pool.shutdownNow();
        }
        given().get("/api/v1/reservations?chip=" + chip).then().body("$", hasSize(20));
    }

    @Test
    void reservationValidationAndRelease() {
        String chip = Fixtures.chip(0.75);
        Fixtures.stock(Fixtures.site(), chip, 5, "IN_SERVICE");
        given().contentType(ContentType.JSON).body(reservation(chip, 1, TODAY.plusDays(5), TODAY.plusDays(5)))
                .post("/api/v1/reservations").then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().contentType(ContentType.JSON).body(reservation("tpu-v9", 1, TODAY, TODAY.plusDays(5)))
                .post("/api/v1/reservations").then().statusCode(400).body("detail", containsString("tpu-v9"));
        given().contentType(ContentType.JSON).body(Map.of("team", "LLM Core", "chip", chip, "quantity", 0))
                .post("/api/v1/reservations").then().statusCode(400).contentType("application/problem+json")
                .body("errors", hasSize(4));
        given().contentType(ContentType.JSON).body(Map.of("team", "vision", "chip", chip, "quantity", 5,
                        "from", TODAY + "T08:00:00Z", "to", TODAY.plusDays(3) + "T08:00:00Z", "jobId", "job-1"))
                .post("/api/v1/reservations").then().statusCode(201).extract().path("id");
        long id = given().get("/api/v1/reservations?chip=" + chip).then().extract().jsonPath().getLong("[0].id");
        given().contentType(ContentType.JSON).body(reservation(chip, 1, TODAY, TODAY.plusDays(1)))
                .post("/api/v1/reservations").then().statusCode(409);
        given().delete("/api/v1/reservations/" + id).then().statusCode(204);
        given().contentType(ContentType.JSON).body(reservation(chip, 1, TODAY, TODAY.plusDays(1)))
                .post("/api/v1/reservations").then().statusCode(201);
    }

    @Test
    void quotasAreTimeBoundedAndDoNotOverlap() {
        String chip = Fixtures.chip(0.32);
        given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", 64))
                .post("/api/v1/quotas").then().statusCode(201).body("from", equalTo(null));
        given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", 32,
                        "from", "2027-01-01"))
                .post("/api/v1/quotas").then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("team", "vision", "chip", chip, "quantity", 16,
                        "from", "2027-01-01", "to", "2027-07-01"))
                .post("/api/v1/quotas").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("team", "vision", "chip", chip, "quantity", 24,
                        "from", "2027-07-01"))
                .post("/api/v1/quotas").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("team", "vision", "chip", chip, "quantity", 24,
                        "from", "2027-07-01", "to", "2027-03-01"))
                .post("/api/v1/quotas").then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().contentType(ContentType.JSON).body(Map.of("team", "vision", "chip", "tpu-v9", "quantity", 1))
                .post("/api/v1/quotas").then().statusCode(400).body("detail", containsString("tpu-v9"));
        given().get("/api/v1/quotas?chip=" + chip).then().body("$", hasSize(3));
    }

    @Test
    void aCreatedQuotaIsReadAtItsLocation() {
        String chip = Fixtures.chip(0.32);
        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("team", "research", "chip", chip, "quantity", 12, "from", "2027-01-01", "to", "2027-07-01"))
                .post("/api/v1/quotas").then().statusCode(201).extract().response();
        String location = created.header("Location");
        assertThat(location).endsWith("/api/v1/quotas/" + created.jsonPath().getLong("id"));
        Map<String, Object> read = given().get(location).then().statusCode(200).contentType(ContentType.JSON)
                .body("team", equalTo("research")).body("chip", equalTo(chip)).body("quantity", equalTo(12))
                .body("from", equalTo("2027-01-01")).body("to", equalTo("2027-07-01"))
                .extract().jsonPath().getMap("$");
        assertThat(read).isEqualTo(created.jsonPath().getMap("$"));

        given().get("/api/v1/quotas/987654321").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("detail", equalTo("quota '987654321' does not exist"));
        // Gone after DELETE, which keeps answering 204.
        given().delete(location).then().statusCode(204);
        given().get(location).then().statusCode(404).contentType("application/problem+json");
        given().delete(location).then().statusCode(204);
    }

    @Test
    void absurdAndFractionalCountsAreRefusedAndCannotWrapIntoAnOverbooking() {
        String chip = Fixtures.chip(0.75);
        Fixtures.stock(Fixtures.site(), chip, 10, "IN_SERVICE");
        given().contentType(ContentType.JSON).body(reservation(chip, 1, TODAY, TODAY.plusDays(10)))
                .post("/api/v1/reservations").then().statusCode(201);
        // 1 + 2147483647 wraps in int arithmetic: it must be refused, not booked.
        given().contentType(ContentType.JSON).body(reservation(chip, Integer.MAX_VALUE, TODAY, TODAY.plusDays(10)))
                .post("/api/v1/reservations").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("quantity"))
                .body("errors[0].message", containsString("10000000"));
        given().contentType(ContentType.JSON).body(reservation(chip, 10_000_001, TODAY, TODAY.plusDays(10)))
                .post("/api/v1/reservations").then().statusCode(400).body("errors[0].field", equalTo("quantity"));
        given().contentType(ContentType.JSON).body("{\"team\":\"llm-core\",\"chip\":\"" + chip + "\",\"quantity\":1.5,"
                        + "\"from\":\"" + TODAY + "\",\"to\":\"" + TODAY.plusDays(10) + "\"}")
                .post("/api/v1/reservations").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("quantity"))
                .body("errors[0].message", containsString("1.5"));
        given().get("/api/v1/reservations?chip=" + chip).then().body("$", hasSize(1));
        // What is left is still exactly 9.
        given().contentType(ContentType.JSON).body(reservation(chip, 10, TODAY, TODAY.plusDays(10)))
                .post("/api/v1/reservations").then().statusCode(409);
        given().contentType(ContentType.JSON).body(reservation(chip, 9, TODAY, TODAY.plusDays(10)))
                .post("/api/v1/reservations").then().statusCode(201);
        given().contentType(ContentType.JSON).body(reservation(chip, 1, TODAY, TODAY.plusDays(10)))
                .post("/api/v1/reservations").then().statusCode(409);
    }

    @Test
    void quotaCountsHaveTheSameBound() {
        String chip = Fixtures.chip(0.32);
        given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", 10_000_001))
                .post("/api/v1/quotas").then().statusCode(400).body("errors[0].field", equalTo("quantity"));
        given().contentType(ContentType.JSON).body("{\"team\":\"llm-core\",\"chip\":\"" + chip + "\",\"quantity\":2.5}")
                .post("/api/v1/quotas").then().statusCode(400).body("errors[0].field", equalTo("quantity"));
        given().get("/api/v1/quotas?chip=" + chip).then().body("$", hasSize(0));
        given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", 10_000_000))
                .post("/api/v1/quotas").then().statusCode(201);
    }
}
