package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelOptions;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelOptionalLibrary;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The health checks docs/gitops.md gives for Argo CD (Lua) and Flux (CEL), read from the page and run
 * against TrainingJobs in each state the operator reports, so the page cannot drift from what works.
 */
class GitOpsHealthCheckTest {

    private static final Path GITOPS = Path.of("..", "docs", "gitops.md");
    private static String lua;
    private static Map<String, String> flux;

    @BeforeAll
    static void readThePage() throws IOException {
        String page = Files.readString(GITOPS);
        Matcher block = Pattern.compile("```lua\\n(.*?)```", Pattern.DOTALL).matcher(page);
        assertThat(block.find()).as("a ```lua block in " + GITOPS).isTrue();
        lua = block.group(1);
        flux = new LinkedHashMap<>();
        Matcher expr = Pattern.compile("^\\s+(inProgress|failed|current): \"(.*)\"$", Pattern.MULTILINE).matcher(page);
        while (expr.find()) {
            flux.put(expr.group(1), expr.group(2));
        }
        assertThat(flux).containsOnlyKeys("inProgress", "failed", "current");
    }

    static Stream<Arguments> jobs() {
        return Stream.of(
                Arguments.of("just created", job(1, null, null), "Progressing", "in progress", "Waiting"),
                Arguments.of("spec changed, not yet observed", job(3, 2, "8/8", cond("Running", "True", "AllShardsRunning", "")),
                        "Progressing", "in progress", "generation 3"),
                Arguments.of("pending for capacity", job(1, 1, "0/8", cond("Placed", "False", "InsufficientCapacity", "no pool has 64 free h800")),
                        "Progressing", "in progress", "Pending: InsufficientCapacity: no pool has 64 free h800"),
                Arguments.of("waiting for a delivery", job(1, 1, "0/8", cond("Placed", "False", "WaitingForDelivery", "fits from 2027-02-15")),
                        "Progressing", "in progress", "2027-02-15"),
                Arguments.of("invalid spec", job(1, 1, "0/8", cond("Placed", "False", "InvalidSpec", "minShards exceeds shards")),
                        "Degraded", "failed", "InvalidSpec"),
                Arguments.of("placed, workers starting", job(1, 1, "0/8", cond("Placed", "True", "Placed", "8 shards on h800 (8)"),
                        cond("Running", "False", "WorkersStarting", "")), "Progressing", "in progress", "workers starting"),
                Arguments.of("running", job(2, 2, "8/8", cond("Placed", "True", "Placed", ""), cond("Running", "True", "AllShardsRunning", ""),
                        cond("Degraded", "False", "AllShardsPlaced", "")), "Healthy", "current", "Running 8/8 shards"),
                Arguments.of("running on fewer shards", job(1, 1, "6/8", cond("Placed", "True", "Placed", ""),
                        cond("Running", "True", "AllShardsRunning", ""), cond("Degraded", "True", "FewerShardsThanWanted", "6 of 8 shards")),
                        "Degraded", "current", "6/8 shards; FewerShardsThanWanted: 6 of 8 shards"),
                Arguments.of("suspended", job(4, 4, "0/8", cond("Suspended", "True", "Suspended", "chips released"),
                        cond("Running", "False", "Suspended", "")), "Suspended", "current", "chips released"),
                Arguments.of("complete", job(1, 1, "8/8", cond("Running", "False", "Finished", ""),
                        cond("Complete", "True", "AllWorkersSucceeded", "")), "Healthy", "current", "AllWorkersSucceeded"),
                Arguments.of("failed", job(1, 1, "5/8", cond("Running", "True", "AllShardsRunning", ""),
                        cond("Failed", "True", "RestartsExhausted", "shard 3 restarted 4 times")), "Degraded", "failed", "RestartsExhausted"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void argoCdHealth(String state, Map<String, Object> job, String argoStatus, String fluxVerdict, String message) {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(job));
        LuaValue hs = globals.load(lua, "health.lua").call();
        assertThat(hs.get("status").tojstring()).as(state).isEqualTo(argoStatus);
        assertThat(hs.get("message").tojstring()).as(state).contains(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void fluxHealth(String state, Map<String, Object> job, String argoStatus, String fluxVerdict, String message) throws Exception {
        // Flux tries inProgress, then failed, then current; none matching means still in progress.
        // An object without the field at all (no status yet) cannot be evaluated, and Flux keeps waiting.
        String verdict = "in progress";
        for (String check : List.of("inProgress", "failed", "current")) {
            if (!job.containsKey("status")) {
                break;
            }
            if (Boolean.TRUE.equals(evaluate(flux.get(check), job))) {
                verdict = check.equals("inProgress") ? "in progress" : check;
                break;
            }
        }
        assertThat(verdict).as(state).isEqualTo(fluxVerdict);
    }

    private static Object evaluate(String expression, Map<String, Object> object) throws Exception {
        CelOptions options = CelOptions.current().enableOptionalSyntax(true).build();
        CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(CelOptionalLibrary.INSTANCE)
                .addVar("apiVersion", SimpleType.DYN).addVar("kind", SimpleType.DYN)
                .addVar("metadata", SimpleType.DYN).addVar("spec", SimpleType.DYN).addVar("status", SimpleType.DYN)
                .build();
        CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(options).addLibraries(CelOptionalLibrary.INSTANCE).build();
        CelRuntime.Program program = runtime.createProgram(compiler.compile(expression).getAst());
        // Flux hands the object's top-level fields to the expression as variables
        return program.eval(object);
    }

    private static Map<String, Object> job(long generation, Integer observed, String shards, Map<?, ?>... conditions) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("apiVersion", "tessera.dev/v1alpha1");
        job.put("kind", "TrainingJob");
        job.put("metadata", Map.of("name", "ernie", "namespace", "llm", "generation", generation));
        job.put("spec", Map.of("shards", 8L, "chipsPerShard", 8L));
        if (observed != null) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("observedGeneration", observed.longValue());
            status.put("shardsSummary", shards);
            status.put("conditions", List.of(conditions));
            job.put("status", status);
        }
        return job;
    }

    private static Map<String, Object> cond(String type, String status, String reason, String message) {
        return Map.of("type", type, "status", status, "reason", reason, "message", message,
                "lastTransitionTime", "2026-11-22T08:00:00Z");
    }

    private static LuaValue toLua(Object value) {
        if (value instanceof Map<?, ?> map) {
            LuaTable table = new LuaTable();
            map.forEach((k, v) -> table.set(String.valueOf(k), toLua(v)));
            return table;
        }
        if (value instanceof List<?> list) {
            LuaTable table = new LuaTable();
            List<Object> items = new ArrayList<>(list);
            for (int i = 0; i < items.size(); i++) {
                table.set(i + 1, toLua(items.get(i)));
            }
            return table;
        }
        if (value instanceof Long n) {
            return LuaValue.valueOf(n.doubleValue());
        }
        if (value instanceof Number n) {
            return LuaValue.valueOf(n.doubleValue());
        }
        return value == null ? LuaValue.NIL : LuaValue.valueOf(value.toString());
    }
}
