package dev.tessera.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.tessera.scheduler.inventory.AvailabilityCache;
import dev.tessera.scheduler.ledger.LedgerService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every scheduler endpoint x every role, no token and bad tokens: who gets through and what the refusals look like. */
@QuarkusTest
class RoleMatrixTest {

    static final String POOLS = """
            [{"name": "a100-a", "chip": "a100", "nodes": [{"name": "a-1", "chips": 8}]},
             {"name": "a100-b", "chip": "a100", "nodes": [{"name": "b-1", "chips": 8}, {"name": "b-2", "chips": 8}]}]
            """;

    static final String JOB = """
            {"jobId": "%s", "namespace": "llm", "name": "%s", "queue": "llm-core", "priority": 10,
             "shards": 1, "minShards": 1, "chipsPerShard": 8, "tensorParallel": 8,
             "workload": {"communication": "High", "parametersBillions": 7, "totalSteps": 1000}}
            """;

    record Endpoint(String method, String path, String body, Set<String> allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final Set<String> READERS = Set.of(Roles.VIEWER, Roles.PLANNER, Roles.ADMIN, Roles.OPERATOR);
    static final Set<String> OPERATOR = Set.of(Roles.OPERATOR);

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/v1/catalog", null, READERS),
            new Endpoint("GET", "/api/v1/pools", null, READERS),
            new Endpoint("GET", "/api/v1/ledger", null, READERS),
            new Endpoint("GET", "/api/v1/placements/m-1", null, READERS),
            new Endpoint("PUT", "/api/v1/pools", "{\"pools\": " + POOLS + "}", OPERATOR),
            new Endpoint("PUT", "/api/v1/ledger", "{\"pools\": " + POOLS + ", \"placements\": []}", OPERATOR),
            new Endpoint("POST", "/api/v1/placements", JOB.formatted("m-2", "m-2"), OPERATOR),
            new Endpoint("POST", "/api/v1/placements/m-1/replacements",
                    "{\"shard\": 0}", OPERATOR),
            new Endpoint("DELETE", "/api/v1/placements/m-1", null, OPERATOR));

    static final List<String> ROLES = List.of(Roles.VIEWER, Roles.PLANNER, Roles.ADMIN, Roles.OPERATOR, Roles.SCHEDULER);

    @Inject
    LedgerService ledgers;

    @Inject
    AvailabilityCache availability;

    @BeforeEach
    void syncedWithOnePlacement() {
        InventoryStub.down = false;
        InventoryStub.body = "{\"quotas\":[],\"deliveries\":[]}";
        availability.refresh();
        ledgers.restart();
        given().header("Authorization", Tokens.bearer(Roles.OPERATOR)).contentType(ContentType.JSON)
                .body("{\"pools\": " + POOLS + ", \"placements\": []}").put("/api/v1/ledger").then().statusCode(200);
        given().header("Authorization", Tokens.bearer(Roles.OPERATOR)).contentType(ContentType.JSON)
                .body(JOB.formatted("m-1", "m-1")).post("/api/v1/placements").then().statusCode(201);
    }

    static Response call(Endpoint e, String authorization) {
        RequestSpecification r = given();
        if (authorization != null) {
            r = r.header("Authorization", authorization);
        }
        if (e.body() != null) {
            r = r.contentType(ContentType.JSON).body(e.body());
        }
        return r.request(e.method(), e.path());
    }

    static void assertProblem(Response r, int status, Endpoint e, String who) {
        assertThat(r.statusCode()).as(e + " as " + who).isEqualTo(status);
        r.then().contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status)).body("type", notNullValue()).body("title", notNullValue())
                .body("detail", notNullValue());
    }

    @Test
    void everyRoleOnEveryEndpoint() {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Endpoint e : ENDPOINTS) {
            for (String role : ROLES) {
                syncedWithOnePlacement();
                if (e.method().equals("PUT") && e.path().equals("/api/v1/ledger")) {
                    ledgers.restart(); // a full sync is taken once per start
                }
                Response r = call(e, Tokens.bearer(role));
                seen.put(e + " as " + role, r.statusCode());
                if (e.allowed().contains(role)) {
                    assertThat(r.statusCode()).as(e + " as " + role).isBetween(200, 299);
                } else {
                    assertProblem(r, 403, e, role);
                }
            }
        }
        // the matrix really ran: 9 endpoints x 5 roles
        assertThat(seen).hasSize(ENDPOINTS.size() * ROLES.size());
    }

    @Test
    void bearerChecksGoThroughTheVerifiedTokenCache() {
        Object inUse = io.quarkus.arc.ClientProxy.unwrap(parser);
        assertThat(inUse).isInstanceOf(dev.tessera.scheduler.auth.VerifiedTokenCache.class);
        long before = ((dev.tessera.scheduler.auth.VerifiedTokenCache) inUse).size();
        String token = "Bearer " + Jwt.issuer(Tokens.ISSUER).subject("cached-" + System.nanoTime())
                .groups(Set.of(Roles.VIEWER)).expiresIn(3600).sign();
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", token).get("/api/v1/pools").then().statusCode(200);
        }
        assertThat(((dev.tessera.scheduler.auth.VerifiedTokenCache) inUse).size()).isEqualTo(before + 1);
        // and a refused token stays refused however often it comes
        String otherKey = "Bearer " + Jwt.issuer(Tokens.ISSUER).subject("mallory").groups(Set.of(Roles.OPERATOR))
                .expiresIn(3600).sign(otherKeyPair().getPrivate());
        for (int i = 0; i < 3; i++) {
            assertProblem(call(ENDPOINTS.get(1), otherKey), 401, ENDPOINTS.get(1), "forged");
        }
    }

    @Inject
    io.smallrye.jwt.auth.principal.JWTParser parser;

    @Test
    void noTokenOrBadTokenIsUnauthorizedEverywhere() {
        String otherKey = "Bearer " + Jwt.issuer("https://evil.example").subject("mallory").groups(Set.of(Roles.OPERATOR))
                .sign(otherKeyPair().getPrivate());
        String wrongIssuer = "Bearer " + Jwt.issuer("https://evil.example").subject("mallory")
                .groups(Set.of(Roles.OPERATOR)).sign();
        String expired = "Bearer " + Jwt.issuer(Tokens.ISSUER).subject("late").groups(Set.of(Roles.OPERATOR))
                .issuedAt(1_000_000L).expiresAt(1_000_100L).sign();
        List<String> bad = new ArrayList<>();
        bad.add(null);
        bad.add("Bearer not.a.jwt");
        bad.add("Bearer ");
        bad.add("Basic b3BlcmF0b3I6b3BlcmF0b3I=");
        bad.add(otherKey);
        bad.add(wrongIssuer);
        bad.add(expired);
        for (Endpoint e : ENDPOINTS) {
            for (String auth : bad) {
                String who = auth == null ? "no token" : auth.length() > 20 ? auth.substring(0, 20) + "..." : auth;
                assertProblem(call(e, auth), 401, e, who);
            }
        }
        // nothing the refused calls carried reached the ledger
        given().header("Authorization", Tokens.bearer(Roles.VIEWER)).get("/api/v1/ledger").then().statusCode(200)
                .body("placements", equalTo(1)).body("entries[0].jobId", equalTo("m-1"));
    }

    @Test
    void inventoryCallsCarryTheSchedulersOwnTokenAndFollowItsRotation() throws Exception {
        java.nio.file.Files.writeString(InventoryStub.tokenFile, "scheduler.token.one\n");
        java.nio.file.Files.setLastModifiedTime(InventoryStub.tokenFile,
                java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
        availability.refresh();
        assertThat(InventoryStub.authorization).isEqualTo("Bearer scheduler.token.one");

        java.nio.file.Files.writeString(InventoryStub.tokenFile, "scheduler.token.two\n");
        java.nio.file.Files.setLastModifiedTime(InventoryStub.tokenFile,
                java.nio.file.attribute.FileTime.fromMillis(1_700_000_060_000L));
        availability.refresh();
        assertThat(InventoryStub.authorization).isEqualTo("Bearer scheduler.token.two");

        java.nio.file.Files.writeString(InventoryStub.tokenFile, "");
        availability.refresh();
        assertThat(InventoryStub.authorization).as("an empty token file sends no header").isNull();
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        // readiness may say down for its own reasons; it must not ask for a token
        assertThat(given().get("/q/health/ready").statusCode()).isNotIn(401, 403);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    static java.security.KeyPair otherKeyPair() {
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
