package dev.tessera.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a client gets back for the mistakes clients make: a 400 (or 413) problem document naming the field. */
@QuarkusTest
class ClientMistakesTest {

    private static final String VALIDATION = "https://tessera.dev/problems/validation";

    /** A 400 problem document with exactly one field error. */
    private static ValidatableResponse refused(ValidatableResponse r, String field, String message) {
        return r.statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(VALIDATION)).body("title", equalTo("Invalid request")).body("status", equalTo(400))
                .body("detail", equalTo(field + ": " + message))
                .body("errors", hasSize(1)).body("errors[0].field", equalTo(field)).body("errors[0].message", equalTo(message));
    }

    private static ValidatableResponse post(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).post(path).then();
    }

    private static String movement(String site, String chip, String quantity, String extra) {
        return "{\"site\":\"" + site + "\",\"chip\":\"" + chip + "\",\"quantity\":" + quantity + ",\"to\":\"WAREHOUSE\"" + extra + "}";
    }

    private static void noMovements(String chip) {
        given().get("/api/v1/stock/movements?chip=" + chip).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aNumberSentAsAStringIsRefusedNamingTheField() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.5);
        refused(post("/api/v1/stock/movements", movement(site, chip, "\"5\"", "")), "quantity",
                "must be an integer, not the string \"5\"");
        refused(post("/api/v1/stock/movements", movement(site, chip, "\"\"", "")), "quantity",
                "must be an integer, not the string \"\"");
        // the other scalar coercions Jackson makes by default: a number for a text or an enum constant
        refused(post("/api/v1/stock/movements", movement(site, chip, "1", ",\"note\":5")), "note", "must be a string, not 5");
        refused(post("/api/v1/stock/movements", "{\"site\":\"" + site + "\",\"chip\":\"" + chip + "\",\"quantity\":1,\"to\":1}"),
                "to", "must be one of [IN_SERVICE, WAREHOUSE, FAILED, RETIRED], not 1");
        noMovements(chip);

        String id = Fixtures.unique("str");
        refused(post("/api/v1/chip-models", "{\"id\":\"" + id + "\",\"vendor\":\"v\",\"name\":\"n\",\"h100Equivalent\":\"0.75\"}"),
                "h100Equivalent", "must be a number, not the string \"0.75\"");
        given().get("/api/v1/chip-models/" + id).then().statusCode(404);
        refused(post("/api/v1/runway", "{\"demand\":[{\"from\":\"2027-01-01\",\"chips\":\"64\"}]}"), "demand[0].chips",
                "must be a number, not the string \"64\"");
    }

    @Test
    void contentAfterTheBodyAndFieldsGivenTwiceAreRefused() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.5);
        String one = movement(site, chip, "1", "");
        post("/api/v1/stock/movements", one + one).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", containsString("has content after its JSON value (from line 1, column "))
                .body("errors[0].message", containsString("send one JSON value and nothing after it"));
        post("/api/v1/stock/movements", one + "garbage").statusCode(400)
                .body("errors[0].field", equalTo("body")).body("errors[0].message", containsString("content after its JSON value"));
        refused(post("/api/v1/stock/movements", movement(site, chip, "1", ",\"quantity\":2")), "quantity",
                "appears twice in the same object");
        noMovements(chip);
        // whitespace after the value is no content
        post("/api/v1/stock/movements", one + " \n").statusCode(201);
    }

    @Test
    void notANumberAndInfinityAreRefusedNamingTheField() {
        String id = Fixtures.unique("nan");
        String chip = "{\"id\":\"" + id + "\",\"vendor\":\"v\",\"name\":\"n\",\"h100Equivalent\":";
        // bare words are no JSON (the parser refuses them); as strings Jackson would read them as doubles
        refused(post("/api/v1/chip-models", chip + "NaN}"), "h100Equivalent", "must be a finite number, not NaN");
        refused(post("/api/v1/chip-models", chip + "\"Infinity\"}"), "h100Equivalent",
                "must be a finite number, not the string \"Infinity\"");
        refused(post("/api/v1/chip-models", chip + "1e309}"), "h100Equivalent", "must be a finite number, not 1e309");
        given().get("/api/v1/chip-models/" + id).then().statusCode(404);
        refused(post("/api/v1/runway", "{\"demand\":[{\"from\":\"2027-01-01\",\"chips\":1},{\"from\":\"2027-02-01\",\"chips\":-Infinity}]}"),
                "demand[1].chips", "must be a finite number, not -Infinity");
        refused(post("/api/v1/runway", "{\"demand\":[{\"from\":\"2027-01-01\",\"chips\":\"NaN\"}]}"),
                "demand[0].chips", "must be a finite number, not the string \"NaN\"");
        String line = "{\"supplier\":\"s\",\"reference\":\"" + Fixtures.unique("PO") + "\",\"lines\":[{\"chip\":\"" + Fixtures.chip(1)
                + "\",\"quantity\":1,\"currency\":\"USD\",\"unitPrice\":";
        refused(post("/api/v1/purchase-orders", line + "\"NaN\"}]}"), "lines[0].unitPrice", "must be a number, not the string \"NaN\"");
        refused(post("/api/v1/purchase-orders", line + "NaN}]}"), "lines[0].unitPrice", "must be a finite number, not NaN");
    }

    @Test
    void anIntegerPastJavasRangeIsAnsweredWithTheFieldsOwnLimit() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.5);
        refused(post("/api/v1/stock/movements", movement(site, chip, "99999999999", "")), "quantity",
                "must be less than or equal to 10000000");
        refused(post("/api/v1/stock/movements", movement(site, chip, "-99999999999999999999999", "")), "quantity",
                "must be greater than 0");
        // the same words as for a number just past the limit, which Bean Validation checks
        refused(post("/api/v1/stock/movements", movement(site, chip, "10000001", "")), "quantity",
                "must be less than or equal to 10000000");
        noMovements(chip);
        refused(post("/api/v1/quotas", "{\"team\":\"research\",\"chip\":\"" + chip + "\",\"quantity\":-3000000000}"), "quantity",
                "must be greater than or equal to 0");
        given().contentType("text/csv").body("site,chip,quantity,to\n" + site + "," + chip + ",99999999999999999999,WAREHOUSE\n")
                .post("/api/v1/stock/import").then().statusCode(400)
                .body("errors[0].field", equalTo("rows[2].quantity"))
                .body("errors[0].message", equalTo("must be less than or equal to 10000000"));
        noMovements(chip);
    }

    @Test
    void anUnknownFieldIsRefusedNamingItAndTheFieldsThereAre() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.5);
        // a typo would otherwise lose the value: "quantiy" dropped, quantity null
        refused(post("/api/v1/stock/movements", "{\"site\":\"" + site + "\",\"chip\":\"" + chip + "\",\"quantiy\":5,\"to\":\"WAREHOUSE\"}"),
                "quantiy", "is not a field of this object; its fields are chip, from, note, quantity, site, to");
        noMovements(chip);
        String reference = Fixtures.unique("PO");
        refused(post("/api/v1/purchase-orders", "{\"supplier\":\"s\",\"reference\":\"" + reference + "\",\"lines\":[{\"chip\":\""
                        + chip + "\",\"quantity\":1,\"unitPrice\":1,\"currency\":\"USD\",\"discount\":0.1}]}"),
                "lines[0].discount", "is not a field of this object; its fields are chip, currency, quantity, unitPrice");
        given().get("/api/v1/purchase-orders").then().body("reference", not(org.hamcrest.Matchers.hasItem(reference)));

        long delivery = given().contentType(ContentType.JSON).body(Map.of("supplier", "s", "reference", Fixtures.unique("PO"),
                        "lines", List.of(Map.of("chip", chip, "quantity", 8, "unitPrice", 1, "currency", "USD")),
                        "deliveries", List.of(Map.of("chip", chip, "quantity", 8, "scheduledDate", "2027-03-01", "site", site))))
                .post("/api/v1/purchase-orders").then().statusCode(201).extract().jsonPath().getLong("deliveries[0].id");
        // a misspelt date in a patch would otherwise change only the state
        refused(given().contentType(ContentType.JSON).body("{\"scheduleDate\":\"2027-05-01\",\"state\":\"DELAYED\"}")
                        .patch("/api/v1/deliveries/" + delivery).then(),
                "scheduleDate", "is not a field of this object; its fields are note, scheduledDate, state");
        given().get("/api/v1/deliveries/" + delivery).then().body("state", equalTo("SCHEDULED"))
                .body("scheduledDate", equalTo("2027-03-01")).body("history", hasSize(1));
    }

    @Test
    void theForecastTakesTheTimestampsTheBodiesTake() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.5);
        Fixtures.stock(site, chip, 10, "WAREHOUSE");
        // 02:00 at +08:00 is the evening before in UTC, in a reservation body and in the forecast's query alike
        String timestamp = "2027-01-01T02:00:00+08:00";
        given().contentType(ContentType.JSON).body(Map.of("team", "research", "chip", chip, "quantity", 4, "from", timestamp,
                "to", "2027-01-10T00:00:00Z")).post("/api/v1/reservations").then().statusCode(201)
                .body("from", equalTo("2026-12-31")).body("to", equalTo("2027-01-10"));
        given().queryParam("chip", chip).queryParam("from", timestamp).queryParam("to", "2027-01-01T00:00:00Z")
                .queryParam("step", "day").get("/api/v1/forecast").then().statusCode(200)
                .body("from", equalTo("2026-12-31")).body("to", equalTo("2027-01-01"))
                .body("points.reserved", equalTo(List.of(4, 4)));
        given().queryParam("chip", chip).queryParam("from", "2027-01-01").get("/api/v1/forecast").then().statusCode(200)
                .body("from", equalTo("2027-01-01"));

        String forms = "is not a date (YYYY-MM-DD) or a timestamp with an offset (2027-01-01T08:00:00+08:00)";
        refused(given().queryParam("chip", chip).queryParam("from", "soon").get("/api/v1/forecast").then(), "from", "'soon' " + forms);
        refused(post("/api/v1/reservations", "{\"team\":\"research\",\"chip\":\"" + chip + "\",\"quantity\":1,\"from\":\"soon\","
                + "\"to\":\"2027-02-01\"}"), "from", "'soon' " + forms);
        // a local time without an offset is refused in both places: which day it is depends on the zone
        refused(given().queryParam("chip", chip).queryParam("to", "2027-01-01T08:00:00").get("/api/v1/forecast").then(), "to",
                "'2027-01-01T08:00:00' " + forms);
        // an offset's '+' sent unencoded arrives as a space
        refused(given().urlEncodingEnabled(false).get("/api/v1/forecast?chip=" + chip + "&from=2027-01-01T08:00:00+08:00").then(),
                "from", "'2027-01-01T08:00:00 08:00' " + forms + " (send a '+' in a query string as %2B)");
    }

    @Test
    void aPurchaseOrderWithSeveralProblemsReportsThemAllInOneAnswer() {
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.75);
        String reference = Fixtures.unique("PO");
        Map<String, Object> order = Map.of("supplier", "Inspur", "reference", reference,
                "lines", List.of(
                        Map.of("chip", chip, "quantity", 10, "unitPrice", 1, "currency", "dollars"),
                        Map.of("chip", "tpu-v9", "quantity", 0, "unitPrice", 1, "currency", "USD")),
                "deliveries", List.of(
                        Map.of("chip", chip, "quantity", 12, "scheduledDate", "2027-01-01", "site", "atlantis"),
                        Map.of("chip", "a-chip-on-no-line", "quantity", 1, "scheduledDate", "2027-01-01", "site", site)));
        // field rules (currency, quantity) and what needs the database (chip models, sites, totals) together
        given().contentType(ContentType.JSON).body(order).post("/api/v1/purchase-orders").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(VALIDATION)).body("status", equalTo(400)).body("detail", equalTo("6 fields are invalid"))
                .body("errors.field", equalTo(List.of("deliveries[0].quantity", "deliveries[0].site", "deliveries[1].chip",
                        "lines[0].currency", "lines[1].chip", "lines[1].quantity")))
                .body("errors.message", equalTo(List.of("deliveries of '" + chip + "' exceed the 10 ordered",
                        "unknown site 'atlantis'", "chip model 'a-chip-on-no-line' is not on any line of this order",
                        "must be an ISO 4217 code such as USD", "unknown chip model 'tpu-v9'", "must be greater than 0")));
        given().get("/api/v1/purchase-orders").then().body("reference", not(org.hamcrest.Matchers.hasItem(reference)));
        given().get("/api/v1/deliveries?chip=" + chip).then().body("$", hasSize(0));

        // a reference in use is a conflict only once the order is otherwise valid
        Map<String, Object> valid = Map.of("supplier", "Inspur", "reference", reference,
                "lines", List.of(Map.of("chip", chip, "quantity", 10, "unitPrice", 1, "currency", "USD")));
        given().contentType(ContentType.JSON).body(valid).post("/api/v1/purchase-orders").then().statusCode(201);
        Map<String, Object> again = Map.of("supplier", "Inspur", "reference", reference,
                "lines", List.of(Map.of("chip", "tpu-v9", "quantity", 10, "unitPrice", 1, "currency", "USD")));
        given().contentType(ContentType.JSON).body(again).post("/api/v1/purchase-orders").then().statusCode(400)
                .body("errors.field", equalTo(List.of("lines[0].chip")));
        given().contentType(ContentType.JSON).body(valid).post("/api/v1/purchase-orders").then().statusCode(409)
                .body("detail", containsString(reference));
    }

    @Test
    void aBodyOverTheLimitIsAnsweredWithAProblemDocument() throws IOException {
        // Content-Length says it all: the answer comes before the body is sent
        HttpAnswer declared = exchange("POST /api/v1/stock/movements HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n", null);
        assertTooLarge(declared, "the body is 2000000 bytes; at most 1048576 bytes (1 MiB) are accepted");

        // chunked, without a length: counted as it arrives
        byte[] chunk = ("{\"note\":\"" + "a".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpAnswer chunked = exchange("POST /api/v1/stock/movements HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", chunk);
        assertTooLarge(chunked, "the body is over 1048576 bytes; at most 1048576 bytes (1 MiB) are accepted");

        // under the limit, a chunked body is read as any other
        String site = Fixtures.site();
        String chip = Fixtures.chip(0.5);
        HttpAnswer small = exchange("POST /api/v1/stock/movements HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                movement(site, chip, "3", "").getBytes(StandardCharsets.UTF_8));
        assertThat(small.status()).as(small.body()).isEqualTo(201);
        given().get("/api/v1/stock/movements?chip=" + chip).then().body("quantity", equalTo(List.of(3)));
    }

    private static void assertTooLarge(HttpAnswer answer, String detail) throws IOException {
        assertThat(answer.status()).as(answer.head()).isEqualTo(413);
        assertThat(answer.head().toLowerCase()).contains("content-type: application/problem+json").contains("connection: close");
        JsonNode problem = new ObjectMapper().readTree(answer.body());
        assertThat(problem.path("type").asText()).isEqualTo("https://tessera.dev/problems/http-413");
        assertThat(problem.path("title").asText()).isEqualTo("Request Entity Too Large");
        assertThat(problem.path("status").asInt()).isEqualTo(413);
        assertThat(problem.path("detail").asText()).isEqualTo(detail);
    }

    record HttpAnswer(int status, String head, String body) {
    }

    /** One request on a raw connection (RestAssured always sends a length), read until the server closes it. */
    private static HttpAnswer exchange(String head, byte[] chunkedBody) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            try {
                if (chunkedBody != null) {
                    out.write((Integer.toHexString(chunkedBody.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunkedBody);
                    out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (java.net.SocketException refused) {
                // the server answered and closed before taking the whole body; its answer is read below
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // the server closes with the rest of an oversized body unread; what came before the reset counts
            }
            String text = read.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer: %s", text).isPositive();
            String answerHead = text.substring(0, end);
            String body = text.substring(end + 4);
            if (answerHead.toLowerCase().contains("transfer-encoding: chunked")) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
            }
            return new HttpAnswer(Integer.parseInt(answerHead.split(" ")[1]), answerHead, body);
        }
    }
}
