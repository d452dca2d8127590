package dev.tessera.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code TESSERA_AUTH_ENABLED=false} (development only): no token needed, any caller may write. */
@QuarkusTest
@TestProfile(AuthDisabledTest.AuthOff.class)
class AuthDisabledTest {

    public static class AuthOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tessera.auth.enabled", "false");
        }
    }

    @Test
    void everyCallGoesThroughWithoutAToken() {
        given().contentType(ContentType.JSON).body("{\"pools\": " + RoleMatrixTest.POOLS + ", \"placements\": []}")
                .put("/api/v1/ledger").then().statusCode(200).body("state", equalTo("Synced"));
        given().contentType(ContentType.JSON).body(RoleMatrixTest.JOB.formatted("d-1", "d-1"))
                .post("/api/v1/placements").then().statusCode(201);
        given().get("/api/v1/ledger").then().statusCode(200).body("placements", equalTo(1));
        // a viewer's token does not narrow it either: checks are off, not merely defaulted
        given().header("Authorization", Tokens.bearer(Roles.VIEWER)).delete("/api/v1/placements/d-1").then().statusCode(204);
    }
}
