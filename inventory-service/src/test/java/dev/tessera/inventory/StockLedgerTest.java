package dev.tessera.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StockLedgerTest {

    @TestHTTPResource("/api/v1/stock/movements")
    URI movements;

    @Inject
    EntityManager em;

    @Test
    void movementsChangeBalancesAndStockAnswersPerState() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        Fixtures.stock(site, chip, 100, "WAREHOUSE");
        given().contentType(ContentType.JSON)
                .body(Map.of("site", site, "chip", chip, "quantity", 60, "from", "WAREHOUSE", "to", "IN_SERVICE",
                        "note", "racked"))
                .post("/api/v1/stock/movements").then().statusCode(201).body("from", equalTo("WAREHOUSE"));
        given().get("/api/v1/stock?chip=" + chip + "&site=" + site).then().statusCode(200)
                .body("$", hasSize(2))
                .body("find { it.state == 'WAREHOUSE' }.quantity", equalTo(40))
                .body("find { it.state == 'IN_SERVICE' }.quantity", equalTo(60))
                .body("find { it.state == 'IN_SERVICE' }.site", equalTo(site))
                .body("find { it.state == 'IN_SERVICE' }.chip", equalTo(chip));
        given().get("/api/v1/stock/movements?chip=" + chip).then().statusCode(200).body("$", hasSize(2))
                .body("note", hasItem("racked"));
    }

    @Test
    void aRecordedMovementIsReadAtItsLocation() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        Fixtures.stock(site, chip, 10, "WAREHOUSE");
        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("site", site, "chip", chip, "quantity", 4, "from", "WAREHOUSE", "to", "IN_SERVICE",
                        "note", "racked in row 3"))
                .post("/api/v1/stock/movements").then().statusCode(201).extract().response();
        String location = created.header("Location");
        assertThat(location).endsWith("/api/v1/stock/movements/" + created.jsonPath().getLong("id"));
        Map<String, Object> read = given().get(location).then().statusCode(200).contentType(ContentType.JSON)
                .body("site", equalTo(site)).body("chip", equalTo(chip)).body("quantity", equalTo(4))
                .body("from", equalTo("WAREHOUSE")).body("to", equalTo("IN_SERVICE"))
                .body("note", equalTo("racked in row 3"))
                .extract().jsonPath().getMap("$");
        assertThat(read).isEqualTo(created.jsonPath().getMap("$"));

        given().get("/api/v1/stock/movements/987654321").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404))
                .body("detail", equalTo("stock movement '987654321' does not exist"));
        given().get("/api/v1/stock/movements/abc").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void movingMoreThanHeldIsRefusedAndChangesNothing() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        Fixtures.stock(site, chip, 5, "IN_SERVICE");
        given().contentType(ContentType.JSON)
                .body(Map.of("site", site, "chip", chip, "quantity", 6, "from", "IN_SERVICE", "to", "FAILED"))
                .post("/api/v1/stock/movements").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("holds 5"));
        given().get("/api/v1/stock?chip=" + chip).then()
                .body("find { it.state == 'IN_SERVICE' }.quantity", equalTo(5))
                .body("find { it.state == 'FAILED' }", equalTo(null));
        given().get("/api/v1/stock/movements?chip=" + chip).then().body("$", hasSize(1));
    }

    @Test
    void badMovementsAre400sNamingWhatIsWrong() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        given().contentType(ContentType.JSON).body(Map.of("site", "atlantis", "chip", chip, "quantity", 1, "to", "WAREHOUSE"))
                .post("/api/v1/stock/movements").then().statusCode(400)
                .body("errors[0].field", equalTo("site")).body("errors[0].message", containsString("atlantis"));
        given().contentType(ContentType.JSON).body(Map.of("site", site, "chip", "tpu-v9", "quantity", 1, "to", "WAREHOUSE"))
                .post("/api/v1/stock/movements").then().statusCode(400).body("detail", containsString("tpu-v9"));
        given().contentType(ContentType.JSON).body(Map.of("site", site, "chip", chip, "quantity", 1))
                .post("/api/v1/stock/movements").then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().contentType(ContentType.JSON).body(Map.of("site", site, "chip", chip, "quantity", 0, "to", "LOST"))
                .post("/api/v1/stock/movements").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void sixtyFourConcurrentMovementsNeverDriveABalanceNegative() throws Exception {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        Fixtures.stock(site, chip, 40, "IN_SERVICE");
        String body = "{\"site\":\"" + site + "\",\"chip\":\"" + chip
                + "\",\"quantity\":1,\"from\":\"IN_SERVICE\",\"to\":\"FAILED\"}";
        List<Integer> codes = Concurrently.post(movements, Collections.nCopies(64, body));
        assertThat(codes).containsOnly(201, 409);
        assertThat(Collections.frequency(codes, 201)).isEqualTo(40);
        given().get("/api/v1/stock?chip=" + chip).then()
                .body("find { it.state == 'IN_SERVICE' }.quantity", equalTo(0))
                .body("find { it.state == 'FAILED' }.quantity", equalTo(40));
    }

    @Test
    void theDatabaseItselfRefusesNegativeBalancesAndLedgerEdits() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        Fixtures.stock(site, chip, 3, "WAREHOUSE");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "update stock_balance set quantity = quantity - 4 where site_id = ?1")
                .setParameter(1, site).executeUpdate()))
                .hasStackTraceContaining("stock_balance_not_negative");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "update stock_movement set quantity = 1 where site_id = ?1")
                .setParameter(1, site).executeUpdate()))
                .hasStackTraceContaining("append-only");
    }

    @Test
    void csvImportWritesAllRows() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        String csv = "site,chip,quantity,from,to,note\n"
                + site + "," + chip + ",10,,WAREHOUSE,audit\n"
                + site + "," + chip + ",4,WAREHOUSE,IN_SERVICE,\n";
        given().contentType("text/csv").body(csv).post("/api/v1/stock/import").then().statusCode(200)
                .body("imported", equalTo(2));
        given().get("/api/v1/stock?chip=" + chip).then()
                .body("find { it.state == 'WAREHOUSE' }.quantity", equalTo(6))
                .body("find { it.state == 'IN_SERVICE' }.quantity", equalTo(4));
        // A stock sheet with a state column also imports: units entering the books in that state.
        given().contentType("text/csv").body("site,chip,state,quantity\n" + site + "," + chip + ",FAILED,2\n")
                .post("/api/v1/stock/import").then().statusCode(200);
        given().get("/api/v1/stock?chip=" + chip).then().body("find { it.state == 'FAILED' }.quantity", equalTo(2));
    }

    @Test
    void csvImportsReadWhatSpreadsheetsWriteAndReportEachHeaderOrEncodingProblemAsItIs() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        // Excel's "CSV UTF-8" starts with a byte order mark
        byte[] withBom = ("\uFEFFsite,chip,quantity,to,note\n" + site + "," + chip + ",3,WAREHOUSE,café\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        given().contentType("text/csv").body(withBom).post("/api/v1/stock/import").then().statusCode(200)
                .body("imported", equalTo(1));
        given().get("/api/v1/stock/movements?chip=" + chip).then().body("[0].note", equalTo("café"));
        // Latin-1 is refused, naming the line, rather than stored with replacement characters
        byte[] latin1 = ("site,chip,quantity,to,note\n" + site + "," + chip + ",1,WAREHOUSE,café\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        given().contentType("text/csv").body(latin1).post("/api/v1/stock/import").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", containsString("line 2 is not UTF-8"));
        // a short first row is a row problem, not a header problem
        given().contentType("text/csv").body("site,chip,quantity,to\n" + site + "," + chip + "\n")
                .post("/api/v1/stock/import").then().statusCode(400)
                .body("errors.field", hasItem("rows[2].quantity"));
        given().contentType("text/csv").body("site,site,chip,quantity,to\n" + site + "," + site + "," + chip + ",1,WAREHOUSE\n")
                .post("/api/v1/stock/import").then().statusCode(400)
                .body("errors[0].field", equalTo("header"))
                .body("errors[0].message", containsString("named more than once: [site]"));
        given().contentType("text/csv").body("site,chip,quantity,to\n" + site + "," + chip + ",1,WAREHOUSE,extra\n")
                .post("/api/v1/stock/import").then().statusCode(400)
                .body("errors[0].field", equalTo("rows[2]"))
                .body("errors[0].message", containsString("5 cells, but the header names 4 columns"));
        given().contentType("text/csv").body("site,chip,quantity,to,note\n" + site + "," + chip + ",1,WAREHOUSE,a\u0000b\n")
                .post("/api/v1/stock/import").then().statusCode(400)
                .body("errors[0].field", equalTo("rows[2].note"))
                .body("errors[0].message", equalTo("must not contain the NUL character (U+0000)"));
        given().get("/api/v1/stock?chip=" + chip).then().body("find { it.state == 'WAREHOUSE' }.quantity", equalTo(3));
        given().get("/api/v1/stock/movements?chip=" + chip + "&limit=abc").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"))
                .body("errors[0].message", equalTo("must be an integer from 1 to 1000"));
        given().get("/api/v1/stock/movements?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void csvImportWithAnyBadRowReportsEveryRowAndWritesNothing() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        String csv = "site,chip,quantity,from,to\n"
                + site + "," + chip + ",10,,WAREHOUSE\n"
                + site + ",tpu-v9,3,,WAREHOUSE\n"
                + site + "," + chip + ",many,,WAREHOUSE\n"
                + site + "," + chip + ",5,WAREHOUSE,SOLD\n";
        given().contentType("text/csv").body(csv).post("/api/v1/stock/import").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("rows[3].chip"))
                .body("errors.field", hasItem("rows[4].quantity"))
                .body("errors.field", hasItem("rows[5].to"))
                .body("errors.message", hasItem(containsString("tpu-v9")));
        // Rows valid on their own but overdrawing a balance are reported too.
        String overdraw = "site,chip,quantity,from,to\n"
                + site + "," + chip + ",10,,WAREHOUSE\n"
                + site + "," + chip + ",11,WAREHOUSE,IN_SERVICE\n";
        given().contentType("text/csv").body(overdraw).post("/api/v1/stock/import").then().statusCode(400)
                .body("errors[0].field", equalTo("rows[3].quantity"));
        given().get("/api/v1/stock?chip=" + chip).then().statusCode(200).body("$", hasSize(0));
        given().get("/api/v1/stock/movements?chip=" + chip).then().body("$", hasSize(0));
        given().contentType("text/csv").body("chip,quantity\nx,1\n").post("/api/v1/stock/import").then()
                .statusCode(400).body("errors[0].field", equalTo("header"));
    }

    @Test
    void fractionalAndAbsurdCountsAreRefusedNamingTheField() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        given().contentType(ContentType.JSON).body("{\"site\":\"" + site + "\",\"chip\":\"" + chip
                        + "\",\"quantity\":1.5,\"to\":\"WAREHOUSE\"}")
                .post("/api/v1/stock/movements").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("quantity"))
                .body("errors[0].message", containsString("integer"));
        given().contentType(ContentType.JSON).body(Map.of("site", site, "chip", chip, "quantity", 10_000_001, "to", "WAREHOUSE"))
                .post("/api/v1/stock/movements").then().statusCode(400)
                .body("errors[0].field", equalTo("quantity"))
                .body("errors[0].message", containsString("10000000"));
        given().contentType("text/csv").body("site,chip,quantity,to\n" + site + "," + chip + ",10000001,WAREHOUSE\n")
                .post("/api/v1/stock/import").then().statusCode(400).body("errors[0].field", equalTo("rows[2].quantity"));
        given().get("/api/v1/stock/movements?chip=" + chip).then().body("$", hasSize(0));
        Fixtures.stock(site, chip, 10_000_000, "WAREHOUSE");
    }

    @Test
    void aBalanceThatWouldNotFitItsColumnIsRefusedNotWrapped() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.32);
        // 214 rows of ten million: 2,140,000,000, just under the largest balance (2,147,483,647).
        StringBuilder csv = new StringBuilder("site,chip,quantity,to\n");
        for (int i = 0; i < 214; i++) {
            csv.append(site).append(',').append(chip).append(",10000000,WAREHOUSE\n");
        }
        given().contentType("text/csv").body(csv.toString()).post("/api/v1/stock/import").then().statusCode(200);
        given().contentType("text/csv").body(csv.toString()).post("/api/v1/stock/import").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("rows[2].quantity"))
                .body("errors[0].message", containsString("2147483647"));
        given().contentType(ContentType.JSON)
                .body(Map.of("site", site, "chip", chip, "quantity", 10_000_000, "to", "WAREHOUSE"))
                .post("/api/v1/stock/movements").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("quantity"))
                .body("errors[0].message", containsString("2147483647"));
        given().get("/api/v1/stock?chip=" + chip).then()
                .body("find { it.state == 'WAREHOUSE' }.quantity", equalTo(2_140_000_000));
        given().get("/api/v1/stock/movements?chip=" + chip + "&limit=1000").then().body("$", hasSize(214));
        // Up to the largest balance exactly is fine.
        given().contentType(ContentType.JSON)
                .body(Map.of("site", site, "chip", chip, "quantity", 7_483_647, "to", "WAREHOUSE"))
                .post("/api/v1/stock/movements").then().statusCode(201);
    }
}
