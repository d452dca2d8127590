package dev.tessera.inventory.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.tessera.inventory.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Every endpoint x every role, no token and bad tokens: 401 / 403 problem+json exactly where the contract says. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(SecuredProfile.class)
class RoleMatrixTest {

    static final List<String> ROLES = List.of("viewer", "planner", "admin", "scheduler", "operator");
    static final Set<String> READ = Set.of("viewer", "planner", "admin");
    static final Set<String> READ_OR_SCHEDULER = Set.of("viewer", "planner", "admin", "scheduler");
    static final Set<String> PLAN = Set.of("planner", "admin");
    static final Set<String> ADMIN = Set.of("admin");

    record Endpoint(String method, String path, String contentType, String body, Set<String> allowed) {
        Response call(RequestSpecification spec) {
            if (contentType != null) {
                spec = spec.contentType(contentType).body(body);
            }
            return spec.request(method, path);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    // Bodies are invalid on purpose: an allowed role gets 400/404/409 and nothing is written.
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/v1/chip-models", null, null, READ_OR_SCHEDULER),
            new Endpoint("GET", "/api/v1/chip-models/none", null, null, READ_OR_SCHEDULER),
            new Endpoint("POST", "/api/v1/chip-models", "application/json", "{}", ADMIN),
            new Endpoint("GET", "/api/v1/sites", null, null, READ),
            new Endpoint("GET", "/api/v1/sites/none", null, null, READ),
            new Endpoint("POST", "/api/v1/sites", "application/json", "{}", ADMIN),
            new Endpoint("POST", "/api/v1/purchase-orders", "application/json", "{}", PLAN),
            new Endpoint("GET", "/api/v1/purchase-orders", null, null, READ),
            new Endpoint("GET", "/api/v1/purchase-orders/1", null, null, READ),
            new Endpoint("GET", "/api/v1/deliveries", null, null, READ),
            new Endpoint("GET", "/api/v1/deliveries/1", null, null, READ),
            new Endpoint("PATCH", "/api/v1/deliveries/1", "application/json", "{}", PLAN),
            new Endpoint("POST", "/api/v1/deliveries/1/receipts", "application/json", "{}", PLAN),
            new Endpoint("GET", "/api/v1/deliveries/1/receipts/1", null, null, READ),
            new Endpoint("POST", "/api/v1/deliveries/import", "text/csv", "nonsense", PLAN),
            new Endpoint("GET", "/api/v1/forecast", null, null, READ),
            new Endpoint("POST", "/api/v1/runway", "application/json", "{}", READ),
            new Endpoint("GET", "/api/v1/runway", null, null, READ),
            new Endpoint("GET", "/api/v1/availability", null, null, READ_OR_SCHEDULER),
            new Endpoint("POST", "/api/v1/quotas", "application/json", "{}", ADMIN),
            new Endpoint("GET", "/api/v1/quotas", null, null, READ),
            new Endpoint("GET", "/api/v1/quotas/999999", null, null, READ),
            new Endpoint("DELETE", "/api/v1/quotas/999999", null, null, ADMIN),
            new Endpoint("POST", "/api/v1/reservations", "application/json", "{}", PLAN),
            new Endpoint("GET", "/api/v1/reservations", null, null, READ),
            new Endpoint("GET", "/api/v1/reservations/1", null, null, READ),
            new Endpoint("DELETE", "/api/v1/reservations/999999", null, null, PLAN),
            new Endpoint("POST", "/api/v1/stock/movements", "application/json", "{}", ADMIN),
            new Endpoint("GET", "/api/v1/stock/movements", null, null, READ),
            new Endpoint("GET", "/api/v1/stock/movements/999999", null, null, READ),
            new Endpoint("GET", "/api/v1/stock", null, null, READ),
            new Endpoint("POST", "/api/v1/stock/import", "text/csv", "nonsense", ADMIN),
            new Endpoint("POST", "/api/v1/sample-data", "application/json", "", ADMIN),
            new Endpoint("GET", "/api/v1/audit", null, null, PLAN));

    @Test
    void everyEndpointAnswersEveryRoleAsTheContractSays() {
        SoftAssertions soft = new SoftAssertions();
        for (Endpoint e : ENDPOINTS) {
            for (String role : ROLES) {
                Response r = e.call(given().auth().oauth2(TestTokens.of("user-" + role, role)));
                if (e.allowed().contains(role)) {
                    soft.assertThat(r.statusCode()).as(e + " as " + role + ": " + r.asString())
                            .isNotIn(401, 403).isLessThan(500);
                } else {
                    soft.assertThat(r.statusCode()).as(e + " as " + role).isEqualTo(403);
                    soft.assertThat(r.contentType()).as(e + " as " + role).startsWith("application/problem+json");
                    soft.assertThat(r.jsonPath().getInt("status")).as(e + " as " + role).isEqualTo(403);
                }
            }
            List<RequestSpecification> unauthenticated = new ArrayList<>(List.of(
                    given(),
                    given().auth().oauth2(TestTokens.forged("admin")),
                    given().auth().oauth2(TestTokens.otherIssuer("admin")),
                    given().auth().oauth2("not-a-jwt"),
                    given().header("Authorization", "Basic YWRtaW46YWRtaW4=")));
            for (int i = 0; i < unauthenticated.size(); i++) {
                Response r = e.call(unauthenticated.get(i));
                soft.assertThat(r.statusCode()).as(e + " unauthenticated #" + i).isEqualTo(401);
                soft.assertThat(r.contentType()).as(e + " unauthenticated #" + i).startsWith("application/problem+json");
                // a forged, foreign or broken token is told apart from none at all
                if (i >= 1 && i <= 3) {
                    soft.assertThat(r.jsonPath().getString("detail")).as(e + " unauthenticated #" + i)
                            .startsWith("the bearer token is not valid");
                } else if (i == 0) {
                    soft.assertThat(r.jsonPath().getString("detail")).as(e + " without a token")
                            .isEqualTo("this call needs a bearer token");
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        for (String path : List.of("/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi")) {
            assertThat(given().get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void auditListsChangesNewestFirstWithTheTokensSubject() {
        String admin = TestTokens.of("alice", "admin");
        String chip = "audit-" + Long.toString(System.nanoTime(), 36);
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("id", chip, "vendor", "NVIDIA", "name", "A", "h100Equivalent", 1.0))
                .post("/api/v1/chip-models").then().statusCode(201);
        given().auth().oauth2(TestTokens.of("bob", "admin")).contentType("application/json")
                .body(Map.of("id", chip + "-site", "name", "S", "kind", "DATACENTER"))
                .post("/api/v1/sites").then().statusCode(201);
        // A refused change leaves no audit row.
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("id", chip, "vendor", "NVIDIA", "name", "again", "h100Equivalent", 1.0))
                .post("/api/v1/chip-models").then().statusCode(409);

        given().auth().oauth2(TestTokens.of("carol", "planner")).queryParam("size", 2)
                .get("/api/v1/audit").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].subject", equalTo("bob")).body("items[0].action", equalTo("site.create"))
                .body("items[1].subject", equalTo("alice")).body("items[1].target", equalTo(chip));
        given().auth().oauth2(TestTokens.of("carol", "planner")).queryParam("size", 501)
                .get("/api/v1/audit").then().statusCode(400).body("errors[0].field", equalTo("size"));
        given().auth().oauth2(TestTokens.of("dave", "viewer")).get("/api/v1/audit").then().statusCode(403);
    }
}
