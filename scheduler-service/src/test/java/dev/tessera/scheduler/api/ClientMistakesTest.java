package dev.tessera.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.tessera.scheduler.inventory.AvailabilityCache;
import dev.tessera.scheduler.ledger.LedgerService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client can get wrong beyond a field's type: content after the JSON value, a field given twice, a body over
 * the size limit, requests the HTTP layer refuses, calls without the role, and values that read well but mean
 * nothing (empty or control-character ids, absurd sizes, a node twice in a shard, unknown chip models in a sync).
 * Each is a 4xx {@code application/problem+json} in the service's words, and books nothing.
 */
@QuarkusTest
class ClientMistakesTest {

    static final String POOLS = """
            [{"name": "a100-a", "chip": "a100", "nodes": [{"name": "a-1", "chips": 8}, {"name": "a-2", "chips": 8}]},
             {"name": "h800-a", "chip": "h800", "nodes": [{"name": "h-1", "chips": 8}]}]""";
    static final String JOB = "{\"jobId\": \"%s\", \"shards\": 1, \"chipsPerShard\": 8}";
    /** Jackson's and Java's words, which no answer may carry. */
    static final List<String> LEAKS = List.of("Trailing token", "FAIL_ON", "DeserializationFeature", "StreamReadFeature",
            "REDACTED", "[Source", "VALUE_STRING", "@Produces", "@Consumes", "java.", "`");

    @Inject
    LedgerService ledgers;

    @Inject
    AvailabilityCache availability;

    @BeforeEach
    void syncedScheduler() {
        InventoryStub.down = false;
        InventoryStub.body = "{\"quotas\":[],\"deliveries\":[]}";
        availability.refresh();
        ledgers.restart();
        operator().contentType(ContentType.JSON).body("{\"pools\": " + POOLS + ", \"placements\": []}")
                .put("/api/v1/ledger").then().statusCode(200);
    }

    static io.restassured.specification.RequestSpecification operator() {
        return given().header("Authorization", Tokens.bearer(Roles.OPERATOR));
    }

    static Response post(String body) {
        return operator().contentType(ContentType.JSON).body(body).post("/api/v1/placements");
    }

    /** A 4xx problem with no Jackson or Java wording in it. */
    static Response problem(Response r, int status) {
        r.then().statusCode(status).contentType(startsWith("application/problem+json")).body("status", equalTo(status));
        for (String leak : LEAKS) {
            assertThat(r.asString()).as("answer %d", status).doesNotContain(leak);
        }
        return r;
    }

    static void nothingBooked() {
        operator().get("/api/v1/pools").then().statusCode(200).body("allocated.sum()", equalTo(0));
        operator().get("/api/v1/ledger").then().statusCode(200).body("placements", equalTo(0));
    }

    @Test
    void contentAfterTheJsonValueIsRefused() {
        String one = JOB.formatted("t-1");
        for (String body : List.of(one + "garbage", one + JOB.formatted("t-2"), one + " 5", one + "\n[1]", one + "null",
                one + "{\"jobId\": tru")) {
            problem(post(body), 400).then().body("type", endsWith("/malformed-json"))
                    .body("detail", startsWith("The body is not valid JSON: there is content after the JSON value (from line "))
                    .body("detail", endsWith("send one JSON object and nothing after it."));
        }
        // where the second value starts: the job above is 49 characters long
        post(one + "garbage").then().body("detail", containsString("(from line 1, column 50)"));
        post(one + "\n\n  {}").then().body("detail", containsString("(from line 3, column 3)"));
        problem(operator().contentType(ContentType.JSON).body("{\"pools\": " + POOLS + "}{\"pools\": []}").put("/api/v1/pools"),
                400).then().body("type", endsWith("/malformed-json"));
        problem(operator().contentType(ContentType.JSON).body("{\"shard\": 0} {\"shard\": 1}")
                .post("/api/v1/placements/t-1/replacements"), 400).then().body("type", endsWith("/malformed-json"));
        nothingBooked();
        operator().get("/api/v1/pools").then().body("name", hasItem("a100-a"));
        // whitespace after the value is no content
        post(one + " \n\t ").then().statusCode(201);
    }

    @Test
    void aFieldGivenTwiceIsRefusedNamingIt() {
        problem(post("{\"jobId\": \"d-1\", \"shards\": 1, \"jobId\": \"d-2\", \"chipsPerShard\": 8}"), 400)
                .then().body("type", endsWith("/validation"))
                .body("errors", equalTo(List.of(java.util.Map.of("field", "jobId", "message", "appears twice in the same object"))))
                .body("detail", equalTo("The request has 1 invalid field: jobId appears twice in the same object."));
        problem(post("{\"jobId\": \"d-1\", \"shards\": 1, \"chipsPerShard\": 8, \"workload\": {\"totalSteps\": 1, \"totalSteps\": 9}}"),
                400).then().body("errors[0].field", equalTo("workload.totalSteps"));
        problem(operator().contentType(ContentType.JSON)
                .body("{\"pools\": [{\"name\": \"p\", \"chip\": \"a100\", \"nodes\": [{\"name\": \"n\", \"chips\": 8, \"chips\": 80}]}]}")
                .put("/api/v1/pools"), 400).then().body("errors[0].field", equalTo("pools[0].nodes[0].chips"));
        nothingBooked();
    }

    @Test
    void parserComplaintsHoldNoJacksonWording() {
        problem(post("{\"jobId\": \"w\""), 400).then().body("type", endsWith("/malformed-json"))
                .body("detail", equalTo("The body is not valid JSON: Unexpected end-of-input: expected close marker for Object"
                        + " (start marker at line 1, column 1)"));
        problem(post("\"abc"), 400).then().body("detail", equalTo("The body is not valid JSON: Unexpected end-of-input in a string"));
    }

    @Test
    void aBodyOverTheSizeLimitIsAProblem() throws Exception {
        // the headers of a body one byte over quarkus.http.limits.max-body-size (10 MiB by default), with
        // Expect: 100-continue as curl and most clients send for big bodies: the answer comes before the body is sent
        String answer = raw("POST /api/v1/placements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: " + Tokens.bearer(Roles.OPERATOR) + "\r\nContent-Length: " + (10 * 1024 * 1024 + 1)
                + "\r\nExpect: 100-continue\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 413 ").containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("connection: close")
                .contains("\"type\":\"https://tessera.dev/problems/http-413\"").contains("\"status\":413")
                .contains("\"detail\":\"The body is 10485761 bytes; this service takes at most 10485760 bytes (10 MiB).\"");
        // up to the limit the body is read (and refused for what it is: no JSON)
        problem(post(" ".repeat(1000)), 400);
        nothingBooked();
    }

    @Test
    void aChunkedBodyOverTheSizeLimitIsAProblemAndOneUnderItIsRead() throws Exception {
        // no Content-Length: the body is counted as it arrives
        byte[] big = ("{\"jobId\": \"" + "a".repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        String answer = rawChunked("POST /api/v1/placements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: " + Tokens.bearer(Roles.OPERATOR) + "\r\nTransfer-Encoding: chunked\r\n\r\n", big);
        assertThat(answer).startsWith("HTTP/1.1 413 ").containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("connection: close")
                .contains("\"type\":\"https://tessera.dev/problems/http-413\"").contains("\"status\":413")
                .contains("\"detail\":\"The body is over 10485760 bytes; this service takes at most 10485760 bytes (10 MiB).\"");
        // under the limit, a chunked body reaches the API like any other (and is refused for what it is)
        String small = rawChunked("POST /api/v1/placements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: " + Tokens.bearer(Roles.OPERATOR) + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                "{\"jobId\": \"w\"".getBytes(StandardCharsets.UTF_8));
        assertThat(small).startsWith("HTTP/1.1 400 ").contains("/malformed-json");
        nothingBooked();
    }

    /** One request with a chunked body on a plain socket, read until the server closes; the whole answer. */
    static String rawChunked(String head, byte[] body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (java.net.SocketException closed) {
                // the server answered and closed before taking the whole body; its answer is read below
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = s.getInputStream().read(buffer)) >= 0; ) {
                    got.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // closed with the rest of the body unread: what came before the reset counts
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRequestTheRouterRefusesIsAProblem() throws Exception {
        String answer = raw("GET /api/v1/pools HTTP/1.1\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("content-type: application/problem+json")
                .contains("\"detail\":\"For HTTP/1.x requests, the 'Host' header is required.\"");
    }

    /** One request on a plain socket, for what no HTTP client library sends; the whole answer. */
    static String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aClientThatHangsUpMidBodyIsNoErrorInTheLog() throws Exception {
        Logger log = Logger.getLogger(ProblemMappers.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = log.getLevel();
        log.setLevel(Level.FINE);
        log.addHandler(h);
        try {
            try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
                s.getOutputStream().write(("POST /api/v1/placements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Authorization: " + Tokens.bearer(Roles.OPERATOR) + "\r\nContent-Length: 1000\r\n\r\n{\"jobId\": ")
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                Thread.sleep(300);
            }
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (records.stream().noneMatch(r -> String.valueOf(r.getMessage()).contains("request body not read"))
                    && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(records).as("what the scheduler logged").anyMatch(r -> String.valueOf(r.getMessage()).contains("request body not read"))
                    .noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue());
        } finally {
            log.removeHandler(h);
            log.setLevel(before);
        }
        nothingBooked();
    }

    @Test
    void refusalsSayWhichRoleTheCallNeeds() {
        Response viewerWrites = given().header("Authorization", Tokens.bearer(Roles.VIEWER)).contentType(ContentType.JSON)
                .body("{\"pools\": []}").put("/api/v1/pools");
        problem(viewerWrites, 403).then().body("type", equalTo("https://tessera.dev/problems/forbidden"))
                .body("title", equalTo("Forbidden"))
                .body("detail", equalTo("This call needs the operator role; the token holds the viewer role."));
        problem(given().header("Authorization", Tokens.bearer(Roles.SCHEDULER)).get("/api/v1/pools"), 403)
                .then().body("detail", equalTo(
                        "This call needs the viewer or operator role (planner and admin include viewer); the token holds the scheduler role."));
        problem(given().header("Authorization", Tokens.bearer(Roles.PLANNER, Roles.SCHEDULER)).delete("/api/v1/placements/x"), 403)
                .then().body("detail", equalTo("This call needs the operator role; the token holds the planner and scheduler roles."));
        problem(given().contentType(ContentType.JSON).body(JOB.formatted("r-1")).post("/api/v1/placements"), 401)
                .then().body("type", equalTo("https://tessera.dev/problems/unauthorized")).header("WWW-Authenticate", "Bearer")
                .body("detail", equalTo("This call needs a bearer token with the operator role."));
        problem(given().header("Authorization", "Bearer not.a.jwt").get("/api/v1/catalog"), 401)
                .then().body("detail", equalTo("The bearer token is not valid: wrong signature or issuer, expired or malformed."));
        nothingBooked();
    }

    @Test
    void jaxRsRefusalsAreInTheServicesWords() {
        problem(operator().accept("text/html").get("/api/v1/pools"), 406).then().body("type", endsWith("/http-406"))
                .body("detail", equalTo("This call answers application/json (application/problem+json for errors); the Accept header allows neither."));
        problem(operator().contentType(ContentType.TEXT).body("hello").post("/api/v1/placements"), 415)
                .then().body("type", endsWith("/http-415"))
                .body("detail", equalTo("The body must be JSON, sent with Content-Type: application/json."));
        problem(operator().patch("/api/v1/pools"), 405).then().body("detail", equalTo("This path does not take PATCH."));
        problem(operator().get("/api/v1/nothing-here"), 404).then().body("type", endsWith("/not-found"))
                .body("detail", equalTo("Nothing is found at this path."));
    }

    @Test
    void idsMustBeIdsAndSizesSane() {
        // an empty jobId is blank, and only that
        problem(post(JOB.formatted("")), 400).then().body("errors", hasSize(1))
                .body("errors[0].field", equalTo("jobId")).body("errors[0].message", equalTo("must not be blank"));
        for (String id : List.of("a\\u0000b", "a\\nb", "tab\\there")) {
            problem(post(JOB.formatted(id)), 400).then().body("errors.field", equalTo(List.of("jobId")))
                    .body("errors[0].message", equalTo("must not contain control characters"));
        }
        problem(post(JOB.formatted("x".repeat(254))), 400).then().body("errors.field", equalTo(List.of("jobId")));
        problem(post("{\"jobId\": \"q\", \"shards\": 1, \"chipsPerShard\": 8, \"queue\": \"" + "q".repeat(300) + "\"}"), 400)
                .then().body("errors.field", equalTo(List.of("queue")));
        // a model no memory could hold: refused, not "needs Infinity GiB"
        problem(post("{\"jobId\": \"big\", \"shards\": 1, \"chipsPerShard\": 8, \"workload\": {\"parametersBillions\": 1e300}}"), 400)
                .then().body("errors.field", equalTo(List.of("workload.parametersBillions")))
                .body("errors[0].message", equalTo("must be less than or equal to 1000000"))
                .body(not(containsString("Infinity")));
        // errors in the order of the list
        problem(post("{\"jobId\": \"p\", \"shards\": 1, \"chipsPerShard\": 8, \"allowedChips\": [\"a100\"],"
                + " \"preferredChips\": [\"NVIDIA-H800\", \"nope\"]}"), 400)
                .then().body("errors.field", equalTo(List.of("preferredChips[0]", "preferredChips[1]")))
                .body("errors.message", equalTo(List.of("is not among allowedChips", "unknown chip model 'nope'")));
        problem(operator().contentType(ContentType.JSON)
                .body("{\"pools\": [{\"name\": \"p\\t\", \"chip\": \"a100\", \"nodes\": [{\"name\": \"n\\r\\n\", \"chips\": 8}]}]}")
                .put("/api/v1/pools"), 400)
                .then().body("errors.field", equalTo(List.of("pools[0].name", "pools[0].nodes[0].name")));
        nothingBooked();
        post(JOB.formatted("ok-after-all")).then().statusCode(201);
    }

    /** A pool snapshot of {@code nodes} nodes of 100,000 chips, one pool each. */
    static String hugePools(int nodes) {
        StringBuilder sb = new StringBuilder("{\"pools\": [");
        for (int i = 0; i < nodes; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"name\": \"p").append(i).append("\", \"chip\": \"a100\", \"nodes\": [{\"name\": \"n")
                    .append(i).append("\", \"chips\": 100000}]}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void aPoolSnapshotHoldsAtMostTenMillionChips() {
        // 30,000 nodes of 100,000 chips: capacity summed in an int went negative, and one free-chip histogram per pool
        // (100,001 counters each) ran the heap out, a 500
        problem(operator().contentType(ContentType.JSON).body(hugePools(30_000)).put("/api/v1/pools"), 400)
                .then().body("errors.field", equalTo(List.of("pools")))
                .body("errors[0].message", equalTo("must hold at most 10000000 chips in all, not 3000000000"));
        problem(operator().contentType(ContentType.JSON).body(hugePools(101)).put("/api/v1/pools"), 400)
                .then().body("errors[0].message", equalTo("must hold at most 10000000 chips in all, not 10100000"));
        operator().get("/api/v1/pools").then().statusCode(200).body("name", equalTo(List.of("a100-a", "h800-a")))
                .body("capacity", equalTo(List.of(16, 8)));
        operator().contentType(ContentType.JSON).body(hugePools(100)).put("/api/v1/pools").then().statusCode(200)
                .body("capacity.sum()", equalTo(10_000_000));
    }

    static String sync(String placements) {
        return "{\"pools\": " + POOLS + ", \"placements\": [" + placements + "]}";
    }

    static String bound(String jobId, String extra, String shard) {
        return "{\"jobId\": \"" + jobId + "\", \"chipsPerShard\": 8" + extra + ", \"shards\": [" + shard + "]}";
    }

    static final String ON_A2 = "{\"index\": 0, \"pool\": \"a100-a\", \"chip\": \"a100\", \"chips\": 8,"
            + " \"nodes\": [{\"name\": \"a-2\", \"chips\": 8}]}";

    @Test
    void aSyncIsCheckedLikeAPlacement() {
        ledgers.restart();
        String twice = "{\"index\": 0, \"pool\": \"a100-a\", \"chip\": \"a100\", \"chips\": 8,"
                + " \"nodes\": [{\"name\": \"a-1\", \"chips\": 4}, {\"name\": \"a-1\", \"chips\": 4}]}";
        String share = "{\"index\": 0, \"pool\": \"a100-a\", \"chip\": \"a100\", \"chips\": 8, \"batchShare\": 5,"
                + " \"nodes\": [{\"name\": \"a-2\", \"chips\": 8}]}";
        problem(operator().contentType(ContentType.JSON).body(sync(bound("s-2", "", share))).put("/api/v1/ledger"), 400)
                .then().body("errors.field", equalTo(List.of("placements[0].shards[0].batchShare")))
                .body("errors[0].message", equalTo("must be less than or equal to 1"));
        problem(operator().contentType(ContentType.JSON).body(sync(String.join(",", bound("s-1", "", twice),
                bound("s-3", ", \"allowedChips\": [\"bogus\"], \"preferredChips\": [\"h800\"]", ON_A2)))).put("/api/v1/ledger"), 400)
                .then().body("errors.field", equalTo(List.of("placements[0].shards[0].nodes[1].name", "placements[1].allowedChips[0]")))
                .body("errors.message", equalTo(List.of("node 'a-1' appears twice", "unknown chip model 'bogus'")));
        String empty = "{\"index\": 0, \"pool\": \"a100-a\", \"chip\": \"a100\", \"chips\": 8,"
                + " \"nodes\": [{\"name\": \"a-1\", \"chips\": 8}, {\"name\": \"a-2\", \"chips\": 0}]}";
        problem(operator().contentType(ContentType.JSON).body(sync(String.join(",", bound("s-4", "", empty),
                bound("s-5", ", \"wantedShards\": 2, \"minShards\": 3", ON_A2)))).put("/api/v1/ledger"), 400)
                .then().body("errors.field", equalTo(List.of("placements[0].shards[0].nodes[1].chips", "placements[1].minShards")))
                .body("errors[1].message", equalTo("must not exceed wantedShards (2)"));
        // refused whole
        operator().get("/api/v1/ledger").then().body("state", equalTo("Unsynced"));

        // chips booked in a sync are booked even when they no longer fit: their sum is bounded as a snapshot's is
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"jobId\": \"m-").append(i).append("\", \"chipsPerShard\": 100000, \"shards\": [")
                    .append("{\"index\": 0, \"pool\": \"a100-a\", \"chip\": \"a100\", \"chips\": 100000,")
                    .append(" \"nodes\": [{\"name\": \"a-1\", \"chips\": 100000}]}]}");
        }
        problem(operator().contentType(ContentType.JSON).body(sync(many.toString())).put("/api/v1/ledger"), 400)
                .then().body("errors.field", equalTo(List.of("placements")))
                .body("errors[0].message", equalTo("must hold at most 10000000 chips in all, not 10100000"));
        operator().get("/api/v1/ledger").then().body("state", equalTo("Unsynced"));
    }

    @Test
    void aSyncedJobsAllowedChipsMayBeAliasesAsInAPlacement() {
        ledgers.restart();
        operator().contentType(ContentType.JSON)
                .body(sync(bound("alias", ", \"mixing\": \"Allowed\", \"allowedChips\": [\"NVIDIA-H800\", \"a100\"]", ON_A2)))
                .put("/api/v1/ledger").then().statusCode(200).body("conflicts", hasSize(0));
        // NVIDIA-H800 means h800: the shard may move to the h800 pool (kept as the alias, it matched no pool: 409)
        operator().contentType(ContentType.JSON).body("{\"shard\": 0, \"avoidPools\": [\"a100-a\"]}")
                .post("/api/v1/placements/alias/replacements").then().statusCode(200)
                .body("shards[0].pool", equalTo("h800-a")).body("shards[0].chip", equalTo("h800"));
    }
}
