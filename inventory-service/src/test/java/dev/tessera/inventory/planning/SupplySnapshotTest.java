package dev.tessera.inventory.planning;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.inventory.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A receipt moves units from what a delivery owes into stock; the supply it is part of stays the same. Read
 * while receipts commit, the forecast, the runway and the reservation check must each see one or the other,
 * never both (or neither).
 */
@QuarkusTest
class SupplySnapshotTest {

    private static final LocalDate TODAY = LocalDate.now();

    @Test
    void receiptsUnderWayNeitherAddToTheSupplyNorLetReservationsOverbookIt() throws Exception {
        String chip = Fixtures.chip(0.5);
        String site = Fixtures.site();
        int deliveries = 120;
        int each = 10;
        int total = deliveries * each;
        List<Map<String, Object>> scheduled = new ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
            scheduled.add(Map.of("chip", chip, "quantity", each, "scheduledDate", TODAY.plusDays(10).toString(), "site", site));
        }
        List<Long> ids = given().contentType(ContentType.JSON).body(Map.of("supplier", "Inspur", "reference", Fixtures.unique("PO"),
                        "lines", List.of(Map.of("chip", chip, "quantity", total, "unitPrice", 1, "currency", "USD")),
                        "deliveries", scheduled))
                .post("/api/v1/purchase-orders").then().statusCode(201).extract().jsonPath().getList("deliveries.id", Long.class);
        String window = TODAY.plusDays(20).toString();
        String windowEnd = TODAY.plusDays(30).toString();
        // every chip there will be is reserved
        given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", total,
                "from", window, "to", windowEnd)).post("/api/v1/reservations").then().statusCode(201);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean receiving = new AtomicBoolean(true);
        try {
            List<Future<?>> receipts = new ArrayList<>();
            for (long id : ids) {
                receipts.add(pool.submit(() -> given().contentType(ContentType.JSON).body(Map.of("quantity", each))
                        .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(201)));
            }
            Future<List<Integer>> reservations = pool.submit(() -> {
                List<Integer> codes = new ArrayList<>();
                while (receiving.get()) {
                    codes.add(given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", 5,
                            "from", window, "to", windowEnd)).post("/api/v1/reservations").then().extract().statusCode());
                }
                return codes;
            });
            List<Integer> onHand = new ArrayList<>();
            List<Boolean> covered = new ArrayList<>();
            while (!receipts.stream().allMatch(Future::isDone)) {
                onHand.add(given().get("/api/v1/forecast?chip=" + chip + "&from=" + window + "&to=" + window + "&step=day")
                        .then().statusCode(200).extract().jsonPath().getInt("points[0].onHand"));
                covered.add(given().get("/api/v1/runway?chip=" + chip + "&demand=" + window + ":" + (total + 1))
                        .then().statusCode(200).extract().jsonPath().getBoolean("covered"));
            }
            for (Future<?> r : receipts) {
                r.get();
            }
            receiving.set(false);
            assertThat(onHand).as("on hand on %s while deliveries were received", window).isNotEmpty().containsOnly(total);
            assertThat(covered).as("a demand of one chip more than there are, covered?").containsOnly(false);
            assertThat(reservations.get()).as("reservations beyond the supply").isNotEmpty().containsOnly(409);
        } finally {
            receiving.set(false);
            pool.shutdownNow();
        }
        assertThat(given().get("/api/v1/forecast?chip=" + chip + "&from=" + window + "&to=" + window + "&step=day")
                .then().extract().jsonPath().getInt("points[0].free")).isZero();
    }
}
