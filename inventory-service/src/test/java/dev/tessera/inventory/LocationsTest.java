package dev.tessera.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every create that answers 201 names what it made in {@code Location}, and a GET there answers what the create
 * answered. (The CSV imports answer 200 with counts, and {@code POST /sample-data} 201 with a summary of many
 * resources: no one resource to name.)
 */
@QuarkusTest
class LocationsTest {

    private static final LocalDate TODAY = LocalDate.now();

    @Test
    void everyCreatedResourceIsReadAtItsLocation() {
        String chip = Fixtures.unique("chip");
        createAndRead("/api/v1/chip-models", "/api/v1/chip-models/" + chip,
                Map.of("id", chip, "vendor", "NVIDIA", "name", "Test " + chip, "h100Equivalent", 0.5));
        String site = Fixtures.unique("site");
        createAndRead("/api/v1/sites", "/api/v1/sites/" + site, Map.of("id", site, "name", "Site " + site, "kind", "WAREHOUSE"));
        createAndRead("/api/v1/stock/movements", "/api/v1/stock/movements/",
                Map.of("site", site, "chip", chip, "quantity", 20, "to", "IN_SERVICE", "note", "opening"));
        Response order = createAndRead("/api/v1/purchase-orders", "/api/v1/purchase-orders/", Map.of("supplier", "Inspur",
                "reference", Fixtures.unique("PO"),
                "lines", List.of(Map.of("chip", chip, "quantity", 8, "unitPrice", 24500.5, "currency", "USD")),
                "deliveries", List.of(Map.of("chip", chip, "quantity", 8, "scheduledDate", TODAY.plusDays(30).toString(),
                        "site", site))));
        // The deliveries a purchase order schedules are each readable by the id its answer gives them.
        long delivery = order.jsonPath().getLong("deliveries[0].id");
        given().get("/api/v1/deliveries/" + delivery).then().statusCode(200)
                .body("orderId", equalTo(order.jsonPath().getInt("id"))).body("quantity", equalTo(8));
        createAndRead("/api/v1/deliveries/" + delivery + "/receipts", "/api/v1/deliveries/" + delivery + "/receipts/",
                Map.of("quantity", 2));
        createAndRead("/api/v1/quotas", "/api/v1/quotas/", Map.of("team", "vision", "chip", chip, "quantity", 10));
        createAndRead("/api/v1/reservations", "/api/v1/reservations/", Map.of("team", "vision", "chip", chip,
                "quantity", 5, "from", TODAY.toString(), "to", TODAY.plusDays(7).toString(), "jobId", "job-1"));
    }

    /**
     * POSTs the body (201), checks that {@code Location} names the resource ({@code expected}, or {@code expected}
     * and the answer's {@code id} when it ends in a slash), and that a GET there answers 200 with the same JSON.
     */
    private static Response createAndRead(String path, String expected, Map<String, Object> body) {
        Response created = given().contentType(ContentType.JSON).body(body).post(path)
                .then().statusCode(201).extract().response();
        String location = created.header("Location");
        assertThat(location).as("Location of POST " + path)
                .endsWith(expected.endsWith("/") ? expected + created.jsonPath().getLong("id") : expected);
        Response read = given().get(location);
        assertThat(read.statusCode()).as("GET " + location + ": " + read.asString()).isEqualTo(200);
        assertThat(read.contentType()).as("GET " + location).startsWith("application/json");
        assertThat(read.jsonPath().getMap("$")).as("GET " + location).isEqualTo(created.jsonPath().getMap("$"));
        return created;
    }
}
