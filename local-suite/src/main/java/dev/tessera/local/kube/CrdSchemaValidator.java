package dev.tessera.local.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates objects against a CustomResourceDefinition the way a Kubernetes API server does:
 * the version's {@code openAPIV3Schema} (with the Kubernetes extensions {@code nullable},
 * {@code x-kubernetes-int-or-string}, {@code x-kubernetes-preserve-unknown-fields}) and the
 * {@code x-kubernetes-validations} CEL rules, including transition rules on {@code oldSelf}.
 * Thread-safe; build it once per CRD.
 */
public final class CrdSchemaValidator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String VALIDATIONS = "x-kubernetes-validations";
    private static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";
    private static final String INT_OR_STRING = "x-kubernetes-int-or-string";
    private static final String EMBEDDED = "x-kubernetes-embedded-resource";

    private static final CelOptions CEL_OPTIONS = CelOptions.current().build();
    private static final CelCompiler CEL_COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(CEL_OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(CEL_OPTIONS))
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final CelRuntime CEL_RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(CEL_OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(CEL_OPTIONS))
            .build();

    private final String group;
    private final String kind;
    private final String plural;
    private final String storageVersion;
    private final Map<String, VersionSchema> versions = new LinkedHashMap<>();
    private final Map<String, Object> compiledRules = new ConcurrentHashMap<>();

    private record VersionSchema(JsonNode openApi, JsonSchema jsonSchema) {
    }

    private CrdSchemaValidator(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        this.group = spec.path("group").asText();
        this.kind = spec.path("names").path("kind").asText();
        this.plural = spec.path("names").path("plural").asText();
        String storage = null;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_PATH)
                .locale(Locale.ENGLISH)
                .build();
        for (JsonNode version : spec.path("versions")) {
            String name = version.path("name").asText();
            if (storage == null || version.path("storage").asBoolean(false)) {
                storage = name;
            }
            JsonNode openApi = version.path("schema").path("openAPIV3Schema");
            if (openApi.isMissingNode()) {
                openApi = spec.path("validation").path("openAPIV3Schema");
            }
            JsonSchema jsonSchema = factory.getSchema(toJsonSchema(openApi), config);
            versions.put(name, new VersionSchema(openApi, jsonSchema));
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("CustomResourceDefinition " + crd.path("metadata").path("name").asText()
                    + " declares no versions");
        }
        this.storageVersion = storage;
    }

    /** Reads a CRD from a YAML or JSON file (the first document if there are several). */
    public static CrdSchemaValidator fromYaml(Path crdFile) {
        try (InputStream in = Files.newInputStream(crdFile)) {
            return fromYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CRD " + crdFile, e);
        }
    }

    /** Reads a CRD from a YAML or JSON stream (the first document if there are several). */
    public static CrdSchemaValidator fromYaml(InputStream crdYaml) {
        try {
            return fromCrd(YAML.readTree(crdYaml));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse CRD", e);
        }
    }

    /** Builds the validator from a CRD already parsed (for instance one stored in an API server). */
    public static CrdSchemaValidator fromCrd(JsonNode crd) {
        if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
            throw new IllegalArgumentException("not a CustomResourceDefinition: kind " + crd.path("kind"));
        }
        return new CrdSchemaValidator(crd);
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    /** Validates a new object (create): schema, then CEL rules that do not use {@code oldSelf}. */
    public List<FieldError> validate(JsonNode object) {
        return validateUpdate(object, null);
    }

    /** Same as {@link #validate(JsonNode)} for an object held as maps and lists (fabric8's generic resources). */
    public List<FieldError> validate(Map<String, ?> object) {
        return validate((JsonNode) JSON.valueToTree(object));
    }

    /**
     * Validates an update: as {@link #validate(JsonNode)}, plus the transition rules that compare
     * {@code self} with {@code oldSelf}. {@code oldObject} null means a create.
     */
    public List<FieldError> validateUpdate(JsonNode object, JsonNode oldObject) {
        VersionSchema version = schemaFor(object);
        JsonNode pruned = withoutNulls(object, version.openApi());
        List<FieldError> errors = new ArrayList<>();
        for (ValidationMessage message : version.jsonSchema().validate(pruned)) {
            FieldError error = toFieldError(message, pruned);
            if (!errors.contains(error)) {
                errors.add(error);
            }
        }
        if (errors.isEmpty()) {
            // the API server skips rules on a malformed object: their inputs could not be trusted
            evaluateRules(version.openApi(), pruned, oldObject == null ? null : withoutNulls(oldObject, version.openApi()), "", errors);
        }
        errors.sort(Comparator.comparing(FieldError::field));
        return List.copyOf(errors);
    }

    /** A copy of the object with the schema's {@code default} values filled in, as the API server stores it. */
    public JsonNode withDefaults(JsonNode object) {
        JsonNode copy = object.deepCopy();
        applyDefaults(schemaFor(object).openApi(), copy);
        return copy;
    }

    /** Fields the schema does not know and would prune; {@code kubectl apply} with strict field validation refuses them. */
    public List<String> unknownFields(JsonNode object) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(schemaFor(object).openApi(), object, "", true, unknown, false);
        return unknown;
    }

    /** An object as the API server stores it, and the paths of the fields pruned from it. */
    public record Stored(JsonNode object, List<String> pruned) {
    }

    /**
     * The object as the API server stores it: fields the schema does not know pruned (as a structural schema
     * prunes them), then the schema's {@code default} values filled in. The object itself is left as it is.
     */
    public Stored asStored(JsonNode object) {
        JsonNode copy = object.deepCopy();
        JsonNode schema = schemaFor(object).openApi();
        List<String> pruned = new ArrayList<>();
        collectUnknown(schema, copy, "", true, pruned, true);
        applyDefaults(schema, copy);
        return new Stored(copy, List.copyOf(pruned));
    }

    private VersionSchema schemaFor(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        VersionSchema schema = versions.get(version);
        return schema != null ? schema : versions.get(storageVersion);
    }

    // ---- schema translation: Kubernetes structural schema -> JSON Schema draft 7

    private static JsonNode toJsonSchema(JsonNode openApi) {
        if (!openApi.isObject()) {
            return openApi;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = openApi.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "properties", "patternProperties", "definitions" -> {
                    ObjectNode props = out.putObject(key);
                    value.fields().forEachRemaining(p -> props.set(p.getKey(), toJsonSchema(p.getValue())));
                }
                case "items", "additionalProperties", "not" -> out.set(key, value.isObject() ? toJsonSchema(value) : value);
                case "allOf", "anyOf", "oneOf" -> {
                    ArrayNode list = out.putArray(key);
                    value.forEach(v -> list.add(toJsonSchema(v)));
                }
                case "nullable", "description", "example", "externalDocs", "default" -> {
                    // defaults and docs do not constrain values; nullable is folded into type below
                }
                default -> {
                    if (!key.startsWith("x-kubernetes-") && !key.startsWith("x-")) {
                        out.set(key, value);
                    }
                }
            }
        }
        if (openApi.path(INT_OR_STRING).asBoolean(false)) {
            // a type list rather than anyOf, so a wrong value gives one error and not one per branch
            out.remove("anyOf");
            out.putArray("type").add("integer").add("string");
        }
        if (openApi.path("nullable").asBoolean(false) && out.has("type") && out.get("type").isTextual()) {
            ArrayNode types = JsonNodeFactory.instance.arrayNode();
            types.add(out.get("type").asText()).add("null");
            out.set("type", types);
        }
        // the API server has no "date" format and accepts any int32/int64 number: keep format checks to date-time
        JsonNode format = out.get("format");
        if (format != null && !"date-time".equals(format.asText())) {
            out.remove("format");
        }
        return out;
    }

    // ---- pruning of nulls, defaults and unknown fields, all walks over value and schema together

    private static JsonNode withoutNulls(JsonNode value, JsonNode schema) {
        JsonNode copy = value.deepCopy();
        dropNulls(copy, schema);
        return copy;
    }

    private static void dropNulls(JsonNode value, JsonNode schema) {
        if (value instanceof ObjectNode object) {
            List<String> drop = new ArrayList<>();
            object.fields().forEachRemaining(f -> {
                JsonNode child = childSchema(schema, f.getKey());
                if (f.getValue().isNull() && !child.path("nullable").asBoolean(false)) {
                    drop.add(f.getKey());
                } else {
                    dropNulls(f.getValue(), child);
                }
            });
            object.remove(drop);
        } else if (value instanceof ArrayNode array) {
            array.forEach(item -> dropNulls(item, schema.path("items")));
        }
    }

    private static JsonNode childSchema(JsonNode schema, String field) {
        JsonNode property = schema.path("properties").path(field);
        if (!property.isMissingNode()) {
            return property;
        }
        JsonNode additional = schema.path("additionalProperties");
        return additional.isObject() ? additional : JsonNodeFactory.instance.objectNode();
    }

    private static void applyDefaults(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            schema.path("properties").fields().forEachRemaining(p -> {
                if (!object.has(p.getKey()) && p.getValue().has("default")) {
                    object.set(p.getKey(), p.getValue().get("default").deepCopy());
                }
            });
            object.fields().forEachRemaining(f -> applyDefaults(childSchema(schema, f.getKey()), f.getValue()));
        } else if (value instanceof ArrayNode array) {
            array.forEach(item -> applyDefaults(schema.path("items"), item));
        }
    }

    /** Collects the paths of the fields the schema does not know; {@code prune} also removes them. */
    private static void collectUnknown(JsonNode schema, JsonNode value, String path, boolean root, List<String> unknown,
            boolean prune) {
        if (value instanceof ObjectNode object) {
            boolean open = schema.path(PRESERVE_UNKNOWN).asBoolean(false) || schema.path("additionalProperties").isObject()
                    || schema.path("additionalProperties").asBoolean(false) || !schema.has("properties") && !schema.has("type");
            boolean embedded = root || schema.path(EMBEDDED).asBoolean(false);
            List<String> pruned = new ArrayList<>();
            object.fields().forEachRemaining(f -> {
                String key = f.getKey();
                String childPath = path.isEmpty() ? key : path + "." + key;
                if (embedded && Set.of("apiVersion", "kind", "metadata").contains(key)) {
                    return;
                }
                JsonNode property = schema.path("properties").path(key);
                if (property.isMissingNode() && !open) {
                    unknown.add(childPath);
                    pruned.add(key);
                } else {
                    collectUnknown(childSchema(schema, key), f.getValue(), childPath, false, unknown, prune);
                }
            });
            if (prune) {
                object.remove(pruned);
            }
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                collectUnknown(schema.path("items"), array.get(i), path + "[" + i + "]", false, unknown, prune);
            }
        }
    }

    // ---- schema errors in the API server's words

    private static FieldError toFieldError(ValidationMessage message, JsonNode object) {
        String location = fieldPath(message.getInstanceLocation().toString());
        String text = message.getMessage();
        String prefix = message.getInstanceLocation() + ": ";
        if (text.startsWith(prefix)) {
            text = text.substring(prefix.length());
        }
        JsonNode value = at(object, message.getInstanceNode(), location);
        return switch (message.getType()) {
            case "required" -> new FieldError(join(location, message.getProperty()), FieldError.REQUIRED, "Required value");
            case "enum" -> new FieldError(location, FieldError.NOT_SUPPORTED,
                    "Unsupported value: " + render(value) + ": supported values: " + supported(message));
            case "type" -> new FieldError(location, FieldError.TYPE_INVALID, "Invalid value: " + render(value) + ": " + text);
            default -> new FieldError(location, FieldError.INVALID, "Invalid value: " + render(value) + ": " + text);
        };
    }

    private static JsonNode at(JsonNode object, JsonNode instance, String location) {
        return instance != null ? instance : object;
    }

    private static String supported(ValidationMessage message) {
        Object[] args = message.getArguments();
        String values = args != null && args.length > 0 ? String.valueOf(args[0]) : "";
        values = values.replaceAll("^\\[|]$", "");
        List<String> quoted = new ArrayList<>();
        for (String v : values.split(",\\s*")) {
            quoted.add(v.startsWith("\"") ? v : "\"" + v + "\"");
        }
        return String.join(", ", quoted);
    }

    private static String fieldPath(String jsonPath) {
        if (jsonPath.equals("$")) {
            return "";
        }
        return jsonPath.startsWith("$.") ? jsonPath.substring(2) : jsonPath.substring(1);
    }

    private static String join(String path, String field) {
        if (field == null || field.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String render(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "null";
        }
        if (value.isObject()) {
            return "\"object\"";
        }
        if (value.isArray()) {
            return "\"array\"";
        }
        return value.toString();
    }

    // ---- CEL rules

    private void evaluateRules(JsonNode schema, JsonNode value, JsonNode oldValue, String path, List<FieldError> errors) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        for (JsonNode rule : schema.path(VALIDATIONS)) {
            evaluateRule(rule, value, oldValue, path, errors);
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> {
                JsonNode child = schema.path("properties").path(f.getKey());
                if (child.isMissingNode() && schema.path("additionalProperties").isObject()) {
                    child = schema.path("additionalProperties");
                }
                if (!child.isMissingNode()) {
                    JsonNode old = oldValue == null ? null : oldValue.get(f.getKey());
                    evaluateRules(child, f.getValue(), old, join(path, f.getKey()), errors);
                }
            });
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                evaluateRules(schema.path("items"), value.get(i), null, path + "[" + i + "]", errors);
            }
        }
    }

    private void evaluateRule(JsonNode rule, JsonNode value, JsonNode oldValue, String path, List<FieldError> errors) {
        String expression = rule.path("rule").asText();
        boolean transition = expression.contains("oldSelf");
        if (transition && oldValue == null) {
            return;
        }
        String field = path;
        String fieldPath = rule.path("fieldPath").asText("");
        if (!fieldPath.isEmpty()) {
            field = join(path, fieldPath.startsWith(".") ? fieldPath.substring(1) : fieldPath);
        }
        String reason = rule.path("reason").asText(FieldError.INVALID);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("self", toCel(value));
        if (oldValue != null) {
            variables.put("oldSelf", toCel(oldValue));
        }
        try {
            Object result = program(expression).eval(variables);
            if (!Boolean.TRUE.equals(result)) {
                String message = rule.path("message").asText("");
                if (rule.hasNonNull("messageExpression")) {
                    Object computed = program(rule.get("messageExpression").asText()).eval(variables);
                    if (computed instanceof String s && !s.isBlank()) {
                        message = s;
                    }
                }
                if (message.isEmpty()) {
                    message = "failed rule: " + expression;
                }
                errors.add(new FieldError(field, reason, causeMessage(reason, value, message)));
            }
        } catch (CelEvaluationException | RuntimeException e) {
            errors.add(new FieldError(field, FieldError.INVALID,
                    "Invalid value: " + render(value) + ": " + e.getMessage() + " evaluating rule: " + expression));
        }
    }

    private static String causeMessage(String reason, JsonNode value, String message) {
        return switch (reason) {
            case FieldError.REQUIRED -> "Required value: " + message;
            case FieldError.FORBIDDEN -> "Forbidden: " + message;
            default -> "Invalid value: " + render(value) + ": " + message;
        };
    }

    private CelRuntime.Program program(String expression) {
        Object compiled = compiledRules.computeIfAbsent(expression, e -> {
            try {
                CelAbstractSyntaxTree ast = CEL_COMPILER.compile(e).getAst();
                return CEL_RUNTIME.createProgram(ast);
            } catch (CelValidationException | CelEvaluationException ex) {
                return new IllegalArgumentException("rule does not compile: " + ex.getMessage());
            }
        });
        if (compiled instanceof IllegalArgumentException invalid) {
            throw invalid;
        }
        return (CelRuntime.Program) compiled;
    }

    private static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    map.put(f.getKey(), toCel(f.getValue()));
                }
            });
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCel(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
