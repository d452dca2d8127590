package dev.tessera.inventory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CatalogAndErrorsTest {

    @Test
    void createsAndReadsChipModelsAndSites() {
        String chip = Fixtures.unique("h800");
        given().contentType(ContentType.JSON)
                .body(Map.of("id", chip, "vendor", "NVIDIA", "name", "H800 SXM", "h100Equivalent", 0.75))
                .post("/api/v1/chip-models")
                .then().statusCode(201).header("Location", containsString("/api/v1/chip-models/" + chip))
                .body("h100Equivalent", equalTo(0.75f));
        given().get("/api/v1/chip-models/" + chip).then().statusCode(200).body("name", equalTo("H800 SXM"));
        given().get("/api/v1/chip-models").then().statusCode(200).body("id", hasItem(chip));

        String site = Fixtures.unique("bj-dc");
        given().contentType(ContentType.JSON).body(Map.of("id", site, "name", "Beijing DC 1", "kind", "WAREHOUSE"))
                .post("/api/v1/sites").then().statusCode(201).body("kind", equalTo("WAREHOUSE"));
        given().get("/api/v1/sites/" + site).then().statusCode(200).body("name", equalTo("Beijing DC 1"));
    }

    @Test
    void duplicateIdIsAConflict() {
        String chip = Fixtures.chip(1.0);
        given().contentType(ContentType.JSON)
                .body(Map.of("id", chip, "vendor", "NVIDIA", "name", "again", "h100Equivalent", 1.0))
                .post("/api/v1/chip-models")
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString(chip));
    }

    @Test
    void validationFailuresNameTheFields() {
        given().contentType(ContentType.JSON)
                .body(Map.of("id", "Bad Id", "vendor", "", "name", "x", "h100Equivalent", -1))
                .post("/api/v1/chip-models")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", startsWith("https://tessera.dev/problems/"))
                .body("title", equalTo("Invalid request"))
                .body("errors.field", hasItem("id"))
                .body("errors.field", hasItem("vendor"))
                .body("errors.field", hasItem("h100Equivalent"));
    }

    @Test
    void textWithANulCharacterIsRefusedNamingTheField() {
        given().contentType(ContentType.JSON).body("{\"id\":\"" + Fixtures.unique("nul") + "\",\"name\":\"a\\u0000b\",\"kind\":\"WAREHOUSE\"}")
                .post("/api/v1/sites")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", equalTo("must not contain the NUL character (U+0000)"));
    }

    @Test
    void aPathIdThatIsNoNumberIsNotFoundAndSaysWhere() {
        given().get("/api/v1/reservations/abc").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("nothing at /api/v1/reservations/abc (ids in paths are numbers)"));
    }

    @Test
    void unreadableBodiesAreClientErrors() {
        given().contentType(ContentType.JSON).body("{\"id\": ")
                .post("/api/v1/sites").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("id", "x1", "name", "n", "kind", "CASTLE"))
                .post("/api/v1/sites").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("kind"))
                .body("errors[0].message", containsString("DATACENTER"));
        given().contentType(ContentType.JSON).body("")
                .post("/api/v1/sites").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[1,2]")
                .post("/api/v1/sites").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.TEXT).body("hello")
                .post("/api/v1/sites").then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void unknownThingsAre404sThatNameThem() {
        given().get("/api/v1/chip-models/no-such-chip").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no-such-chip"));
        given().get("/api/v1/stock?chip=no-such-chip").then().statusCode(404)
                .body("detail", containsString("no-such-chip"));
        given().get("/api/v1/deliveries/999999999").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/deliveries/abc").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/nowhere").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void platformEndpointsAreOn() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void outOfRangeAndOddInputStaysAClientError() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(1.0);
        Fixtures.stock(site, chip, 10_000_000, "WAREHOUSE");
        given().contentType(ContentType.JSON)
                .body(Map.of("site", site, "chip", chip, "quantity", 2_000_000_000, "to", "WAREHOUSE"))
                .post("/api/v1/stock/movements").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("quantity"));
        given().contentType(ContentType.JSON).body("{\"site\":\"" + site + "\",\"chip\":\"" + chip
                        + "\",\"quantity\":99999999999,\"to\":\"WAREHOUSE\"}")
                .post("/api/v1/stock/movements").then().statusCode(400).body("errors[0].field", equalTo("quantity"));
        given().contentType(ContentType.JSON).body(Map.of("supplier", "s", "reference", Fixtures.unique("PO"),
                        "lines", java.util.List.of(Map.of("chip", chip, "quantity", 1, "unitPrice", 1e20, "currency", "USD"))))
                .post("/api/v1/purchase-orders").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("lines[0].unitPrice"));
        given().contentType(ContentType.JSON).body(Map.of("scheduledDate", "soon"))
                .patch("/api/v1/deliveries/1").then().statusCode(400).body("errors[0].field", equalTo("scheduledDate"));
        given().get("/api/v1/deliveries?state=LOST").then().statusCode(400).body("errors[0].field", equalTo("state"));
        given().contentType(ContentType.JSON).body("not json")
                .post("/api/v1/runway").then().statusCode(400).contentType("application/problem+json");
        given().contentType("text/csv").body("\"unclosed,quote\n")
                .post("/api/v1/stock/import").then().statusCode(400).contentType("application/problem+json");
    }
}
