package dev.tessera.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeliveriesTest {

    private static long orderOne(String chip, String site, int quantity, LocalDate date) {
        Map<String, Object> body = Map.of("supplier", "Inspur", "reference", Fixtures.unique("PO"),
                "lines", List.of(Map.of("chip", chip, "quantity", quantity, "unitPrice", 24500.0, "currency", "USD")),
                "deliveries", List.of(Map.of("chip", chip, "quantity", quantity, "scheduledDate", date.toString(),
                        "site", site)));
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/purchase-orders")
                .then().statusCode(201).body("deliveries[0].id", notNullValue())
                .extract().jsonPath().getLong("deliveries[0].id");
    }

    @Test
    void purchaseOrderAnswersDeliveryIdsAndRefusesUnknownReferences() {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        long id = orderOne(chip, site, 512, LocalDate.now().plusDays(60));
        given().get("/api/v1/deliveries/" + id).then().statusCode(200)
                .body("state", equalTo("SCHEDULED")).body("remaining", equalTo(512)).body("site", equalTo(site));

        Map<String, Object> bad = Map.of("supplier", "Inspur", "reference", Fixtures.unique("PO"),
                "lines", List.of(Map.of("chip", "tpu-v9", "quantity", 8, "unitPrice", 1, "currency", "USD")),
                "deliveries", List.of(Map.of("chip", chip, "quantity", 8, "scheduledDate", "2027-01-01", "site", "atlantis")));
        given().contentType(ContentType.JSON).body(bad).post("/api/v1/purchase-orders").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("lines[0].chip"))
                .body("errors.field", hasItem("deliveries[0].site"))
                .body("errors.message", hasItem(containsString("tpu-v9")))
                .body("errors.message", hasItem(containsString("atlantis")));
        Map<String, Object> invalid = Map.of("supplier", "", "reference", "r",
                "lines", List.of(Map.of("chip", chip, "quantity", -1, "unitPrice", 1, "currency", "dollars")));
        given().contentType(ContentType.JSON).body(invalid).post("/api/v1/purchase-orders").then().statusCode(400)
                .body("errors.field", hasItem("supplier"))
                .body("errors.field", hasItem("lines[0].quantity"))
                .body("errors.field", hasItem("lines[0].currency"));
    }

    @Test
    void everyChangeIsKeptAsHistoryAndClosedDeliveriesStayClosed() {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        LocalDate date = LocalDate.now().plusDays(60);
        long id = orderOne(chip, site, 100, date);
        given().contentType(ContentType.JSON).body(Map.of("state", "SHIPPED", "note", "left the factory"))
                .patch("/api/v1/deliveries/" + id).then().statusCode(200).body("state", equalTo("SHIPPED"));
        given().contentType(ContentType.JSON)
                .body(Map.of("scheduledDate", date.plusDays(30).toString(), "state", "DELAYED", "note", "customs"))
                .patch("/api/v1/deliveries/" + id).then().statusCode(200)
                .body("scheduledDate", equalTo(date.plusDays(30).toString()))
                .body("history", hasSize(3))
                .body("history[2].fromDate", equalTo(date.toString()))
                .body("history[2].toState", equalTo("DELAYED"))
                .body("history[2].note", equalTo("customs"));
        given().contentType(ContentType.JSON).body(Map.of("state", "RECEIVED"))
                .patch("/api/v1/deliveries/" + id).then().statusCode(400).body("errors[0].field", equalTo("state"));
        given().contentType(ContentType.JSON).body(Map.of("note", "nothing"))
                .patch("/api/v1/deliveries/" + id).then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("state", "CANCELLED", "note", "licence refused"))
                .patch("/api/v1/deliveries/" + id).then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("state", "SCHEDULED"))
                .patch("/api/v1/deliveries/" + id).then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("quantity", 1))
                .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(409);
        given().contentType(ContentType.JSON).body(Map.of("state", "SHIPPED"))
                .patch("/api/v1/deliveries/424242424").then().statusCode(404);
    }

    @Test
    void aRetriedReceiptCountsOnceAndOverReceiptIsRefused() {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        long id = orderOne(chip, site, 10, LocalDate.now().plusDays(10));
        String key = Fixtures.unique("key");
        for (int attempt = 0; attempt < 3; attempt++) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("quantity", 6))
                    .post("/api/v1/deliveries/" + id + "/receipts")
                    .then().statusCode(attempt == 0 ? 201 : 200).body("remaining", equalTo(4));
        }
        given().get("/api/v1/stock?chip=" + chip).then().body("find { it.state == 'WAREHOUSE' }.quantity", equalTo(6));
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("quantity", 2))
                .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(409)
                .body("type", containsString("idempotency-key-reused"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", Fixtures.unique("key")).body(Map.of("quantity", 5))
                .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("still owes 4"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", Fixtures.unique("key")).body(Map.of("quantity", 4))
                .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(201)
                .body("deliveryState", equalTo("RECEIVED")).body("remaining", equalTo(0));
        given().get("/api/v1/deliveries/" + id).then().body("state", equalTo("RECEIVED")).body("received", equalTo(10));
        given().get("/api/v1/stock?chip=" + chip).then().body("find { it.state == 'WAREHOUSE' }.quantity", equalTo(10));
    }

    @Test
    void aReceiptIsReadAtItsLocation() {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        String other = Fixtures.site();
        long id = orderOne(chip, site, 10, LocalDate.now().plusDays(10));
        long otherDelivery = orderOne(chip, site, 10, LocalDate.now().plusDays(10));
        String key = Fixtures.unique("key");
        Response created = given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("quantity", 3, "site", other))
                .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(201).extract().response();
        long receipt = created.jsonPath().getLong("id");
        String location = created.header("Location");
        assertThat(location).endsWith("/api/v1/deliveries/" + id + "/receipts/" + receipt);
        Map<String, Object> read = given().get(location).then().statusCode(200).contentType(ContentType.JSON)
                .body("deliveryId", equalTo((int) id)).body("quantity", equalTo(3)).body("site", equalTo(other))
                .body("idempotencyKey", equalTo(key)).body("deliveryState", equalTo("SCHEDULED"))
                .body("remaining", equalTo(7))
                .extract().jsonPath().getMap("$");
        assertThat(read).isEqualTo(created.jsonPath().getMap("$"));

        given().get("/api/v1/deliveries/" + id + "/receipts/987654321").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404))
                .body("detail", equalTo("delivery " + id + " has no receipt '987654321'"));
        // A receipt is found only under its own delivery.
        given().get("/api/v1/deliveries/" + otherDelivery + "/receipts/" + receipt).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString(String.valueOf(receipt)));
        given().get("/api/v1/deliveries/987654321/receipts/" + receipt).then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("delivery '987654321' does not exist"));
    }

    @Test
    void concurrentRetriesOfOneReceiptCountOnce() throws Exception {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        long id = orderOne(chip, site, 100, LocalDate.now().plusDays(10));
        String key = Fixtures.unique("key");
        java.net.URI uri = java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                + "/api/v1/deliveries/" + id + "/receipts");
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<Integer>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .header("Idempotency-Key", key)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"quantity\":7}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).thenApply(java.net.http.HttpResponse::statusCode));
        }
        List<Integer> codes = calls.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        assertThat(codes).containsOnly(200, 201);
        given().get("/api/v1/deliveries/" + id).then().body("received", equalTo(7));
    }

    @Test
    void receiptIntoAnotherSiteAndUnknownSite() {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        String other = Fixtures.site();
        long id = orderOne(chip, site, 10, LocalDate.now().plusDays(10));
        given().contentType(ContentType.JSON).body(Map.of("quantity", 3, "site", "atlantis"))
                .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(400)
                .body("detail", containsString("atlantis"));
        given().contentType(ContentType.JSON).body(Map.of("quantity", 3, "site", other))
                .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(201).body("site", equalTo(other));
        given().get("/api/v1/stock?site=" + other).then().body("find { it.chip == '" + chip + "' }.quantity", equalTo(3));
        given().contentType(ContentType.JSON).body(Map.of("quantity", 0))
                .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(400)
                .body("errors[0].field", equalTo("quantity"));
    }

    @Test
    void deliveryScheduleCsvImportsAllOrNothing() {
        String chip = Fixtures.chip(0.30);
        String site = Fixtures.site();
        String ref = Fixtures.unique("PO");
        String good = "reference,supplier,chip,quantity,scheduledDate,site\n"
                + ref + ",Huawei," + chip + ",512,2027-03-01," + site + "\n"
                + ref + ",," + chip + ",256,2027-06-01," + site + "\n";
        given().contentType("text/csv").body(good).post("/api/v1/deliveries/import").then().statusCode(200)
                .body("imported", equalTo(2)).body("ordersCreated", equalTo(1));
        given().get("/api/v1/deliveries?chip=" + chip).then().body("$", hasSize(2))
                .body("scheduledDate", hasItem("2027-06-01"));
        String bad = "reference,supplier,chip,quantity,scheduledDate,site,state\n"
                + ref + ",," + chip + ",100,2027-09-01," + site + ",\n"
                + ref + ",," + chip + ",100,next spring," + site + ",\n"
                + Fixtures.unique("PO") + ",," + chip + ",100,2027-09-01," + site + ",\n"
                + ref + ",," + chip + ",100,2027-09-01," + site + ",RECEIVED\n";
        given().contentType("text/csv").body(bad).post("/api/v1/deliveries/import").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("rows[3].scheduledDate"))
                .body("errors.field", hasItem("rows[4].supplier"))
                .body("errors.field", hasItem("rows[5].state"));
        given().get("/api/v1/deliveries?chip=" + chip).then().body("$", hasSize(2));
    }

    private static String orderBody(String reference, String chip, String unitPrice) {
        return "{\"supplier\":\"Inspur\",\"reference\":\"" + reference + "\",\"lines\":[{\"chip\":\"" + chip
                + "\",\"quantity\":8,\"unitPrice\":" + unitPrice + ",\"currency\":\"USD\"}]}";
    }

    @Test
    void unitPricesMustFitTheirColumnAsSent() {
        String chip = Fixtures.chip(0.75);
        for (String price : List.of("1e131072", "1.005", "100000000000000", "1e-5")) {
            String ref = Fixtures.unique("PO");
            given().contentType(ContentType.JSON).body(orderBody(ref, chip, price)).post("/api/v1/purchase-orders")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("lines[0].unitPrice"));
            given().get("/api/v1/purchase-orders").then().body("reference", not(hasItem(ref)));
        }
        long id = given().contentType(ContentType.JSON).body(orderBody(Fixtures.unique("PO"), chip, "99999999999999.99"))
                .post("/api/v1/purchase-orders").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        // Read back as stored: exactly what was sent.
        assertThat(given().get("/api/v1/purchase-orders/" + id).then().statusCode(200).extract().asString())
                .contains("\"unitPrice\":99999999999999.99");
    }

    @Test
    void countsInOrdersAndReceiptsAreBoundedAndWhole() {
        String chip = Fixtures.chip(0.75);
        String site = Fixtures.site();
        Map<String, Object> tooMany = Map.of("supplier", "Inspur", "reference", Fixtures.unique("PO"),
                "lines", List.of(Map.of("chip", chip, "quantity", 10_000_001, "unitPrice", 1, "currency", "USD")),
                "deliveries", List.of(Map.of("chip", chip, "quantity", 10_000_001, "scheduledDate", "2027-01-01", "site", site)));
        given().contentType(ContentType.JSON).body(tooMany).post("/api/v1/purchase-orders").then().statusCode(400)
                .body("errors.field", hasItem("lines[0].quantity"))
                .body("errors.field", hasItem("deliveries[0].quantity"));
        given().get("/api/v1/deliveries?chip=" + chip).then().body("$", hasSize(0));
        long id = orderOne(chip, site, 10, LocalDate.now().plusDays(10));
        given().contentType(ContentType.JSON).body("{\"quantity\":2.5}")
                .post("/api/v1/deliveries/" + id + "/receipts").then().statusCode(400)
                .body("errors[0].field", equalTo("quantity"));
        given().get("/api/v1/deliveries/" + id).then().body("received", equalTo(0));
    }

    @Test
    void anOrderWithoutLinesFromAnEarlierImportStillTakesImportedDeliveries() {
        String chip = Fixtures.chip(0.30);
        String site = Fixtures.site();
        String ref = Fixtures.unique("PO");
        // as imports stored a new order before they gave it lines
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            dev.tessera.inventory.orders.PurchaseOrder order = new dev.tessera.inventory.orders.PurchaseOrder();
            order.supplier = "Huawei";
            order.reference = ref;
            order.createdAt = java.time.Instant.now();
            order.persist();
        });
        given().contentType("text/csv").body("reference,chip,quantity,scheduledDate,site\n" + ref + "," + chip + ",40,2027-02-01," + site + "\n")
                .post("/api/v1/deliveries/import").then().statusCode(200).body("imported", equalTo(1)).body("ordersCreated", equalTo(0));
        given().get("/api/v1/deliveries?chip=" + chip).then().body("$", hasSize(1)).body("[0].quantity", equalTo(40));
    }

    @Test
    void deliveryImportChecksWhatTheJsonPathChecks() {
        String chip = Fixtures.chip(0.30);
        String other = Fixtures.chip(0.30);
        String site = Fixtures.site();
        String ref = Fixtures.unique("PO");
        given().contentType(ContentType.JSON).body(Map.of("supplier", "Huawei", "reference", ref,
                        "lines", List.of(Map.of("chip", chip, "quantity", 100, "unitPrice", 1, "currency", "USD")),
                        "deliveries", List.of(Map.of("chip", chip, "quantity", 60, "scheduledDate", "2027-01-01", "site", site))))
                .post("/api/v1/purchase-orders").then().statusCode(201);
        String fresh = Fixtures.unique("PO");
        String bad = "reference,supplier,chip,quantity,scheduledDate,site\n"
                + ref + ",," + chip + ",40,2027-02-01," + site + "\n"                      // 2: fits the 100 ordered
                + ref + ",," + chip + ",1,2027-02-02," + site + "\n"                       // 3: one more than ordered
                + ref + ",," + other + ",5,2027-02-01," + site + "\n"                      // 4: not on the order
                + fresh + ",Huawei," + chip + ",5,9999-12-31," + site + "\n"               // 5
                + fresh + ",Huawei," + chip + ",5,0001-01-01," + site + "\n"               // 6
                + fresh + ",Huawei," + chip + ",10000001,2027-01-01," + site + "\n"        // 7
                + "R".repeat(129) + ",Huawei," + chip + ",1,2027-01-01," + site + "\n"     // 8
                + Fixtures.unique("PO") + "," + "S".repeat(257) + "," + chip + ",1,2027-01-01," + site + "\n" // 9
                + fresh + ",Huawei," + chip + ",6000000,2027-01-01," + site + "\n"         // 10
                + fresh + ",Huawei," + chip + ",6000000,2027-01-02," + site + "\n";        // 11: the new line would exceed the bound
        given().contentType("text/csv").body(bad).post("/api/v1/deliveries/import").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("rows[3].quantity", "rows[4].chip", "rows[5].scheduledDate",
                        "rows[6].scheduledDate", "rows[7].quantity", "rows[8].reference", "rows[9].supplier",
                        "rows[11].quantity")))
                .body("errors.message", hasItem(containsString("exceed the 100 ordered")))
                .body("errors.message", hasItem(containsString("1970-01-01 and 2200-12-31")))
                .body("errors.message", hasItem(containsString("at most 128 characters")))
                .body("errors.message", hasItem(containsString("at most 256 characters")));
        given().get("/api/v1/deliveries?chip=" + chip).then().body("$", hasSize(1));
        given().get("/api/v1/purchase-orders").then().body("reference", not(hasItem(fresh)));

        // A new order gets the lines its rows schedule, and later rows are held to them.
        String good = "reference,supplier,chip,quantity,scheduledDate,site\n"
                + ref + ",," + chip + ",40,2027-02-01," + site + "\n"
                + fresh + ",Huawei," + chip + ",300,2027-03-01," + site + "\n"
                + fresh + ",," + chip + ",200,2027-04-01," + site + "\n";
        given().contentType("text/csv").body(good).post("/api/v1/deliveries/import").then().statusCode(200)
                .body("imported", equalTo(3)).body("ordersCreated", equalTo(1));
        Map<String, Object> created = given().get("/api/v1/purchase-orders").then().extract().jsonPath()
                .getMap("find { it.reference == '" + fresh + "' }");
        given().get("/api/v1/purchase-orders/" + created.get("id")).then()
                .body("lines", hasSize(1)).body("lines[0].chip", equalTo(chip)).body("lines[0].quantity", equalTo(500));
        given().contentType("text/csv").body("reference,chip,quantity,scheduledDate,site\n" + fresh + "," + chip
                        + ",1,2027-05-01," + site + "\n").post("/api/v1/deliveries/import").then().statusCode(400)
                .body("errors[0].field", equalTo("rows[2].quantity"))
                .body("errors[0].message", containsString("exceed the 500 ordered"));
        // Cancelling a delivery gives its units back to the order.
        long march = given().get("/api/v1/purchase-orders/" + created.get("id")).then().extract().jsonPath()
                .getLong("deliveries.find { it.quantity == 300 }.id");
        given().contentType(ContentType.JSON).body(Map.of("state", "CANCELLED")).patch("/api/v1/deliveries/" + march)
                .then().statusCode(200);
        given().contentType("text/csv").body("reference,chip,quantity,scheduledDate,site\n" + fresh + "," + chip
                        + ",300,2027-05-01," + site + "\n").post("/api/v1/deliveries/import").then().statusCode(200);
    }
}
