package dev.tessera.inventory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SampleFleetTest {

    @Test
    void oneCallLoadsTheStoryAndASecondIsRefused() {
        given().post("/api/v1/sample-data").then().statusCode(201).body("purchaseOrders", equalTo(4));
        given().post("/api/v1/sample-data").then().statusCode(409).contentType("application/problem+json");

        given().get("/api/v1/stock?chip=a100").then().statusCode(200)
                .body("site", hasItems("bj-dc1", "sh-dc2", "tj-wh1"));
        given().get("/api/v1/availability").then().statusCode(200)
                .body("quotas.findAll { it.chip == 'a100' }.team", hasItems("llm-core", "vision", "research", "default"))
                .body("quotas.find { it.chip == 'a100' && it.team == 'llm-core' }.quantity", greaterThan(1000))
                .body("deliveries.findAll { it.chip == 'h800' && it.state == 'DELAYED' }.size()", equalTo(1))
                .body("deliveries.chip", hasItem("ascend-910b"));
        given().get("/api/v1/forecast?chip=h800&step=month").then().statusCode(200)
                .body("points.size()", equalTo(13));
        given().get("/api/v1/reservations?team=llm-core").then().body("chip", hasItem("h800"));
    }
}
