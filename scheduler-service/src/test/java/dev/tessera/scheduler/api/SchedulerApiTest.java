package dev.tessera.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.tessera.scheduler.inventory.AvailabilityCache;
import dev.tessera.scheduler.ledger.LedgerService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InventoryStub.class)
class SchedulerApiTest {

    /** 10 nodes: 5 of a100 x 8 and 5 of h800 x 8, so room for exactly 10 single-node shards of 8. */
    static final String POOLS = """
            [{"name": "a100-a", "chip": "a100", "nodes": [
               {"name": "a-1", "chips": 8}, {"name": "a-2", "chips": 8}, {"name": "a-3", "chips": 8},
               {"name": "a-4", "chips": 8}, {"name": "a-5", "chips": 8}]},
             {"name": "h800-a", "chip": "NVIDIA-H800", "nodes": [
               {"name": "h-1", "chips": 8}, {"name": "h-2", "chips": 8}, {"name": "h-3", "chips": 8},
               {"name": "h-4", "chips": 8}, {"name": "h-5", "chips": 8}]}]
            """;

    @Inject
    LedgerService ledgers;

    @Inject
    AvailabilityCache availability;

    @BeforeEach
    void freshSyncedScheduler() {
        // these tests are about placement, not auth: every call goes as the operator, which may also read
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", Tokens.bearer(Roles.OPERATOR)).build();
        InventoryStub.down = false;
        InventoryStub.body = "{\"quotas\":[],\"deliveries\":[]}";
        availability.refresh();
        ledgers.restart();
        given().contentType(ContentType.JSON).body("{\"pools\": " + POOLS + ", \"placements\": []}")
                .put("/api/v1/ledger").then().statusCode(200).body("state", equalTo("Synced"));
    }

    @AfterEach
    void inventoryBack() {
        RestAssured.requestSpecification = null;
        InventoryStub.down = false;
    }

    static String job(String id, int shards, int minShards, String extra) {
        return """
                {"jobId": "%s", "namespace": "llm", "name": "%s", "queue": "llm-core", "priority": 10,
                 "shards": %d, "minShards": %d, "chipsPerShard": 8, "tensorParallel": 8,
                 "workload": {"communication": "High", "parametersBillions": 7, "totalSteps": 1000}%s}
                """.formatted(id, id, shards, minShards, extra);
    }

    static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/placements");
    }

    /** Chips booked per node over every placement in the ledger must never exceed the node. */
    static void assertNoChipGivenTwice() {
        JsonPath ledger = given().get("/api/v1/ledger").then().statusCode(200).extract().jsonPath();
        Map<String, Integer> booked = new HashMap<>();
        List<Map<String, Object>> entries = ledger.getList("entries");
        for (Map<String, Object> e : entries) {
            for (Map<String, Object> shard : (List<Map<String, Object>>) e.get("shards")) {
                for (Map<String, Object> n : (List<Map<String, Object>>) shard.get("nodes")) {
                    booked.merge((String) n.get("name"), (Integer) n.get("chips"), Integer::sum);
                }
            }
        }
        booked.forEach((node, chips) -> assertThat(chips).as("chips booked on " + node).isLessThanOrEqualTo(8));
        given().get("/api/v1/pools").then().body("free.every { it >= 0 }", equalTo(true));
    }

    @Test
    void catalogListsChipModelsWithFiguresAndConfidence() {
        given().get("/api/v1/catalog").then().statusCode(200)
                .body("find { it.id == 'h800' }.interconnectGBps", equalTo(400.0f))
                .body("find { it.id == 'h800' }.resourceName", equalTo("nvidia.com/gpu"))
                .body("find { it.id == 'ascend-910b' }.resourceName", equalTo("huawei.com/Ascend910"))
                .body("find { it.id == 'ascend-910b' }.confidence", equalTo("LOW"))
                .body("find { it.id == 'kunlun-p800' }.confidence", equalTo("UNCONFIRMED"))
                .body("find { it.id == 'v100m32' }.aliases", hasItem("Tesla-V100-SXM2-32GB"))
                .body("id", hasItem("dcu-z100"));
    }

    @Test
    void poolsAcceptAliasesAndReportFreeChips() {
        given().get("/api/v1/pools").then().statusCode(200)
                .body("find { it.name == 'h800-a' }.chip", equalTo("h800"))
                .body("find { it.name == 'h800-a' }.capacity", equalTo(40));
        post(job("j1", 1, 1, ", \"allowedChips\": [\"h800\"]")).then().statusCode(201);
        given().get("/api/v1/pools").then()
                .body("find { it.name == 'h800-a' }.allocated", equalTo(8))
                .body("find { it.name == 'h800-a' }.free", equalTo(32));
    }

    @Test
    void aPlacementIsAnsweredOnceAndTheSameAgain() {
        Response first = post(job("same", 2, 2, ""));
        first.then().statusCode(201).header("Location", endsWith("/api/v1/placements/same"))
                .body("state", equalTo("Placed")).body("shards", hasSize(2))
                .body("estimate.h100Equivalent", notNullValue()).body("explanation.size()", org.hamcrest.Matchers.greaterThan(1));
        Response again = post(job("same", 2, 2, ""));
        again.then().statusCode(201);
        assertThat(again.jsonPath().getList("shards").toString()).isEqualTo(first.jsonPath().getList("shards").toString());
        given().get("/api/v1/pools").then().body("allocated.sum()", equalTo(16));

        given().get("/api/v1/placements/same").then().statusCode(200).body("shards", hasSize(2));
        given().delete("/api/v1/placements/same").then().statusCode(204);
        given().delete("/api/v1/placements/same").then().statusCode(204);
        given().get("/api/v1/placements/same").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404)).body("title", notNullValue());
    }

    @Test
    void thirtyTwoConcurrentRequestsGetTenPlacementsAndNoChipTwice() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String body = job("c" + i, 1, 1, "");
            Callable<Integer> call = () -> {
                start.await();
                return post(body).statusCode();
            };
            answers.add(pool.submit(call));
        }
        start.countDown();
        int placed = 0;
        int pending = 0;
        for (Future<Integer> f : answers) {
            int status = f.get();
            placed += status == 201 ? 1 : 0;
            pending += status == 202 ? 1 : 0;
        }
        pool.shutdown();
        assertThat(placed).isEqualTo(10);
        assertThat(pending).isEqualTo(22);
        assertNoChipGivenTwice();
        given().get("/api/v1/pools").then().body("free.sum()", equalTo(0));
    }

    @Test
    void afterARestartPlacementsWaitForTheSyncAndNoChipIsGivenTwice() {
        String a = post(job("before-a", 3, 3, ", \"allowedChips\": [\"h800\"]")).then().statusCode(201).extract().asString();
        String b = post(job("before-b", 2, 2, ", \"allowedChips\": [\"a100\"]")).then().statusCode(201).extract().asString();

        ledgers.restart();
        post(job("during", 1, 1, "")).then().statusCode(503).header("Retry-After", notNullValue())
                .contentType("application/problem+json").body("type", endsWith("/ledger-unsynced"));
        given().contentType(ContentType.JSON).body("{\"shard\": 0}").post("/api/v1/placements/before-a/replacements")
                .then().statusCode(503).body("type", endsWith("/ledger-unsynced"));
        given().get("/api/v1/ledger").then().statusCode(200).body("state", equalTo("Unsynced"));
        // not a 404: whether before-a holds chips is not known until the sync
        given().get("/api/v1/placements/before-a").then().statusCode(503).header("Retry-After", notNullValue())
                .body("type", endsWith("/ledger-unsynced"));
        given().delete("/api/v1/placements/unknown").then().statusCode(204);

        // the operator re-tells what its TrainingJob statuses hold
        String placements = "[" + synced(a, "h800") + "," + synced(b, "a100") + "]";
        given().contentType(ContentType.JSON).body("{\"pools\": " + POOLS + ", \"placements\": " + placements + "}")
                .put("/api/v1/ledger").then().statusCode(200)
                .body("state", equalTo("Synced")).body("pools", equalTo(2)).body("placements", equalTo(2))
                .body("conflicts", hasSize(0));

        // 5 of 10 nodes are bound: exactly 5 more single-node shards fit, never a sixth
        post(job("after", 8, 1, "")).then().statusCode(201).body("shards", hasSize(5));
        post(job("after-2", 1, 1, "")).then().statusCode(202).body("reasons.reason", hasItem("InsufficientCapacity"));
        post(job("before-a", 3, 3, "")).then().statusCode(201).body("explanation", hasItem(containsString("Re-told")));
        assertNoChipGivenTwice();
    }

    /** A 201 answer turned into a sync entry, as the operator builds it from the TrainingJob status. */
    private static String synced(String answer, String chip) {
        JsonPath p = JsonPath.from(answer);
        return """
                {"jobId": "%s", "namespace": "llm", "name": "%s", "queue": "llm-core", "priority": 10,
                 "chipsPerShard": 8, "tensorParallel": 8, "workload": {"communication": "High", "parametersBillions": 7},
                 "shards": %s}""".formatted(p.getString("jobId"), p.getString("jobId"),
                new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(p.getList("shards")).toString());
    }

    @Test
    void aSecondSyncIsRefusedAndForgetsNothingPlacedSinceTheFirst() {
        post(job("since-sync", 10, 10, "")).then().statusCode(201).body("shards", hasSize(10));
        // a sync built from statuses read before the placement above: taking it would free every node again
        given().contentType(ContentType.JSON).body("{\"pools\": " + POOLS + ", \"placements\": []}")
                .put("/api/v1/ledger").then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/ledger-synced")).body("detail", containsString("synced at"));
        given().get("/api/v1/ledger").then().statusCode(200).body("placements", equalTo(1))
                .body("entries[0].jobId", equalTo("since-sync"));
        post(job("after-refused-sync", 1, 1, "")).then().statusCode(202).body("reasons.reason", hasItem("InsufficientCapacity"));
        assertNoChipGivenTwice();
    }

    @Test
    void aSyncedShardMustHoldExactlyItsChipsOnTheNodesItNames() {
        ledgers.restart();
        String bad = """
                {"pools": %s, "placements": [
                  {"jobId": "dup", "chipsPerShard": 8, "shards": [
                    {"index": 0, "pool": "a100-a", "chip": "a100", "chips": 8, "nodes": [{"name": "a-1", "chips": 8}]},
                    {"index": 0, "pool": "a100-a", "chip": "a100", "chips": 8, "nodes": [{"name": "a-2", "chips": 8}]}]},
                  {"jobId": "short", "chipsPerShard": 8, "shards": [
                    {"index": 0, "pool": "a100-a", "chip": "a100", "chips": 8, "nodes": [{"name": "a-3", "chips": 2}]}]},
                  {"jobId": "nowhere", "chipsPerShard": 8, "shards": [
                    {"index": 0, "pool": "a100-a", "chip": "a100", "chips": 8, "nodes": []}]},
                  {"jobId": "small", "chipsPerShard": 8, "shards": [
                    {"index": 0, "pool": "a100-a", "chip": "a100", "chips": 4, "nodes": [{"name": "a-4", "chips": 4}]}]}]}
                """.formatted(POOLS);
        given().contentType(ContentType.JSON).body(bad).put("/api/v1/ledger").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("placements[0].shards[1].index"))
                .body("errors.field", hasItem("placements[1].shards[0].nodes"))
                .body("errors.field", hasItem("placements[2].shards[0].nodes"))
                .body("errors.field", hasItem("placements[3].shards[0].chips"));
        // refused whole: still unsynced, nothing booked
        given().get("/api/v1/ledger").then().statusCode(200).body("state", equalTo("Unsynced")).body("placements", equalTo(0));
    }

    @Test
    void aJobIdThatIsNoPlainPathSegmentGetsAnEncodedLocation() {
        post(job("my job", 1, 1, "")).then().statusCode(201).header("Location", endsWith("/api/v1/placements/my%20job"));
        post(job("50%", 1, 1, "")).then().statusCode(201).header("Location", endsWith("/api/v1/placements/50%25"));
        post(job("a?b#c", 1, 1, "")).then().statusCode(201).header("Location", endsWith("/api/v1/placements/a%3Fb%23c"));
        given().get("/api/v1/placements/{id}", "my job").then().statusCode(200).body("jobId", equalTo("my job"));
        // the same request again answers the same placement, with the same Location
        post(job("my job", 1, 1, "")).then().statusCode(201).header("Location", endsWith("/api/v1/placements/my%20job"));
        assertNoChipGivenTwice();
    }

    @Test
    void aSyncWithPlacementsThatNoLongerFitBooksThemAndNamesTheConflicts() {
        ledgers.restart();
        String over = """
                {"pools": [{"name": "p", "chip": "a100", "nodes": [{"name": "n1", "chips": 8}]}],
                 "placements": [
                  {"jobId": "x", "chipsPerShard": 8, "shards": [{"index": 0, "pool": "p", "chip": "a100", "chips": 8,
                    "nodes": [{"name": "n1", "chips": 8}]}]},
                  {"jobId": "y", "chipsPerShard": 8, "shards": [{"index": 0, "pool": "p", "chip": "a100", "chips": 8,
                    "nodes": [{"name": "n1", "chips": 8}]}]},
                  {"jobId": "z", "chipsPerShard": 8, "shards": [{"index": 0, "pool": "gone", "chip": "a100", "chips": 8,
                    "nodes": [{"name": "gone-1", "chips": 8}]}]}]}
                """;
        given().contentType(ContentType.JSON).body(over).put("/api/v1/ledger").then().statusCode(200)
                .body("conflicts", hasItem("x")).body("conflicts", hasItem("y")).body("conflicts", hasItem("z"));
        // equal priority cannot preempt: the over-booked node is not handed out again
        post(job("new", 1, 1, "").replace("\"priority\": 10", "\"priority\": 0")).then().statusCode(202);
    }

    @Test
    void badInputIsA400ProblemWithFieldErrors() {
        given().contentType(ContentType.JSON).body("{\"jobId\": \"j\"}").post("/api/v1/placements").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400)).body("type", notNullValue())
                .body("errors.field", hasItem("shards")).body("errors.field", hasItem("chipsPerShard"));
        post(job("j", 2, 3, "")).then().statusCode(400).body("errors.field", hasItem("minShards"));
        post(job("j", 1, 1, ", \"allowedChips\": [\"quantum-9000\"]")).then().statusCode(400)
                .body("errors[0].field", equalTo("allowedChips[0]")).body("errors[0].message", containsString("unknown chip model"));
        post(job("j", 1, 1, ", \"mixing\": \"Sometimes\"")).then().statusCode(400).body("errors.field", hasItem("mixing"));
        given().contentType(ContentType.JSON).body("{\"jobId\": \"j\", \"shards\": 1, \"chipsPerShard\": 6, \"tensorParallel\": 4}")
                .post("/api/v1/placements").then().statusCode(400).body("errors.field", hasItem("tensorParallel"));
        given().contentType(ContentType.JSON).body("{\"jobId\": \"j\", \"shards\": \"many\", \"chipsPerShard\": 8}")
                .post("/api/v1/placements").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("shards"));
        given().contentType(ContentType.JSON).body("{not json").post("/api/v1/placements").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("").post("/api/v1/placements").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"pools\": [{\"name\": \"p\", \"chip\": \"nope\", \"nodes\": [{\"name\": \"n\", \"chips\": -1}]}]}")
                .put("/api/v1/pools").then().statusCode(400)
                .body("errors.field", hasItem("pools[0].nodes[0].chips"));
        given().contentType(ContentType.JSON).body("{\"pools\": [{\"name\": \"p\", \"chip\": \"nope\", \"nodes\": []}]}")
                .put("/api/v1/pools").then().statusCode(400).body("errors.field", hasItem("pools[0].chip"));
        given().contentType(ContentType.JSON).body("{\"shard\": 0}").post("/api/v1/placements/missing/replacements")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void oddInputNeverGivesA500() {
        given().contentType(ContentType.TEXT).body("hello").post("/api/v1/placements").then().statusCode(415)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"jobId\": \"j\", \"shards\": 99999999999, \"chipsPerShard\": 8}")
                .post("/api/v1/placements").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"jobId\": \"j\", \"shards\": 1000000, \"chipsPerShard\": 8}")
                .post("/api/v1/placements").then().statusCode(400).body("errors.field", hasItem("shards"));
        given().contentType(ContentType.JSON).body("{\"jobId\": \"j\", \"shards\": 1, \"chipsPerShard\": 8, \"priority\": \"high\"}")
                .post("/api/v1/placements").then().statusCode(400).body("errors.field", hasItem("priority"))
                .body(org.hamcrest.Matchers.not(containsString("java."))).body(org.hamcrest.Matchers.not(containsString("dev.tessera")));
        given().contentType(ContentType.JSON).body("{\"jobId\": \"j\", \"shards\": 1.5, \"chipsPerShard\": 8}")
                .post("/api/v1/placements").then().statusCode(400).body("errors.field", hasItem("shards"));
        given().contentType(ContentType.JSON).body("{\"jobId\": \"j\", \"shards\": 1, \"chipsPerShard\": 8, \"workload\": [1]}")
                .post("/api/v1/placements").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[]").post("/api/v1/placements").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"pools\": null}").put("/api/v1/pools").then().statusCode(400)
                .body("errors.field", hasItem("pools"));
        given().contentType(ContentType.JSON).body("{\"pools\": [], \"placements\": [{\"jobId\": \"a\", \"chipsPerShard\": 8, \"shards\": []}]}")
                .put("/api/v1/ledger").then().statusCode(400).body("errors.field", hasItem("placements[0].shards"));
        given().get("/api/v1/nothing-here").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}").put("/api/v1/catalog").then().statusCode(405)
                .contentType("application/problem+json");
    }

    /** The one field error of a 400 answer to {@code body}, checked to hold no Java or Jackson wording. */
    static Map<String, String> fieldError(String body) {
        Response r = post(body);
        r.then().statusCode(400).contentType("application/problem+json").body("errors", hasSize(1));
        String text = r.asString();
        for (String leak : List.of("java.", "dev.tessera", "value value", "coerc", "Cannot deserialize", "token", "`")) {
            assertThat(text).as("answer to %s", body).doesNotContain(leak);
        }
        return Map.of("field", r.jsonPath().getString("errors[0].field"), "message", r.jsonPath().getString("errors[0].message"));
    }

    static String base(String extra) {
        return "{\"jobId\": \"w\", \"shards\": 1, \"chipsPerShard\": 8" + extra + "}";
    }

    @Test
    void unreadableValuesNameTheFieldAndWhatWasExpected() {
        assertThat(fieldError(base(", \"priority\": \"high\"")))
                .containsEntry("field", "priority").containsEntry("message", "must be an integer, not the string \"high\"");
        assertThat(fieldError("{\"jobId\": \"w\", \"shards\": 1.5, \"chipsPerShard\": 8}"))
                .containsEntry("field", "shards").containsEntry("message", "must be an integer, not 1.5");
        assertThat(fieldError("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"))
                .containsEntry("field", "body").containsEntry("message", "must be an object, not an array");
        assertThat(fieldError(base(", \"workload\": [1]")))
                .containsEntry("field", "workload").containsEntry("message", "must be an object, not an array");
        assertThat(fieldError(base(", \"workload\": {\"parametersBillions\": \"big\"}")))
                .containsEntry("field", "workload.parametersBillions").containsEntry("message", "must be a number, not the string \"big\"");
        assertThat(fieldError(base(", \"allowedChips\": \"h800\"")))
                .containsEntry("field", "allowedChips").containsEntry("message", "must be an array, not the string \"h800\"");
        assertThat(fieldError(base(", \"allowedChips\": [\"h800\", {\"id\": 1}]")))
                .containsEntry("field", "allowedChips[1]").containsEntry("message", "must be a string, not an object");
        assertThat(fieldError(base(", \"priority\": 99999999999")))
                .containsEntry("field", "priority").containsEntry("message", "must be an integer from -2147483648 to 2147483647");
        assertThat(fieldError(base(", \"workload\": {\"totalSteps\": true}")))
                .containsEntry("field", "workload.totalSteps").containsEntry("message", "must be an integer, not true");
        // a long value is cut short in the message
        assertThat(fieldError(base(", \"priority\": \"" + "x".repeat(5000) + "\"")).get("message")).hasSizeLessThan(120);
    }

    @Test
    void numbersMustBeFiniteJsonNumbersNotStrings() {
        for (String v : List.of("\"Infinity\"", "\"-Infinity\"", "\"NaN\"", "1e309", "-1e309", "NaN", "-Infinity")) {
            assertThat(fieldError(base(", \"workload\": {\"parametersBillions\": " + v + "}")))
                    .as("parametersBillions %s", v)
                    .containsEntry("field", "workload.parametersBillions").containsEntry("message", "must be a finite number");
        }
        assertThat(fieldError(base(", \"workload\": {\"parametersBillions\": \"5\"}")))
                .containsEntry("field", "workload.parametersBillions").containsEntry("message", "must be a number, not the string \"5\"");
        assertThat(fieldError("{\"jobId\": \"w\", \"shards\": \"5\", \"chipsPerShard\": 8}"))
                .containsEntry("field", "shards").containsEntry("message", "must be an integer, not the string \"5\"");
        assertThat(fieldError(base(", \"tensorParallel\": \"\"")))
                .containsEntry("field", "tensorParallel").containsEntry("message", "must be an integer, not the string \"\"");
        // what is left is a plain number: accepted as before
        post(job("finite", 1, 1, "").replace("\"parametersBillions\": 7", "\"parametersBillions\": 7.5e0")).then().statusCode(201);
    }

    @Test
    void aTensorParallelGroupWiderThanEveryNodeCanNeverFit() {
        // every node of either pool holds 8 chips: a group of 16 that must sit on one node fits none, even with the fleet idle
        post("{\"jobId\": \"probe-tp\", \"shards\": 1, \"chipsPerShard\": 16, \"tensorParallel\": 16, \"allowedChips\": [\"a100\"]}")
                .then().statusCode(202).body("state", equalTo("Pending"))
                .body("reasons.reason", equalTo(List.of("NoEligibleChips")))
                .body("reasons[0].message", containsString(
                        "tensorParallel 16 exceeds the largest node (8 chips) of the allowed chip models (a100)"))
                .body("earliestStart", nullValue());
        post("{\"jobId\": \"probe-tp-any\", \"shards\": 2, \"chipsPerShard\": 32, \"tensorParallel\": 16}")
                .then().statusCode(202).body("reasons.reason", equalTo(List.of("NoEligibleChips")))
                .body("reasons[0].message", containsString("tensorParallel 16 exceeds the largest node (8 chips)"));
        // the same chips in groups of 8 fit two nodes
        post("{\"jobId\": \"probe-tp-8\", \"shards\": 1, \"chipsPerShard\": 16, \"tensorParallel\": 8, \"allowedChips\": [\"a100\"]}")
                .then().statusCode(201);
        given().get("/api/v1/pools").then().body("allocated.sum()", equalTo(16));
    }

    @Test
    void pendingJobsGetReasonsAndTheDateChipsOnOrderLetThemRun() {
        InventoryStub.body = """
                {"generatedAt": "2026-11-22T08:00:00Z", "quotas": [],
                 "deliveries": [{"id": 17, "chip": "h800", "quantity": 512, "remaining": 64,
                                 "scheduledDate": "2099-02-15", "state": "DELAYED", "site": "bj-dc1"}]}""";
        availability.refresh();
        post(job("big", 12, 12, "")).then().statusCode(202).body("state", equalTo("Pending"))
                .body("reasons.reason", hasItem("InsufficientCapacity")).body("reasons.reason", hasItem("WaitingForDelivery"))
                .body("earliestStart", equalTo("2099-02-15"));
        post(job("huge", 100, 100, "")).then().statusCode(202).body("earliestStart", nullValue());
        given().get("/api/v1/placements/big").then().statusCode(404);
    }

    @Test
    void higherPriorityJobsNameThePlacementsTheyPreempt() {
        post(job("low", 10, 10, "").replace("\"priority\": 10", "\"priority\": 1")).then().statusCode(201);
        post(job("high", 2, 2, "").replace("\"priority\": 10", "\"priority\": 50")).then().statusCode(201)
                .body("preempted", equalTo(List.of("low")));
        given().get("/api/v1/placements/low").then().statusCode(404);
        // the same request again answers the same, preemption included (an operator whose answer was lost learns of it)
        post(job("high", 2, 2, "").replace("\"priority\": 10", "\"priority\": 50")).then().statusCode(201)
                .body("preempted", equalTo(List.of("low")));
        // once the victim is placed again it no longer waits for chips, and is named no more: an operator acting on
        // the answer again would stop the workers it runs now
        post(job("low", 10, 1, "").replace("\"priority\": 10", "\"priority\": 1")).then().statusCode(201);
        post(job("high", 2, 2, "").replace("\"priority\": 10", "\"priority\": 50")).then().statusCode(201)
                .body("preempted", org.hamcrest.Matchers.empty());
        given().get("/api/v1/placements/high").then().statusCode(200).body("preempted", org.hamcrest.Matchers.empty());
        assertNoChipGivenTwice();
    }

    @Test
    void aPlacedJobWhosePriorityWentUpIsNoLongerPreemptedByWhatIsNowLower() {
        post(job("low", 10, 10, "").replace("\"priority\": 10", "\"priority\": 1")).then().statusCode(201);
        String shards = given().get("/api/v1/placements/low").then().statusCode(200).extract().jsonPath().getString("shards");
        // its spec now says 100: asked again, it keeps its chips and is booked at 100
        post(job("low", 10, 10, "").replace("\"priority\": 10", "\"priority\": 100")).then().statusCode(201);
        assertThat(given().get("/api/v1/placements/low").then().extract().jsonPath().getString("shards")).isEqualTo(shards);
        post(job("mid", 2, 2, "").replace("\"priority\": 10", "\"priority\": 50")).then().statusCode(202)
                .body("state", equalTo("Pending"));
        given().get("/api/v1/placements/low").then().statusCode(200);
        // and down again: what is higher now may take its chips
        post(job("low", 10, 10, "").replace("\"priority\": 10", "\"priority\": 1")).then().statusCode(201);
        post(job("mid", 2, 2, "").replace("\"priority\": 10", "\"priority\": 50")).then().statusCode(201)
                .body("preempted", equalTo(List.of("low")));
        assertNoChipGivenTwice();
    }

    @Test
    void aShardMovesOffTheNodesNamedAndMayStayInItsPool() {
        String answer = post(job("off-node", 1, 1, ", \"allowedChips\": [\"h800\"]")).then().statusCode(201).extract().asString();
        String pool = JsonPath.from(answer).getString("shards[0].pool");
        String node = JsonPath.from(answer).getString("shards[0].nodes[0].name");
        given().contentType(ContentType.JSON).body("{\"shard\": 0, \"avoidNodes\": [\"" + node + "\"]}")
                .post("/api/v1/placements/off-node/replacements").then().statusCode(200)
                .body("shards[0].pool", equalTo(pool))
                .body("shards[0].nodes.name", org.hamcrest.Matchers.not(hasItem(node)))
                .body("explanation[-1]", containsString("off node " + node));
        assertNoChipGivenTwice();
        // every node of every pool the job may use avoided: nothing can take it
        List<String> all = given().get("/api/v1/pools").then().extract().jsonPath().getList("findAll { it.chip == 'h800' }.nodes.flatten().name");
        given().contentType(ContentType.JSON).body(Map.of("shard", 0, "avoidNodes", all))
                .post("/api/v1/placements/off-node/replacements").then().statusCode(409)
                .body("detail", equalTo("No other node can take shard 0 of job off-node now."));
    }

    @Test
    void aShardMovesAwayFromAPoolOrIsRefusedWith409() {
        String answer = post(job("mv", 1, 1, "")).then().statusCode(201).extract().asString();
        String pool = JsonPath.from(answer).getString("shards[0].pool");
        given().contentType(ContentType.JSON).body("{\"shard\": 0, \"avoidPools\": [\"" + pool + "\"]}")
                .post("/api/v1/placements/mv/replacements").then().statusCode(200)
                .body("shards[0].pool", org.hamcrest.Matchers.not(equalTo(pool))).body("shards[0].batchShare", equalTo(1.0f));
        given().contentType(ContentType.JSON).body("{\"shard\": 0, \"avoidPools\": [\"a100-a\", \"h800-a\"]}")
                .post("/api/v1/placements/mv/replacements").then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"shard\": 7}").post("/api/v1/placements/mv/replacements")
                .then().statusCode(400).body("errors.field", hasItem("shard"));
    }

    @Test
    void inventoryDownKeepsTheLastQuotasAndSaysSo() {
        InventoryStub.body = """
                {"quotas": [{"team": "owners", "chip": "a100", "quantity": 40, "from": null, "to": null}], "deliveries": []}""";
        availability.refresh();
        given().get("/q/health/ready").then().statusCode(200).body("checks[0].data.inventory", equalTo("ok"));

        InventoryStub.down = true;
        availability.refresh();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'scheduler' }.data.inventory", equalTo("degraded"));
        // the dependency itself shows DOWN where monitoring looks, without taking the scheduler out of service
        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'inventory' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'inventory' }.data.serving", equalTo("last known quotas and deliveries"));
        given().get("/q/health").then().statusCode(503).body("checks.find { it.name == 'inventory' }.status", equalTo("DOWN"));
        // a borrower fills the a100 pool; the owner's quota, last read before inventory went down, still reclaims it
        post(job("borrower", 5, 5, ", \"queue\": \"guests\", \"allowedChips\": [\"a100\"]").replace("\"queue\": \"llm-core\", ", ""))
                .then().statusCode(201).body("explanation", hasItem(containsString("Inventory is unreachable")));
        post(job("owner", 1, 1, ", \"queue\": \"owners\", \"allowedChips\": [\"a100\"]").replace("\"queue\": \"llm-core\", ", "")
                .replace("\"priority\": 10", "\"priority\": 0"))
                .then().statusCode(201).body("preempted", equalTo(List.of("borrower")));

        // inventory back: the next poll clears the degradation by itself
        InventoryStub.down = false;
        availability.refresh();
        given().get("/q/health/well").then().statusCode(200).body("checks.find { it.name == 'inventory' }.status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'scheduler' }.data.inventory", equalTo("ok"));
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/placements"));
        post(job("m", 1, 1, "")).then().statusCode(201);
        given().get("/q/metrics").then().statusCode(200).body(containsString("tessera_placement_duration"));
    }
}
