package dev.tessera.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.scheduler.inventory.AvailabilityCache;
import dev.tessera.scheduler.ledger.LedgerService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * Random and malformed bodies, headers, path segments and query strings at every scheduler endpoint, with random
 * tokens and roles: never a 5xx, and a refused call leaves the ledger and pools exactly as they were. jqwik's
 * generators run inside one Quarkus start; the seed is printed so a failure can be replayed.
 */
@QuarkusTest
class HostileInputTest {

    static final String POOLS = """
            [{"name": "a100-a", "chip": "a100", "nodes": [{"name": "a-1", "chips": 8}, {"name": "a-2", "chips": 8}]},
             {"name": "h800-a", "chip": "h800", "nodes": [{"name": "h-1", "chips": 8}]}]""";
    static final String JOB = """
            {"jobId": "f-1", "namespace": "llm", "name": "f-1", "queue": "llm-core", "priority": 10,
             "shards": 1, "minShards": 1, "chipsPerShard": 8, "tensorParallel": 8,
             "workload": {"communication": "High", "parametersBillions": 7, "totalSteps": 1000}}""";
    static final String SYNC = "{\"pools\": " + POOLS + ", \"placements\": []}";

    record Call(String method, String path, String template) {
    }

    static final List<Call> CALLS = List.of(
            new Call("GET", "/api/v1/catalog", null), new Call("GET", "/api/v1/pools", null),
            new Call("PUT", "/api/v1/pools", "{\"pools\": " + POOLS + "}"), new Call("GET", "/api/v1/ledger", null),
            new Call("PUT", "/api/v1/ledger", SYNC), new Call("POST", "/api/v1/placements", JOB),
            new Call("GET", "/api/v1/placements/{id}", null), new Call("DELETE", "/api/v1/placements/{id}", null),
            new Call("POST", "/api/v1/placements/{id}/replacements", "{\"shard\": 0, \"avoidPools\": [\"a100-a\"]}"));

    @Inject
    LedgerService ledgers;

    @Inject
    AvailabilityCache availability;

    static Arbitrary<String> jsonValue() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "NaN", "-Infinity", "1e309", "-1", "0", "-0.0", "99999999999999999999",
                        "2147483648", "\"\"", "[]", "{}", "[[[[[[[[]]]]]]]]", "\"99999-01-01T00:00:00Z\"", "1.5"),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(300).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
                Arbitraries.strings().withChars('a', '/', '.', '%', ' ').ofMinLength(2000).ofMaxLength(20000)
                        .map(s -> "\"" + s + "\""),
                Arbitraries.integers().between(0, 5000).map(n -> "[" + "1,".repeat(n) + "1]"));
    }

    /** A valid body with one field's value swapped, cut short, or plain noise. */
    static Arbitrary<String> body(String template) {
        Arbitrary<String> noise = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(500),
                Arbitraries.of("", "{", "[", "{\"pools\": null}", "{\"placements\": [null]}", "\u0000",
                        "{\"jobId\": {\"$ne\": 1}}", "[" + "{".repeat(2000)));
        if (template == null) {
            return noise;
        }
        Arbitrary<String> swapped = Combinators.combine(Arbitraries.of(fields(template)), jsonValue())
                .as((field, value) -> template.replaceFirst("(\"" + field + "\"\\s*:\\s*)(\"[^\"]*\"|-?[0-9.]+)",
                        "$1" + java.util.regex.Matcher.quoteReplacement(value)));
        Arbitrary<String> cut = Arbitraries.integers().between(0, template.length() - 1).map(n -> template.substring(0, n));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, swapped), net.jqwik.api.Tuple.of(2, cut),
                net.jqwik.api.Tuple.of(2, noise), net.jqwik.api.Tuple.of(1, Arbitraries.just(template)));
    }

    static List<String> fields(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\w+)\"\\s*:").matcher(json);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static Arbitrary<String> authorization() {
        return Arbitraries.oneOf(
                Arbitraries.of(Roles.VIEWER, Roles.PLANNER, Roles.ADMIN, Roles.OPERATOR, Roles.OPERATOR, Roles.SCHEDULER)
                        .map(Tokens::bearer),
                Arbitraries.of("", "Bearer", "Bearer x.y.z", "bearer " + "a".repeat(9000), "Basic Og==", "Bearer \t"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200)
                        .map(s -> "Bearer " + s));
    }

    static Arbitrary<String> printable(int max) {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(max);
    }

    static String state() {
        String auth = Tokens.bearer(Roles.VIEWER);
        return given().header("Authorization", auth).get("/api/v1/ledger").then().statusCode(200).extract().asString()
                + given().header("Authorization", auth).get("/api/v1/pools").then().statusCode(200).extract().asString();
    }

    @Test
    void neverA5xxAndARefusedCallChangesNothing() {
        // jqwik's generators outside a @Property need a session of their own
        JqwikSession.start();
        try {
            throwHostileCalls();
        } finally {
            JqwikSession.finish();
        }
    }

    void throwHostileCalls() {
        InventoryStub.down = false;
        InventoryStub.body = "{\"quotas\":[],\"deliveries\":[]}";
        availability.refresh();
        ledgers.restart();
        given().header("Authorization", Tokens.bearer(Roles.OPERATOR)).contentType("application/json").body(SYNC)
                .put("/api/v1/ledger").then().statusCode(200);
        given().header("Authorization", Tokens.bearer(Roles.OPERATOR)).contentType("application/json").body(JOB)
                .post("/api/v1/placements").then().statusCode(201);

        long seed = Long.getLong("hostile.seed", new Random().nextLong());
        System.out.println("HostileInputTest seed " + seed + " (-Dhostile.seed=" + seed + " replays it)");
        Random random = new Random(seed);
        Arbitrary<String> ids = Arbitraries.oneOf(Arbitraries.of("f-1", "missing", "..", "%2F", "a b", "%00"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(300));
        Arbitrary<String> contentTypes = Arbitraries.of("application/json", "application/json", "text/plain",
                "application/xml", "application/json; charset=latin1", "multipart/form-data; boundary=x", "*/*", "garbage");
        RestAssuredConfig raw = RestAssuredConfig.config()
                .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)
                        .encodeContentTypeAs("garbage", io.restassured.http.ContentType.TEXT)
                        .encodeContentTypeAs("application/xml", io.restassured.http.ContentType.TEXT)
                        .encodeContentTypeAs("multipart/form-data; boundary=x", io.restassured.http.ContentType.TEXT)
                        .encodeContentTypeAs("*/*", io.restassured.http.ContentType.TEXT));

        int refused = 0;
        String before = state();
        for (int i = 0; i < 400; i++) {
            Call call = CALLS.get(random.nextInt(CALLS.size()));
            RequestSpecification r = given().config(raw).urlEncodingEnabled(true);
            if (random.nextInt(10) > 0) {
                r = r.header("Authorization", authorization().generator(1000).next(random).value());
            }
            if (random.nextInt(3) == 0) {
                r = r.header(printable(30).filter(s -> s.matches("[A-Za-z][A-Za-z0-9-]*")).generator(100).next(random).value(),
                        printable(200).generator(100).next(random).value());
            }
            if (random.nextInt(3) == 0) {
                r = r.queryParam(printable(40).filter(s -> !s.isEmpty()).generator(100).next(random).value(),
                        printable(200).generator(100).next(random).value());
            }
            if (call.template() != null || random.nextInt(4) == 0) {
                r = r.contentType(contentTypes.generator(100).next(random).value())
                        .body(body(call.template()).generator(1000).next(random).value().getBytes(StandardCharsets.UTF_8));
            }
            Response answer = call.path().contains("{id}")
                    ? r.request(call.method(), call.path(), ids.generator(1000).next(random).value())
                    : r.request(call.method(), call.path());
            int status = answer.statusCode();
            assertThat(status).as("%s %s (seed %d, call %d): %s", call.method(), call.path(), seed, i, answer.asString())
                    .isLessThan(500);
            String after = state();
            if (status >= 400) {
                refused++;
                assertThat(answer.contentType()).as("%s %s refused with %d", call.method(), call.path(), status)
                        .startsWith("application/problem+json");
                assertThat(after).as("%s %s refused with %d (seed %d, call %d) changed the ledger", call.method(),
                        call.path(), status, seed, i).isEqualTo(before);
            }
            before = after;
        }
        // most of what is thrown is refused: the comparison above really ran
        assertThat(refused).isGreaterThan(200);
    }
}
