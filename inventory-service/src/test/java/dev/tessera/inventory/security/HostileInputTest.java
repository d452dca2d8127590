package dev.tessera.inventory.security;

import static io.restassured.RestAssured.given;

import dev.tessera.inventory.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Random and malformed bodies, headers and query strings at every endpoint, drawn from jqwik's
 * generators: never a 5xx, and a refused call leaves every table exactly as it was.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(SecuredProfile.class)
class HostileInputTest {

    static final int CALLS_PER_ENDPOINT = 12;

    // Refused by Vert.x before any route runs (URI too long, headers too large), with no body (api.HttpProblems says
    // why); a body too large (413) is a problem document like any other refusal.
    static final Set<Integer> HTTP_LAYER = Set.of(414, 431);

    record Target(String method, String path) {
    }

    // {id} is replaced by a random path segment.
    static final List<Target> TARGETS = List.of(
            new Target("GET", "/api/v1/chip-models"), new Target("GET", "/api/v1/chip-models/{id}"),
            new Target("POST", "/api/v1/chip-models"),
            new Target("GET", "/api/v1/sites"), new Target("GET", "/api/v1/sites/{id}"),
            new Target("POST", "/api/v1/sites"),
            new Target("POST", "/api/v1/purchase-orders"), new Target("GET", "/api/v1/purchase-orders"),
            new Target("GET", "/api/v1/purchase-orders/{id}"),
            new Target("GET", "/api/v1/deliveries"), new Target("GET", "/api/v1/deliveries/{id}"),
            new Target("PATCH", "/api/v1/deliveries/{id}"), new Target("POST", "/api/v1/deliveries/{id}/receipts"),
            new Target("GET", "/api/v1/deliveries/{id}/receipts/{id}"),
            new Target("POST", "/api/v1/deliveries/import"),
            new Target("GET", "/api/v1/forecast"), new Target("POST", "/api/v1/runway"),
            new Target("GET", "/api/v1/runway"),
            new Target("GET", "/api/v1/availability"),
            new Target("POST", "/api/v1/quotas"), new Target("GET", "/api/v1/quotas"),
            new Target("GET", "/api/v1/quotas/{id}"), new Target("DELETE", "/api/v1/quotas/{id}"),
            new Target("POST", "/api/v1/reservations"), new Target("GET", "/api/v1/reservations"),
            new Target("GET", "/api/v1/reservations/{id}"), new Target("DELETE", "/api/v1/reservations/{id}"),
            new Target("POST", "/api/v1/stock/movements"), new Target("GET", "/api/v1/stock/movements"),
            new Target("GET", "/api/v1/stock/movements/{id}"),
            new Target("GET", "/api/v1/stock"), new Target("POST", "/api/v1/stock/import"),
            new Target("POST", "/api/v1/sample-data"), new Target("GET", "/api/v1/audit"));

    static final List<String> FIELDS = List.of("id", "vendor", "name", "h100Equivalent", "kind", "supplier",
            "reference", "lines", "deliveries", "chip", "quantity", "unitPrice", "currency", "scheduledDate", "site",
            "state", "from", "to", "team", "jobId", "demand", "chips", "note", "step", "unknown");

    record Call(Target target, String segment, String auth, String contentType, String body,
                Map<String, String> query, String idempotencyKey) {
    }

    @Inject
    DataSource dataSource;

    @Test
    void hostileCallsNeverFailTheServerAndRefusedOnesChangeNothing() throws SQLException {
        // Real rows to hit and to protect: the sample fleet (409 when an earlier class loaded it).
        given().auth().oauth2(TestTokens.of("setup", "admin")).post("/api/v1/sample-data");
        SoftAssertions soft = new SoftAssertions();
        int refused = 0;
        for (Target t : TARGETS) {
            for (Call c : calls(t).sampleStream().limit(CALLS_PER_ENDPOINT).toList()) {
                Map<String, String> before = dump();
                Response r;
                try {
                    r = send(c);
                } catch (Exception closed) {
                    // Over the body or request-line limits the HTTP layer answers 413/414 and closes before
                    // the client has sent everything; the call is refused all the same.
                    soft.assertThat(dump()).as("tables after an oversized %s", c.target()).isEqualTo(before);
                    refused++;
                    continue;
                }
                soft.assertThat(r.statusCode()).as("%s -> %s", c, r.asString()).isLessThan(500);
                if (r.statusCode() >= 400) {
                    refused++;
                    soft.assertThat(dump()).as("tables after refused %s (%d)", c, r.statusCode()).isEqualTo(before);
                    if (!HTTP_LAYER.contains(r.statusCode())) {
                        soft.assertThat(r.contentType()).as("%s (%d)", c, r.statusCode()).startsWith("application/problem+json");
                    }
                }
            }
        }
        soft.assertThat(refused).as("refused calls").isGreaterThan(TARGETS.size());
        soft.assertAll();
    }

    private static Response send(Call c) {
        RequestSpecification spec = given().config(RestAssuredConfig.config().encoderConfig(
                EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .urlEncodingEnabled(true);
        if (c.auth() != null) {
            spec = spec.header("Authorization", c.auth());
        }
        if (c.idempotencyKey() != null) {
            spec = spec.header("Idempotency-Key", c.idempotencyKey());
        }
        if (c.contentType() != null) {
            spec = spec.contentType(c.contentType());
        }
        if (c.body() != null) {
            spec = spec.body(c.body().getBytes(StandardCharsets.UTF_8));
        }
        spec = spec.queryParams(c.query());
        return spec.request(c.target().method(), c.target().path().replace("{id}", c.segment()));
    }

    static Arbitrary<Call> calls(Target t) {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("1", "0", "-1", "99999999999999999999", "h800", "sample", "NaN", "%00", "..", "%2e%2e"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40).alpha().numeric().withChars('-', '_', '.'));
        Arbitrary<String> auth = Arbitraries.oneOf(
                Arbitraries.of("admin", "planner", "viewer", "scheduler").map(r -> "Bearer " + TestTokens.of("fuzz", r)),
                Arbitraries.of("Bearer " + TestTokens.forged("admin"), "Bearer ", "Bearer a.b.c", "Basic Zm9vOmJhcg==",
                        "Bearer " + "x".repeat(5000)),
                Arbitraries.strings().ofMaxLength(60).ascii().map(s -> "Bearer " + s.replaceAll("[\\r\\n]", "")),
                Arbitraries.just(null));
        Arbitrary<String> contentType = Arbitraries.of("application/json", "application/json", "text/csv",
                "text/plain", "application/xml", "application/merge-patch+json", "application/octet-stream",
                "nonsense/???", null);
        Arbitrary<Map<String, String>> query = Arbitraries.maps(
                Arbitraries.of("chip", "site", "from", "to", "step", "page", "size", "limit", "team", "state", "demand", "x"),
                scalar().map(v -> v.startsWith("\"") && v.endsWith("\"") && v.length() > 1 ? v.substring(1, v.length() - 1) : v))
                .ofMaxSize(4);
        Arbitrary<String> idempotency = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.just(""),
                Arbitraries.strings().ascii().ofMaxLength(300).map(s -> s.replaceAll("[\\r\\n]", "")));
        return Combinators.combine(segment, auth, contentType, body(), query, idempotency)
                .as((s, a, ct, b, q, k) -> new Call(t, s, a, ct, b, q, k));
    }

    /** JSON-ish values, many of them hostile: huge, negative, non-finite, year 99999, very long. */
    static Arbitrary<String> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "-1", "1", "2147483648", "-2147483649", "1e309", "-1e309", "NaN", "Infinity",
                        "-Infinity", "99999999999999999999999999", "0.0000000001", "1.5", "null", "true", "[]", "{}",
                        "\"\"", "\"99999-01-01\"", "\"+99999-01-01\"", "\"2026-02-30\"", "\"0000-01-01\"",
                        "\"2027-01-01\"", "\"h800\"", "\"a800\"", "\"WAREHOUSE\"", "\"IN_SERVICE\"", "\"DATACENTER\"",
                        "\"USD\"", "\"llm-core\"", "\"bj-dc1\"", "\"DELIVERED\"", "\"CANCELLED\"", "\"\\u0000\"",
                        "\"" + "a".repeat(20_000) + "\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(30).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"")
                        .chars().mapToObj(ch -> ch < 0x20 ? String.format("\\u%04x", ch) : String.valueOf((char) ch))
                        .collect(Collectors.joining()) + "\""));
    }

    static Arbitrary<String> object(int depth) {
        Arbitrary<String> value = depth <= 0 ? scalar() : Arbitraries.oneOf(scalar(), scalar(),
                object(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"),
                object(depth - 1));
        return Arbitraries.maps(Arbitraries.of(FIELDS), value).ofMaxSize(8).map(m -> m.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(",", "{", "}")));
    }

    static Arbitrary<String> body() {
        Arbitrary<String> json = object(2);
        Arbitrary<String> truncated = Combinators.combine(json, Arbitraries.integers().between(0, 200))
                .as((j, n) -> j.substring(0, Math.min(n, j.length())));
        Arbitrary<String> csv = Combinators.combine(
                Arbitraries.of("site,chip,quantity,to", "reference,chip,quantity,scheduledDate,site", "a,b", ""),
                scalar().list().ofMaxSize(5).map(l -> String.join(",", l)).list().ofMaxSize(4))
                .as((h, rows) -> h + "\n" + String.join("\n", rows));
        Arbitrary<String> manyLines = Arbitraries.integers().between(1, 3000).map(n -> "{\"lines\":["
                + "{\"chip\":\"h800\",\"quantity\":1,\"unitPrice\":1,\"currency\":\"USD\"},".repeat(n)
                + "{}],\"demand\":[]}");
        return Arbitraries.oneOf(json, json, truncated, csv, manyLines,
                Arbitraries.strings().ofMaxLength(200), Arbitraries.just(null));
    }

    /** Every table's rows as text, in a stable order. */
    private Map<String, String> dump() throws SQLException {
        Map<String, String> tables = new LinkedHashMap<>();
        try (Connection conn = dataSource.getConnection(); Statement st = conn.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select table_name from information_schema.tables where "
                    + "table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'flyway_schema_history' "
                    + "order by table_name")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                try (ResultSet rs = st.executeQuery("select coalesce(string_agg(t::text, E'\\n' order by t::text), '') from \""
                        + name + "\" t")) {
                    rs.next();
                    tables.put(name, rs.getString(1));
                }
            }
        }
        return tables;
    }
}
