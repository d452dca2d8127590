package dev.tessera.local.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The fabric8 CRUD mock plus what a real API server does and {@code kubectl} relies on: discovery,
 * 404 for OpenAPI, strategic-merge and apply patches taken as merge patches, server-side printing
 * ({@code kubectl get} columns), field selectors on lists, schema defaults and validation of custom
 * resources (422 {@code Invalid} as a real server answers).
 */
final class KubeApiFront extends KubernetesCrudDispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private final Clock clock;
    private final Map<String, CachedValidator> validators = new ConcurrentHashMap<>();

    private final Map<String, ParsedCrd> parsedCrds = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong crdWrites = new java.util.concurrent.atomic.AtomicLong();

    private record ParsedCrd(JsonNode crd) {
    }

    private record CachedValidator(String resourceVersion, CrdSchemaValidator validator) {
    }

    KubeApiFront(Clock clock) {
        this.clock = clock;
        this.store = installIndexedStore();
    }

    private final IndexedStore store;
    private final WatchStreams watches = new WatchStreams();

    /**
     * Puts an {@link IndexedStore} in place of the dispatcher's plain map (a final field of
     * {@link CrudDispatcher}, set once here before any request), so that lookups by type and name
     * stop scanning every stored object.
     */
    private IndexedStore installIndexedStore() {
        IndexedStore indexed = new IndexedStore();
        try {
            Field field = CrudDispatcher.class.getDeclaredField("map");
            field.setAccessible(true);
            indexed.putAll(getMap());
            field.set(this, indexed);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot index the API's object store (fabric8 mock changed?)", e);
        }
        if (getMap() != indexed) {
            throw new IllegalStateException("the API's object store was not replaced");
        }
        return indexed;
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        for (Map.Entry<AttributeSet, String> entry : store.candidates(query)) {
            if (entry.getKey().matches(query)) {
                return entry;
            }
        }
        return null;
    }

    /** Every resource this API serves now: the built-in kinds and those of the stored CRDs. */
    List<ApiDiscovery.Resource> servedResources() {
        return ApiDiscovery.resources(storedCrds());
    }

    /** The uid of the object stored at this API path, read from the store without a request; {@code null} when none is. */
    String storedUid(String path) {
        List<String> stored = storedObjects(path);
        return stored.isEmpty() ? null : uidOf(stored.get(0));
    }

    /**
     * The objects stored at a path, as JSON, read from the store: the one object of an object's path, or
     * those of a collection path (every namespace's, for a path without one).
     */
    List<String> storedObjects(String path) {
        AttributeSet query = attributeExtractor.fromPath(path);
        List<String> objects = new ArrayList<>();
        for (Map.Entry<AttributeSet, String> entry : store.snapshot(query)) {
            if (entry.getKey().matches(query)) {
                objects.add(entry.getValue());
            }
        }
        return objects;
    }

    /** metadata.uid of a stored object, read up to that field and no further. */
    static String uidOf(String json) {
        try (JsonParser parser = JSON.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (!"metadata".equals(field)) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    parser.nextToken();
                    if ("uid".equals(key)) {
                        return parser.getValueAsString();
                    }
                    parser.skipChildren();
                }
                return null;
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A watch over a WebSocket, served by {@link WatchStreams}: the same query as fabric8's own watch
     * (the path's attributes, and the name of a {@code metadata.name} field selector), each event built
     * once for all the watches it goes to.
     */
    @Override
    public MockResponse handleWatch(String path) {
        AttributeSet query = attributeExtractor.fromPath(path);
        String name = watchedName(path);
        if (name != null) {
            query = query.add(new Attribute("name", name));
        }
        return new MockResponse().withWebSocketUpgrade(watches.watch(query, store::snapshot));
    }

    static String watchedName(String path) {
        int q = path.indexOf('?');
        if (q < 0) {
            return null;
        }
        String name = null;
        for (String param : path.substring(q + 1).split("&")) {
            String decoded = java.net.URLDecoder.decode(param, StandardCharsets.UTF_8);
            if (decoded.startsWith("fieldSelector=")) {
                for (String term : decoded.substring("fieldSelector=".length()).split(",")) {
                    String[] kv = term.split("==?", 2);
                    if (kv.length == 2 && kv[0].trim().equals("metadata.name") && !kv[1].isBlank()) {
                        name = kv[1].trim();
                    }
                }
            }
        }
        return name;
    }

    /** Every change to the store passes here (under the dispatcher's write lock); its watch events go out once each. */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        watches.publishing(() -> {
            String existing = oldAttributes == null ? null : store.get(oldAttributes);
            AttributeSet stored = store.recordingPut(
                    () -> super.processEvent(path, pathAttributes, oldAttributes, resource, newState));
            return new WatchStreams.Change(oldAttributes, existing, newState == null ? null : stored, newState);
        });
    }

    @Override
    public MockResponse handleGet(String path) {
        return store.scoped(getKey(path), () -> super.handleGet(path));
    }

    @Override
    public MockResponse handleDelete(String path) {
        return store.scoped(getKey(path), () -> super.handleDelete(path));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            return route(request);
        } catch (RuntimeException e) {
            return status(500, "InternalError", e.toString(), null);
        }
    }

    private MockResponse route(RecordedRequest request) {
        String rawPath = request.getPath();
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        HttpMethod method = request.method();
        if (path.equals("/version") || path.equals("/version/")) {
            return json(200, ApiDiscovery.version());
        }
        if (path.startsWith("/openapi") || path.startsWith("/swagger")) {
            // no OpenAPI document: kubectl then skips client-side schema checks, as for an old server
            return status(404, "NotFound", "the server could not find the requested resource", null);
        }
        if (path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez")) {
            return new MockResponse().setResponseCode(200).setBody("ok");
        }
        if (method == HttpMethod.GET) {
            Optional<MockResponse> discovery = discovery(path);
            if (discovery.isPresent()) {
                return discovery.get();
            }
        }
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        boolean protobuf = ProtobufObjects.isProtobuf(contentType) && method != HttpMethod.GET;
        if (protobuf && method == HttpMethod.PATCH) {
            return status(415, "UnsupportedMediaType", "a patch is JSON or YAML, not protobuf", null);
        }
        if (protobuf) {
            // client-go sends built-in kinds as protobuf (kubectl create, Helm's release records): read those kinds
            // into JSON; any other kind is refused as an unsupported media type, and nothing is stored
            Optional<ObjectNode> object;
            try {
                object = ProtobufObjects.toJson(request.getBody().readByteArray());
            } catch (IllegalArgumentException e) {
                return status(400, "BadRequest", e.getMessage(), null);
            }
            if (object.isEmpty()) {
                return status(415, "UnsupportedMediaType", "the body of the request was in an unknown format, accepted media types"
                        + " include: application/json, application/yaml (and protobuf for " + String.join(", ",
                                new java.util.TreeSet<>(ProtobufObjects.READABLE)) + ")", null);
            }
            request = withBody(request, "application/json", object.get().toString());
        }
        Optional<ResourcePath> parsed = ResourcePath.parse(rawPath);
        if (parsed.isEmpty()) {
            return status(404, "NotFound", "the server could not find the requested resource", null);
        }
        ResourcePath target = parsed.get();
        LabelSelector labels;
        try {
            labels = target.query().containsKey("labelSelector") ? LabelSelector.parse(target.query().get("labelSelector")) : null;
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", e.getMessage(), null);
        }
        if (labels != null && !labels.mockReads() && (method != HttpMethod.GET || target.isWatch())) {
            // the mock would ignore the requirements it cannot read, and watch or delete every object of the kind
            return status(400, "BadRequest", "the local API reads only key=value label selectors when it watches or "
                    + "deletes; list first and name what to delete (set-based and negated selectors work in a list)", null);
        }
        if (method != HttpMethod.GET && dryRun(request, target)) {
            if (method != HttpMethod.POST) {
                return status(400, "BadRequest", "the local API runs dry runs of creates only; nothing was changed", null);
            }
            return dryRunCreate(request, target);
        }
        boolean crdWrite = method != HttpMethod.GET && isCrd(target);
        if (crdWrite) {
            forgetCrds();
        }
        MockResponse response = switch (method) {
            case POST -> create(request, target);
            case PUT -> update(request, target);
            case PATCH -> patch(request, target);
            case GET -> read(request, target);
            case DELETE -> withNotFoundStatus(handleDelete(rawPath), target);
            default -> super.dispatch(request);
        };
        if (crdWrite) {
            forgetCrds();
        }
        if (response.getHeaders().get("Content-Type") == null && response.getWebSocketListener() == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    // ---- discovery

    private Optional<MockResponse> discovery(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/api")) {
            return Optional.of(json(200, ApiDiscovery.coreVersions()));
        }
        if (p.equals("/apis")) {
            return Optional.of(json(200, ApiDiscovery.groups(ApiDiscovery.resources(storedCrds()))));
        }
        String[] s = p.replaceAll("^/", "").split("/");
        if (s.length == 2 && s[0].equals("api")) {
            return Optional.of(ApiDiscovery.resourceList(ApiDiscovery.resources(List.of()), s[1])
                    .map(doc -> json(200, doc)).orElse(status(404, "NotFound", "no resources in " + p, null)));
        }
        if (s.length == 3 && s[0].equals("apis")) {
            return Optional.of(ApiDiscovery.resourceList(ApiDiscovery.resources(storedCrds()), s[1] + "/" + s[2])
                    .map(doc -> json(200, doc)).orElse(status(404, "NotFound", "no resources in " + p, null)));
        }
        return Optional.empty();
    }

    private List<JsonNode> storedCrds() {
        MockResponse list = handleGet(CRD_PATH);
        List<JsonNode> crds = new ArrayList<>();
        parse(list).path("items").forEach(crds::add);
        return crds;
    }

    private Optional<JsonNode> crdOf(ResourcePath target) {
        if (target.isCore()) {
            return Optional.empty();
        }
        String name = target.plural() + "." + target.group();
        // A CRD is large and read on every write of its objects: it is parsed once and kept until a write
        // to the CRDs clears what is kept (every write passes through route). A read that raced such a write
        // does not keep what it read.
        ParsedCrd parsed = parsedCrds.get(name);
        if (parsed != null) {
            return Optional.of(parsed.crd());
        }
        long writes = crdWrites.get();
        MockResponse found = handleGet(CRD_PATH + "/" + name);
        if (found.code() != 200 || found.getBody() == null) {
            return Optional.empty();
        }
        JsonNode crd = parse(new String(found.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
        if (crdWrites.get() == writes) {
            parsedCrds.put(name, new ParsedCrd(crd));
        }
        return Optional.of(crd);
    }

    private void forgetCrds() {
        crdWrites.incrementAndGet();
        parsedCrds.clear();
    }

    private Optional<CrdSchemaValidator> validatorOf(ResourcePath target) {
        return crdOf(target).map(crd -> {
            String name = crd.path("metadata").path("name").asText();
            String version = crd.path("metadata").path("resourceVersion").asText();
            CachedValidator cached = validators.get(name);
            if (cached == null || !cached.resourceVersion().equals(version)) {
                cached = new CachedValidator(version, CrdSchemaValidator.fromCrd(crd));
                validators.put(name, cached);
            }
            return cached.validator();
        });
    }

    // ---- reads

    private MockResponse read(RecordedRequest request, ResourcePath target) {
        if (target.isWatch()) {
            if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                return watchSnapshot(request, target);
            }
            return handleGet(request.getPath());
        }
        boolean selectsFields = target.name() == null && target.query().containsKey("fieldSelector");
        // the mock reads a field selector as attributes the stored keys lack (involvedObject.name, spec.nodeName),
        // so it would match nothing, and ignores the label requirements it cannot read (in, notin, !=, exists), so it
        // would answer every object: such lists are read whole and filtered here
        LabelSelector labels = target.name() == null && target.query().containsKey("labelSelector")
                ? LabelSelector.parse(target.query().get("labelSelector")) : null;
        boolean selectsLabels = labels != null && !labels.mockReads();
        String path = request.getPath();
        if (selectsFields) {
            path = withoutParameter(path, "fieldSelector");
        }
        if (selectsLabels) {
            path = withoutParameter(path, "labelSelector");
        }
        MockResponse response = handleGet(path);
        if (response.code() != 200) {
            return withNotFoundStatus(response, target);
        }
        JsonNode body = parse(response);
        if (selectsFields) {
            body = filterByFields(body, target.query().get("fieldSelector"));
        }
        if (selectsLabels) {
            body = filterByLabels(body, labels);
        }
        body = typedList(body);
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("as=Table")) {
            return json(200, TableView.of(body, columnsOf(target), clock.instant()));
        }
        return json(200, body);
    }

    private List<TableView.Column> columnsOf(ResourcePath target) {
        return crdOf(target).map(crd -> TableView.columnsOf(crd, target.version()))
                .orElseGet(() -> TableView.builtInColumns(target.plural()));
    }

    /**
     * kubectl watches over plain HTTP, which the mock does not stream: answer the current state as
     * one batch of events and end the stream, so kubectl lists again and sees changes by polling.
     */
    private MockResponse watchSnapshot(RecordedRequest request, ResourcePath target) {
        MockResponse list = handleGet(target.collectionPath());
        JsonNode body = parse(list);
        if (target.query().containsKey("fieldSelector")) {
            body = filterByFields(body, target.query().get("fieldSelector"));
        }
        String accept = request.getHeader("Accept");
        List<TableView.Column> columns = accept != null && accept.contains("as=Table") ? columnsOf(target) : null;
        StringBuilder events = new StringBuilder();
        for (JsonNode item : body.path("items")) {
            ObjectNode event = F.objectNode().put("type", "ADDED");
            event.set("object", columns == null ? item : TableView.of(item, columns, clock.instant()));
            events.append(event).append('\n');
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(events.toString());
    }

    /**
     * A list answered as its kind's list ({@code EventList}, not the mock's {@code List}): clients that read it
     * into a typed list, as {@code kubectl describe} reads a job's Events, refuse a bare {@code List}.
     */
    static JsonNode typedList(JsonNode body) {
        JsonNode first = body.path("items").path(0);
        if (!"List".equals(body.path("kind").asText()) || !first.hasNonNull("kind")) {
            return body;
        }
        ObjectNode typed = body.deepCopy();
        typed.put("kind", first.get("kind").asText() + "List");
        return typed;
    }

    /** The path with one query parameter left out. */
    static String withoutParameter(String path, String name) {
        int q = path.indexOf('?');
        if (q < 0) {
            return path;
        }
        String kept = java.util.Arrays.stream(path.substring(q + 1).split("&"))
                .filter(p -> !p.equals(name) && !p.startsWith(name + "=")).collect(Collectors.joining("&"));
        return path.substring(0, q) + (kept.isEmpty() ? "" : "?" + kept);
    }

    static JsonNode filterByLabels(JsonNode list, LabelSelector selector) {
        ObjectNode copy = list.deepCopy();
        ArrayNode kept = F.arrayNode();
        for (JsonNode item : list.path("items")) {
            Map<String, String> labels = new java.util.HashMap<>();
            item.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            if (selector.matches(labels)) {
                kept.add(item);
            }
        }
        copy.set("items", kept);
        return copy;
    }

    static JsonNode filterByFields(JsonNode list, String selector) {
        if (selector == null || selector.isBlank()) {
            return list;
        }
        ObjectNode copy = list.deepCopy();
        ArrayNode kept = F.arrayNode();
        for (JsonNode item : list.path("items")) {
            boolean matches = true;
            for (String term : selector.split(",")) {
                boolean negate = term.contains("!=");
                String[] kv = term.split(negate ? "!=" : "==?", 2);
                if (kv.length != 2) {
                    continue;
                }
                String actual = TableView.select(item, "." + kv[0].trim()).asText("");
                boolean equal = actual.equals(kv[1].trim());
                matches &= negate != equal;
            }
            if (matches) {
                kept.add(item);
            }
        }
        copy.set("items", kept);
        return copy;
    }

    // ---- writes

    private MockResponse create(RecordedRequest request, ResourcePath target) {
        String body = request.getBody().readUtf8();
        return createWith(request, target, body);
    }

    /** {@code ?dryRun=All}, or a delete's DeleteOptions asking for it. */
    private static boolean dryRun(RecordedRequest request, ResourcePath target) {
        if (target.query().containsKey("dryRun")) {
            return true;
        }
        if (request.method() == HttpMethod.DELETE && request.getBody() != null && request.getBody().size() > 0) {
            return parse(new String(request.getBody().getBytes(), StandardCharsets.UTF_8)).path("dryRun").size() > 0;
        }
        return false;
    }

    /**
     * A create checked as it would be made (schema, pruning, defaults, the name) and answered with the object it
     * would store; nothing is stored and no watcher hears of it.
     */
    private MockResponse dryRunCreate(RecordedRequest request, ResourcePath target) {
        String body = request.getBody().readUtf8();
        JsonNode object = parse(body);
        Optional<CrdSchemaValidator> validator = validatorOf(target);
        List<String> unknown = List.of();
        if (validator.isPresent()) {
            Optional<MockResponse> refused = refuse(validator.get(), object, null, target);
            if (refused.isPresent()) {
                return refused.get();
            }
            CrdSchemaValidator.Stored stored = validator.get().asStored(object);
            unknown = stored.pruned();
            object = stored.object();
        }
        if (isSecret(target)) {
            object = defaultSecretType(object);
        }
        if (object instanceof ObjectNode o) {
            String name = o.path("metadata").path("name").asText("");
            if (!name.isEmpty() && handleGet(target.collectionPath() + "/" + name).code() == 200) {
                return status(409, "AlreadyExists", target.plural() + " \"" + name + "\" already exists", null);
            }
            o.withObject("metadata").put("creationTimestamp",
                    clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
        return warnPruned(json(201, object), unknown, target);
    }

    private MockResponse createWith(RecordedRequest request, ResourcePath target, String body) {
        Optional<CrdSchemaValidator> validator = validatorOf(target);
        List<String> unknown = List.of();
        if (validator.isPresent()) {
            JsonNode object = parse(body);
            Optional<MockResponse> refused = refuse(validator.get(), object, null, target);
            if (refused.isPresent()) {
                return refused.get();
            }
            CrdSchemaValidator.Stored stored = validator.get().asStored(object);
            unknown = stored.pruned();
            body = stored.object().toString();
        }
        if (isCrd(target)) {
            body = established(parse(body)).toString();
        }
        if (isSecret(target)) {
            body = defaultSecretType(parse(body)).toString();
        }
        return warnPruned(super.handleCreate(copy(request, HttpMethod.POST, target.collectionPath(), null, body)), unknown, target);
    }

    private static boolean isSecret(ResourcePath target) {
        return (target.group() == null || target.group().isEmpty()) && "secrets".equals(target.plural());
    }

    /**
     * A Secret as the API server stores it: {@code Opaque} when written without a type (kubectl create secret generic
     * sends none), and {@code stringData}, a write-only convenience, merged into {@code data} (base64), its keys winning.
     */
    private static JsonNode defaultSecretType(JsonNode secret) {
        if (secret instanceof ObjectNode object) {
            if (object.path("type").asText("").isEmpty()) {
                object.put("type", "Opaque");
            }
            if (object.get("stringData") instanceof ObjectNode strings) {
                ObjectNode data = object.path("data").isObject() ? (ObjectNode) object.get("data") : object.putObject("data");
                strings.fields().forEachRemaining(e -> data.put(e.getKey(), java.util.Base64.getEncoder()
                        .encodeToString(e.getValue().asText("").getBytes(StandardCharsets.UTF_8))));
                object.remove("stringData");
            }
        }
        return secret;
    }

    private static boolean isCrd(ResourcePath target) {
        return "apiextensions.k8s.io".equals(target.group()) && "customresourcedefinitions".equals(target.plural());
    }

    /**
     * A new CRD as the API server's controllers leave it a moment after its create: names accepted, Established,
     * its storage version recorded. Clients wait for Established before they use the new kind (helm install does).
     */
    private JsonNode established(JsonNode crd) {
        if (!(crd instanceof ObjectNode object) || !crd.path("spec").isObject()) {
            return crd;
        }
        String now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        ObjectNode status = F.objectNode();
        status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
        var conditions = status.putArray("conditions");
        conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("reason", "NoConflicts")
                .put("message", "no conflicts found").put("lastTransitionTime", now);
        conditions.addObject().put("type", "Established").put("status", "True").put("reason", "InitialNamesAccepted")
                .put("message", "the initial names have been accepted").put("lastTransitionTime", now);
        var stored = status.putArray("storedVersions");
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("storage").asBoolean(false)) {
                stored.add(version.path("name").asText());
            }
        }
        object.set("status", status);
        return object;
    }

    private MockResponse update(RecordedRequest request, ResourcePath target) {
        String body = request.getBody().readUtf8();
        if (target.isStatus()) {
            // The mock checks the resourceVersion of a PUT on the object only; the API server checks it on /status too.
            Optional<MockResponse> conflict = staleStatusWrite(parse(body), target);
            if (conflict.isPresent()) {
                return conflict.get();
            }
        }
        if (isSecret(target) && !target.isStatus()) {
            body = defaultSecretType(parse(body)).toString();
        }
        Optional<CrdSchemaValidator> validator = target.isStatus() ? Optional.empty() : validatorOf(target);
        List<String> unknown = List.of();
        if (validator.isPresent()) {
            JsonNode object = parse(body);
            MockResponse current = handleGet(target.objectPath());
            JsonNode old = current.code() == 200 ? parse(current) : null;
            if (!onlyMetadataChanged(object, old)) {
                Optional<MockResponse> refused = refuse(validator.get(), object, old, target);
                if (refused.isPresent()) {
                    return refused.get();
                }
                CrdSchemaValidator.Stored stored = validator.get().asStored(object);
                unknown = stored.pruned();
                body = stored.object().toString();
            }
        }
        return warnPruned(withNotFoundStatus(super.handleUpdate(copy(request, HttpMethod.PUT, request.getPath(), null, body)), target),
                unknown, target);
    }

    /** 409 Conflict, as the API server answers, for a status write carrying a resourceVersion that is no longer current. */
    private Optional<MockResponse> staleStatusWrite(JsonNode object, ResourcePath target) {
        String sent = object.path("metadata").path("resourceVersion").asText("");
        if (sent.isEmpty()) {
            return Optional.empty();
        }
        MockResponse current = handleGet(target.objectPath());
        if (current.code() != 200) {
            return Optional.empty();
        }
        String stored = parse(current).path("metadata").path("resourceVersion").asText("");
        if (stored.equals(sent)) {
            return Optional.empty();
        }
        String kind = target.plural() + (target.group() == null || target.group().isEmpty() ? "" : "." + target.group());
        return Optional.of(status(409, "Conflict", "Operation cannot be fulfilled on " + kind + " \"" + target.name()
                + "\": the object has been modified; please apply your changes to the latest version and try again", null));
    }

    private MockResponse patch(RecordedRequest request, ResourcePath target) {
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        String body = request.getBody().readUtf8();
        boolean apply = contentType.contains("apply-patch");
        JsonNode patch;
        if (apply) {
            // apply patches are YAML, but clients (the fabric8 client, JOSDK) send JSON, which parses far faster
            patch = parse(body);
        } else if (contentType.contains("strategic-merge-patch")) {
            // strategic merge without the schema's merge keys: lists are replaced, directives dropped
            patch = withoutDirectives(parse(body));
        } else {
            patch = parse(body);
        }
        boolean jsonPatch = contentType.contains("json-patch");
        MockResponse current = handleGet(target.objectPath());
        if (current.code() != 200) {
            if (apply && !target.isStatus()) {
                return createWith(request, target, patch.toString());
            }
            return withNotFoundStatus(current, target);
        }
        JsonNode old = parse(current);
        Optional<CrdSchemaValidator> validator = target.isStatus() ? Optional.empty() : validatorOf(target);
        JsonNode patched;
        if (jsonPatch) {
            try {
                patched = validator.isPresent() ? JsonPatch.apply(patch, old) : null;
            } catch (RuntimeException e) {
                patched = null;
            }
            if (patched == null) {
                // the mock applies JSON patches well, creating missing parents the way clients expect
                MockResponse response = super.handlePatch(copy(request, HttpMethod.PATCH, request.getPath(),
                        "application/json-patch+json", patch.toString()));
                return response.code() == 202 ? response.setResponseCode(200) : response;
            }
        } else {
            // merge patches are applied here (RFC 7386): the mock's own merge appends to lists
            // instead of replacing them, so finalizers and conditions would pile up
            patched = mergePatch(old, patch);
        }
        if (patched.path("metadata").path("resourceVersion").isMissingNode() && old.path("metadata").has("resourceVersion")) {
            ((ObjectNode) patched.path("metadata")).set("resourceVersion", old.path("metadata").get("resourceVersion"));
        }
        List<String> unknown = List.of();
        if (validator.isPresent() && !onlyMetadataChanged(patched, old)) {
            Optional<MockResponse> refused = refuse(validator.get(), patched, old, target);
            if (refused.isPresent()) {
                return refused.get();
            }
            CrdSchemaValidator.Stored stored = validator.get().asStored(patched);
            unknown = stored.pruned();
            patched = stored.object();
        }
        if (isSecret(target) && !target.isStatus()) {
            patched = defaultSecretType(patched);
        }
        MockResponse response = warnPruned(super.handleUpdate(copy(request, HttpMethod.PUT, request.getPath(), "application/json",
                patched.toString())), unknown, target);
        if (response.code() == 200 && (response.getBody() == null || response.getBody().size() == 0)) {
            // the last finalizer went and the object with it: answer its final state, as the API server does
            response.setBody(patched.toString());
        }
        return response;
    }

    /**
     * An update that changes nothing but metadata (a finalizer, a label) leaves the validated, defaulted
     * rest as stored: it is not validated again, as the API server's validation ratcheting does not
     * report what an update left unchanged.
     */
    static boolean onlyMetadataChanged(JsonNode object, JsonNode old) {
        if (old == null || !object.isObject() || !old.isObject() || object.size() != old.size()) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!f.getKey().equals("metadata") && !f.getValue().equals(old.get(f.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The API server prunes fields a structural schema does not know and, unless the client asked to ignore them
     * ({@code fieldValidation=Ignore}, what {@code kubectl apply --validate=false} sends), says so in a Warning header
     * per field; kubectl prints them. Strict validation refused them before (see {@link #refuse}).
     */
    private static MockResponse warnPruned(MockResponse response, List<String> unknown, ResourcePath target) {
        if (response.code() / 100 == 2 && !"Ignore".equals(target.query().get("fieldValidation"))) {
            unknown.forEach(field -> response.addHeader("Warning", "299 - \"unknown field \\\"" + field + "\\\"\""));
        }
        return response;
    }

    private static final java.util.regex.Pattern DNS_SUBDOMAIN =
            java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** A custom resource's name must be a DNS subdomain, in the API server's words (empty: generateName decides). */
    static Optional<FieldError> nameError(String name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.length() > 253) {
            return Optional.of(new FieldError("metadata.name", FieldError.INVALID, "Invalid value: \"" + name
                    + "\": must be no more than 253 characters"));
        }
        if (!DNS_SUBDOMAIN.matcher(name).matches()) {
            return Optional.of(new FieldError("metadata.name", FieldError.INVALID, "Invalid value: \"" + name
                    + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must"
                    + " start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '"
                    + DNS_SUBDOMAIN.pattern() + "')"));
        }
        return Optional.empty();
    }

    private Optional<MockResponse> refuse(CrdSchemaValidator validator, JsonNode object, JsonNode old, ResourcePath target) {
        String name = object.path("metadata").path("name").asText(target.name() == null ? "" : target.name());
        String qualifiedKind = validator.kind() + "." + validator.group();
        if ("Strict".equals(target.query().get("fieldValidation"))) {
            List<String> unknown = validator.unknownFields(object);
            if (!unknown.isEmpty()) {
                String message = validator.kind() + " in version \"" + target.version() + "\" cannot be handled as a "
                        + validator.kind() + ": strict decoding error: "
                        + unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", "));
                return Optional.of(status(400, "BadRequest", message, null));
            }
        }
        List<FieldError> errors = new ArrayList<>(old == null ? validator.validate(object) : validator.validateUpdate(object, old));
        if (old == null) {
            nameError(object.path("metadata").path("name").asText("")).ifPresent(e -> errors.add(0, e));
        }
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        String causes = errors.size() == 1 ? errors.get(0).toString()
                : errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
        ObjectNode details = F.objectNode().put("name", name).put("group", validator.group()).put("kind", validator.kind());
        ArrayNode causeList = details.putArray("causes");
        errors.forEach(e -> causeList.addObject().put("reason", e.reason()).put("message", e.message()).put("field", e.field()));
        return Optional.of(status(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + causes, details));
    }

    // ---- helpers

    private MockResponse withNotFoundStatus(MockResponse response, ResourcePath target) {
        if (response.code() == 404 && (response.getBody() == null || response.getBody().size() == 0)) {
            String resource = target.isCore() ? target.plural() : target.plural() + "." + target.group();
            return status(404, "NotFound", resource + " \"" + target.name() + "\" not found", null);
        }
        return response;
    }

    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : F.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isNull()) {
                result.remove(f.getKey());
            } else {
                result.set(f.getKey(), mergePatch(result.get(f.getKey()), f.getValue()));
            }
        }
        return result;
    }

    private static JsonNode withoutDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> directives = new ArrayList<>();
            object.fieldNames().forEachRemaining(n -> {
                if (n.startsWith("$")) {
                    directives.add(n);
                }
            });
            object.remove(directives);
            object.forEach(KubeApiFront::withoutDirectives);
        } else if (node instanceof ArrayNode array) {
            array.forEach(KubeApiFront::withoutDirectives);
        }
        return node;
    }

    /** The same request (path and query kept) with another body. */
    private static RecordedRequest withBody(RecordedRequest original, String contentType, String body) {
        var headers = original.getHeaders().newBuilder().set("Content-Type", contentType);
        return new RecordedRequest(original.getHttpVersion(), original.method(), original.getPath(), headers.build(),
                new Buffer(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static RecordedRequest copy(RecordedRequest original, HttpMethod method, String rawPath, String contentType, String body) {
        // the mock recognises subresources by the path's end, so options such as ?fieldManager= must go
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        var headers = original.getHeaders().newBuilder();
        if (contentType != null) {
            headers.set("Content-Type", contentType);
        }
        return new RecordedRequest(original.getHttpVersion(), method, path, headers.build(),
                new Buffer(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static JsonNode parse(MockResponse response) {
        Buffer body = response.getBody();
        return body == null ? F.objectNode() : parse(new String(body.getBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? F.objectNode() : JSON.readTree(text);
        } catch (IOException e) {
            return parseYaml(text);
        }
    }

    private static JsonNode parseYaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is neither JSON nor YAML", e);
        }
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body.toString());
    }

    static MockResponse status(int code, String reason, String message, JsonNode details) {
        ObjectNode status = F.objectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message).put("reason", reason);
        if (details != null) {
            status.set("details", details);
        }
        status.put("code", code);
        return json(code, status);
    }
}
