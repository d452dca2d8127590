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
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PlanningTest {

    private static final LocalDate TODAY = LocalDate.now();

    private record Fleet(String chip, long arriving50, long arriving30) {
    }

    /** 100 in service (+20 failed, not counted), 50 due on day 10, 30 due on day 20, 60 reserved for days 0-15. */
    private static Fleet fleet() {
        String chip = Fixtures.chip(0.5);
        String site = Fixtures.site();
        Fixtures.stock(site, chip, 100, "IN_SERVICE");
        Fixtures.stock(site, chip, 20, "FAILED");
        JsonPath order = given().contentType(ContentType.JSON).body(Map.of("supplier", "Inspur",
                        "reference", Fixtures.unique("PO"),
                        "lines", List.of(Map.of("chip", chip, "quantity", 80, "unitPrice", 1, "currency", "USD")),
                        "deliveries", List.of(
                                Map.of("chip", chip, "quantity", 50, "scheduledDate", TODAY.plusDays(10).toString(), "site", site),
                                Map.of("chip", chip, "quantity", 30, "scheduledDate", TODAY.plusDays(20).toString(), "site", site))))
                .post("/api/v1/purchase-orders").then().statusCode(201).extract().jsonPath();
        given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", 60,
                        "from", TODAY.toString(), "to", TODAY.plusDays(15).toString()))
                .post("/api/v1/reservations").then().statusCode(201);
        return new Fleet(chip, order.getLong("deliveries[0].id"), order.getLong("deliveries[1].id"));
    }

    private static JsonPath forecast(String chip) {
        return given().get("/api/v1/forecast?chip=" + chip + "&from=" + TODAY + "&to=" + TODAY.plusDays(28) + "&step=week")
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath runway(String chip) {
        return given().contentType(ContentType.JSON).body(Map.of("chip", chip, "demand", List.of(
                        Map.of("from", TODAY.toString(), "chips", 30), Map.of("from", TODAY.plusDays(12).toString(), "chips", 80))))
                .post("/api/v1/runway").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void forecastCountsStockDeliveriesAndReservations() {
        Fleet f = fleet();
        JsonPath p = forecast(f.chip);
        assertThat(p.getString("chip")).isEqualTo(f.chip);
        assertThat(p.getList("points.date")).containsExactly(TODAY.toString(), TODAY.plusDays(7).toString(),
                TODAY.plusDays(14).toString(), TODAY.plusDays(21).toString(), TODAY.plusDays(28).toString());
        assertThat(p.getList("points.onHand", Integer.class)).containsExactly(100, 100, 150, 180, 180);
        assertThat(p.getList("points.arriving", Integer.class)).containsExactly(0, 0, 50, 30, 0);
        assertThat(p.getList("points.reserved", Integer.class)).containsExactly(60, 60, 60, 0, 0);
        assertThat(p.getList("points.free", Integer.class)).containsExactly(40, 40, 90, 180, 180);
        assertThat(p.getList("points.freeH100Equivalent", Float.class)).containsExactly(20f, 20f, 45f, 90f, 90f);
    }

    @Test
    void slippedDeliveriesMoveForecastAndRunwayAtOnceAndCancelledOnesLeave() {
        Fleet f = fleet();
        JsonPath before = runway(f.chip);
        assertThat(before.getBoolean("covered")).isTrue();
        assertThat(before.getString("coveredUntil")).isNull();

        given().contentType(ContentType.JSON).body(Map.of("scheduledDate", TODAY.plusDays(25).toString(),
                        "state", "DELAYED", "note", "export licence"))
                .patch("/api/v1/deliveries/" + f.arriving50).then().statusCode(200);
        assertThat(forecast(f.chip).getList("points.onHand", Integer.class)).containsExactly(100, 100, 100, 130, 180);
        JsonPath after = runway(f.chip);
        assertThat(after.getBoolean("covered")).isFalse();
        assertThat(after.getString("coveredUntil")).isEqualTo(TODAY.plusDays(12).toString());
        assertThat(after.getList("shortfalls.date")).containsExactly(TODAY.plusDays(12).toString());
        assertThat(after.getList("shortfalls.missing")).containsExactly(40);
        assertThat(forecast(f.chip).getString("step")).isEqualTo("week");

        given().contentType(ContentType.JSON).body(Map.of("state", "CANCELLED", "note", "supplier cannot ship"))
                .patch("/api/v1/deliveries/" + f.arriving30).then().statusCode(200);
        assertThat(forecast(f.chip).getList("points.onHand", Integer.class)).containsExactly(100, 100, 100, 100, 150);
    }

    @Test
    void runwayWithoutChipCountsTheFleetInH100Equivalents() {
        Fleet f = fleet();
        JsonPath r = given().contentType(ContentType.JSON)
                .body(Map.of("demand", List.of(Map.of("from", TODAY.toString(), "chips", 1e15))))
                .post("/api/v1/runway").then().statusCode(200).extract().jsonPath();
        assertThat(r.getString("unit")).isEqualTo("h100Equivalent");
        assertThat(r.getString("coveredUntil")).isEqualTo(TODAY.toString());
        assertThat(f.chip).isNotNull();
        given().contentType(ContentType.JSON).body(Map.of("chip", "tpu-v9", "demand", List.of(Map.of("from", TODAY.toString(), "chips", 1))))
                .post("/api/v1/runway").then().statusCode(400).body("detail", containsString("tpu-v9"));
        given().contentType(ContentType.JSON).body(Map.of("chip", f.chip, "demand", List.of()))
                .post("/api/v1/runway").then().statusCode(400).body("errors[0].field", equalTo("demand"));
        given().contentType(ContentType.JSON).body(Map.of("chip", f.chip, "demand", List.of(Map.of("chips", -1))))
                .post("/api/v1/runway").then().statusCode(400)
                .body("errors.field", hasItem("demand[0].from"))
                .body("errors.field", hasItem("demand[0].chips"));
    }

    @Test
    void forecastExportsCsvAndRefusesBadParameters() {
        Fleet f = fleet();
        String csv = given().accept("text/csv")
                .get("/api/v1/forecast?chip=" + f.chip + "&from=" + TODAY + "&to=" + TODAY.plusDays(14) + "&step=week")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertThat(csv.lines().toList()).containsExactly("date,onHand,arriving,reserved,free,freeH100Equivalent",
                TODAY + ",100,0,60,40,20.0", TODAY.plusDays(7) + ",100,0,60,40,20.0", TODAY.plusDays(14) + ",150,50,60,90,45.0");
        given().get("/api/v1/forecast?chip=" + f.chip + "&step=fortnight").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("step"));
        given().get("/api/v1/forecast?chip=" + f.chip + "&from=tomorrow").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        given().get("/api/v1/forecast?chip=" + f.chip + "&from=2027-01-01&to=2026-01-01").then().statusCode(400);
        given().get("/api/v1/forecast?chip=" + f.chip + "&from=2000-01-01&to=2099-01-01&step=day").then().statusCode(400);
        given().get("/api/v1/forecast").then().statusCode(400).body("errors[0].field", equalTo("chip"));
        given().get("/api/v1/forecast?chip=tpu-v9").then().statusCode(404).body("detail", containsString("tpu-v9"));
        given().get("/api/v1/forecast?chip=" + f.chip + "&step=month&from=2027-01-31&to=2027-04-30").then().statusCode(200)
                .body("points.date", equalTo(List.of("2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30")));
    }

    @Test
    void availabilityListsQuotasInForceAndDeliveriesToCome() {
        Fleet f = fleet();
        given().contentType(ContentType.JSON).body(Map.of("team", "vision", "chip", f.chip, "quantity", 64))
                .post("/api/v1/quotas").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("team", "research", "chip", f.chip, "quantity", 8,
                "from", "2020-01-01", "to", "2021-01-01")).post("/api/v1/quotas").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("quantity", 20))
                .post("/api/v1/deliveries/" + f.arriving50 + "/receipts").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("state", "CANCELLED"))
                .patch("/api/v1/deliveries/" + f.arriving30).then().statusCode(200);
        given().get("/api/v1/availability").then().statusCode(200)
                .body("generatedAt", notNullValue())
                .body("quotas.findAll { it.chip == '" + f.chip + "' }", hasSize(1))
                .body("quotas.find { it.chip == '" + f.chip + "' }.team", equalTo("vision"))
                .body("quotas.find { it.chip == '" + f.chip + "' }.quantity", equalTo(64))
                .body("deliveries.findAll { it.chip == '" + f.chip + "' }", hasSize(1))
                .body("deliveries.find { it.chip == '" + f.chip + "' }.id", equalTo((int) f.arriving50))
                .body("deliveries.find { it.chip == '" + f.chip + "' }.remaining", equalTo(30))
                .body("deliveries.find { it.chip == '" + f.chip + "' }.quantity", equalTo(50))
                .body("deliveries.find { it.chip == '" + f.chip + "' }.state", equalTo("SCHEDULED"))
                .body("deliveries.find { it.chip == '" + f.chip + "' }.scheduledDate", equalTo(TODAY.plusDays(10).toString()))
                .body("deliveries.find { it.chip == '" + f.chip + "' }.site", notNullValue())
                .body("deliveries.id", not(hasItem((int) f.arriving30)))
                .body("chipModels.find { it.id == '" + f.chip + "' }.h100Equivalent", equalTo(0.5f));
    }

    @Test
    void totalsBeyondTwoBillionChipsAreCountedExactly() {
        // Each count is within the bound, but 250 of them add up to more than an int holds.
        int n = 250;
        int big = 10_000_000;
        String chip = Fixtures.chip(0.5);
        String site = Fixtures.site();
        StringBuilder stock = new StringBuilder("site,chip,quantity,to\n");
        for (int i = 0; i < n; i++) {
            stock.append(site).append(',').append(chip).append(',').append(big).append(',')
                    .append(i % 2 == 0 ? "WAREHOUSE" : "IN_SERVICE").append('\n');
        }
        given().contentType("text/csv").body(stock.toString()).post("/api/v1/stock/import").then().statusCode(200);
        List<Map<String, Object>> lines = new java.util.ArrayList<>();
        List<Map<String, Object>> deliveries = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(Map.of("chip", chip, "quantity", big, "unitPrice", 1, "currency", "USD"));
            deliveries.add(Map.of("chip", chip, "quantity", big, "scheduledDate", TODAY.plusDays(10).toString(), "site", site));
        }
        given().contentType(ContentType.JSON).body(Map.of("supplier", "Inspur", "reference", Fixtures.unique("PO"),
                "lines", lines, "deliveries", deliveries)).post("/api/v1/purchase-orders").then().statusCode(201);
        for (int i = 0; i < n; i++) {
            given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", big,
                            "from", TODAY.toString(), "to", TODAY.plusDays(30).toString()))
                    .post("/api/v1/reservations").then().statusCode(201);
        }
        // The stock is fully reserved until the delivery.
        given().contentType(ContentType.JSON).body(Map.of("team", "llm-core", "chip", chip, "quantity", 1,
                "from", TODAY.toString(), "to", TODAY.plusDays(1).toString())).post("/api/v1/reservations").then()
                .statusCode(409);
        JsonPath p = given().get("/api/v1/forecast?chip=" + chip + "&from=" + TODAY + "&to=" + TODAY.plusDays(14))
                .then().statusCode(200).extract().jsonPath();
        assertThat(p.getList("points.onHand", Long.class)).containsExactly(2_500_000_000L, 2_500_000_000L, 5_000_000_000L);
        assertThat(p.getList("points.arriving", Long.class)).containsExactly(0L, 0L, 2_500_000_000L);
        assertThat(p.getList("points.reserved", Long.class)).containsExactly(2_500_000_000L, 2_500_000_000L, 2_500_000_000L);
        assertThat(p.getList("points.free", Long.class)).containsExactly(0L, 0L, 2_500_000_000L);
        assertThat(p.getList("points.freeH100Equivalent", Double.class)).containsExactly(0.0, 0.0, 1.25e9);
    }

    @Test
    void forecastRefusesDatesOutsideTheRangeBodiesAllow() {
        Fleet f = fleet();
        for (String from : List.of("+999999999-12-31", "9999-12-31", "1969-12-31", "2201-01-01")) {
            given().queryParam("chip", f.chip).queryParam("from", from).get("/api/v1/forecast").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("from"))
                    .body("errors[0].message", containsString("1970-01-01 and 2200-12-31"));
        }
        given().queryParam("chip", f.chip).queryParam("from", "2200-01-01").queryParam("to", "+999999999-12-31")
                .get("/api/v1/forecast").then().statusCode(400)
                .body("errors[0].field", equalTo("to"));
        given().accept("text/csv").get("/api/v1/forecast?chip=" + f.chip + "&to=9999-12-31").then().statusCode(400)
                .body("errors[0].field", equalTo("to"));
        // The last year allowed still answers, its default end a year later included.
        given().get("/api/v1/forecast?chip=" + f.chip + "&from=2200-12-31&step=month").then().statusCode(200)
                .body("points", hasSize(13)).body("to", equalTo("2201-12-31"));
    }

    @Test
    void runwayByQueryAnswersAsThePostDoes() {
        Fleet f = fleet();
        JsonPath posted = runway(f.chip);
        String steps = TODAY + ":30&demand=" + TODAY.plusDays(12) + ":80";
        JsonPath repeated = given().get("/api/v1/runway?chip=" + f.chip + "&demand=" + steps)
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
        assertThat(repeated.getMap("$")).isEqualTo(posted.getMap("$"));
        JsonPath commas = given().get("/api/v1/runway?chip=" + f.chip + "&demand=" + TODAY + ":30," + TODAY.plusDays(12) + ":80")
                .then().statusCode(200).extract().jsonPath();
        assertThat(commas.getMap("$")).isEqualTo(posted.getMap("$"));
        // Without a chip model: the fleet in H100-equivalents, as the POST.
        JsonPath fleet = given().get("/api/v1/runway?demand=" + TODAY + ":1e15").then().statusCode(200).extract().jsonPath();
        assertThat(fleet.getString("unit")).isEqualTo("h100Equivalent");
        assertThat(fleet.getString("coveredUntil")).isEqualTo(TODAY.toString());
    }

    @Test
    void runwayByQueryRefusesWhatThePostRefusesNamingTheStep() {
        Fleet f = fleet();
        String runway = "/api/v1/runway?chip=" + f.chip;
        given().get(runway).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("demand"));
        given().get(runway + "&demand=2027-01-01:64&demand=next spring:5").then().statusCode(400)
                .body("errors", hasSize(1)).body("errors[0].field", equalTo("demand[1].from"))
                .body("errors[0].message", containsString("next spring"));
        given().get(runway + "&demand=2027-01-01:64,9999-01-01:5").then().statusCode(400)
                .body("errors[0].field", equalTo("demand[1].from"))
                .body("errors[0].message", containsString("1970-01-01 and 2200-12-31"));
        given().get(runway + "&demand=2027-01-01:-1&demand=2027-02-01:NaN&demand=2027-03-01:1e19").then().statusCode(400)
                .body("errors.field", equalTo(List.of("demand[0].chips", "demand[1].chips", "demand[2].chips")));
        given().get(runway + "&demand=64").then().statusCode(400).body("errors[0].field", equalTo("demand[0]"));
        given().get(runway + "&demand=2027-01-01:64,").then().statusCode(400).body("errors[0].field", equalTo("demand[1]"));
        given().get("/api/v1/runway?chip=" + "x".repeat(65) + "&demand=2027-01-01:1").then().statusCode(400)
                .body("errors[0].field", equalTo("chip"));
        given().get(runway + "&demand=" + TODAY + "T08:00:00Z:30").then().statusCode(200).body("covered", equalTo(true));
    }

    @Test
    void anUnknownChipModelIsA404InTheRunwayQueryAndA400InItsBody() {
        // In the query string, as for /forecast, /stock, /deliveries, /quotas and /reservations: 404 naming it.
        given().get("/api/v1/runway?chip=nochip&demand=2027-01-01:1").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404))
                .body("detail", equalTo("chip model 'nochip' does not exist"));
        given().get("/api/v1/forecast?chip=nochip").then().statusCode(404).body("detail", containsString("nochip"));
        // A request invalid besides is answered for that first, naming the field.
        given().get("/api/v1/runway?chip=nochip&demand=64").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("demand[0]"));
        given().get("/api/v1/runway?chip=nochip").then().statusCode(400).body("errors[0].field", equalTo("demand"));
        // In a body, a field like any other: 400 naming the field and the chip model.
        given().contentType(ContentType.JSON).body(Map.of("chip", "nochip", "demand", List.of(Map.of("from", "2027-01-01", "chips", 1))))
                .post("/api/v1/runway").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("chip"))
                .body("errors[0].message", equalTo("unknown chip model 'nochip'"));
    }
}
