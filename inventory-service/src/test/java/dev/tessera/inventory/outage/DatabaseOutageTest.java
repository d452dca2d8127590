package dev.tessera.inventory.outage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tessera.inventory.Fixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped and started under a running inventory service: while it is down every call answers
 * 503 problem+json with Retry-After (never a 500), and once it is back the very next calls succeed on the
 * pool's connections without restarting the service; a receipt retried with its Idempotency-Key counts once.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnDatabase.class)
class DatabaseOutageTest {

    /** Its own database server, so stopping it leaves the other test classes' database alone. */
    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestartablePostgres.class));
        }
    }

    @Test
    void aDatabaseRestartIsSurvivedWithoutLosingOrDoublingWrites() throws Exception {
        String chip = Fixtures.chip(0.5);
        String site = Fixtures.site();
        Fixtures.stock(site, chip, 64, "IN_SERVICE");
        long delivery = given().contentType(ContentType.JSON).body(Map.of("supplier", "Inspur", "reference", Fixtures.unique("PO"),
                        "lines", List.of(Map.of("chip", chip, "quantity", 10, "unitPrice", 1, "currency", "USD")),
                        "deliveries", List.of(Map.of("chip", chip, "quantity", 10,
                                "scheduledDate", LocalDate.now().plusDays(30).toString(), "site", site))))
                .post("/api/v1/purchase-orders").then().statusCode(201).extract().jsonPath().getLong("deliveries[0].id");
        // several requests at once, so the pool holds several connections that the restart will break
        for (int i = 0; i < 6; i++) {
            given().get("/api/v1/sites").then().statusCode(200);
        }
        receipt(delivery, "before").then().statusCode(201);
        reserve(chip, "before").then().statusCode(201);

        RestartablePostgres.stopServer();
        try {
            for (Response r : List.of(receipt(delivery, "during"), reserve(chip, "during"), given().get("/api/v1/reservations"))) {
                r.then().statusCode(503).contentType("application/problem+json")
                        .body("type", equalTo("https://tessera.dev/problems/database-unavailable"));
                assertThat(r.header("Retry-After")).isNotBlank();
            }
        } finally {
            RestartablePostgres.startServer();
        }

        // back: the first calls succeed, on the pool's replaced connections
        receipt(delivery, "during").then().statusCode(201);
        reserve(chip, "during").then().statusCode(201);
        receipt(delivery, "during").then().statusCode(200).header("Idempotent-Replayed", "true");
        receipt(delivery, "after").then().statusCode(201);
        given().get("/api/v1/deliveries/" + delivery).then().statusCode(200)
                .body("received", equalTo(3)).body("remaining", equalTo(7));
        List<String> jobs = given().queryParam("chip", chip).get("/api/v1/reservations").then().statusCode(200)
                .extract().jsonPath().getList("jobId", String.class);
        assertThat(jobs).containsExactlyInAnyOrder("before", "during");
    }

    private static Response receipt(long delivery, String key) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", "outage-" + key + "-" + delivery)
                .body(Map.of("quantity", 1)).post("/api/v1/deliveries/" + delivery + "/receipts");
    }

    private static Response reserve(String chip, String job) {
        return given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", 2,
                "from", LocalDate.now().plusDays(1).toString(), "to", LocalDate.now().plusDays(10).toString(), "jobId", job))
                .post("/api/v1/reservations");
    }
}
