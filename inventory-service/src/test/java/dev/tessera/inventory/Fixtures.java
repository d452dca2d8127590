package dev.tessera.inventory;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;

/** Builders for test data; every test uses fresh ids so tests never depend on each other. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String chip(double h100Equivalent) {
        String id = unique("chip");
        given().contentType(ContentType.JSON)
                .body(Map.of("id", id, "vendor", "NVIDIA", "name", "Test " + id, "h100Equivalent", h100Equivalent))
                .post("/api/v1/chip-models").then().statusCode(201);
        return id;
    }

    public static String site() {
        String id = unique("site");
        given().contentType(ContentType.JSON).body(Map.of("id", id, "name", "Site " + id, "kind", "DATACENTER"))
                .post("/api/v1/sites").then().statusCode(201);
        return id;
    }

    /** Brings units onto the books in a state (a movement with a null {@code from}). */
    public static void stock(String site, String chip, int quantity, String state) {
        given().contentType(ContentType.JSON)
                .body(Map.of("site", site, "chip", chip, "quantity", quantity, "to", state, "note", "opening"))
                .post("/api/v1/stock/movements").then().statusCode(201);
    }
}
