package dev.tessera.local.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the protobuf bodies that client-go sends for built-in kinds (kubectl create, Helm's release records,
 * which are Secrets) into the JSON the API stores. A body is the Kubernetes envelope: the magic {@code k8s\0},
 * then a {@code runtime.Unknown} holding the type and the object's own message. Field numbers are those of
 * {@code k8s.io/api/core/v1/generated.proto} and {@code k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto}.
 * Only the kinds in {@link #KINDS} are read; the caller answers 415 for the others, as before.
 */
final class ProtobufObjects {

    static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { STRING, BYTES, INT64, INT32, BOOL, MESSAGE, TIME, STRING_MAP, BYTES_MAP, RAW_JSON }

    record Field(String name, Kind kind, boolean repeated, Map<Integer, Field> message) {
    }

    private static final class Schema {
        private final Map<Integer, Field> fields = new LinkedHashMap<>();

        Schema field(int number, String name, Kind kind) {
            fields.put(number, new Field(name, kind, false, null));
            return this;
        }

        Schema repeated(int number, String name, Kind kind) {
            fields.put(number, new Field(name, kind, true, null));
            return this;
        }

        Schema message(int number, String name, Schema message) {
            fields.put(number, new Field(name, Kind.MESSAGE, false, message.fields));
            return this;
        }

        Schema messages(int number, String name, Schema message) {
            fields.put(number, new Field(name, Kind.MESSAGE, true, message.fields));
            return this;
        }
    }

    private static final Schema TYPE_META = new Schema().field(1, "apiVersion", Kind.STRING).field(2, "kind", Kind.STRING);
    private static final Schema UNKNOWN = new Schema().message(1, "typeMeta", TYPE_META).field(2, "raw", Kind.BYTES)
            .field(3, "contentEncoding", Kind.STRING).field(4, "contentType", Kind.STRING);
    private static final Schema OWNER_REFERENCE = new Schema().field(1, "kind", Kind.STRING).field(3, "name", Kind.STRING)
            .field(4, "uid", Kind.STRING).field(5, "apiVersion", Kind.STRING).field(6, "controller", Kind.BOOL)
            .field(7, "blockOwnerDeletion", Kind.BOOL);
    private static final Schema MANAGED_FIELDS = new Schema().field(1, "manager", Kind.STRING).field(2, "operation", Kind.STRING)
            .field(3, "apiVersion", Kind.STRING).field(4, "time", Kind.TIME).field(6, "fieldsType", Kind.STRING)
            .field(7, "fieldsV1", Kind.RAW_JSON).field(8, "subresource", Kind.STRING);
    private static final Schema OBJECT_META = new Schema().field(1, "name", Kind.STRING).field(2, "generateName", Kind.STRING)
            .field(3, "namespace", Kind.STRING).field(4, "selfLink", Kind.STRING).field(5, "uid", Kind.STRING)
            .field(6, "resourceVersion", Kind.STRING).field(7, "generation", Kind.INT64).field(8, "creationTimestamp", Kind.TIME)
            .field(9, "deletionTimestamp", Kind.TIME).field(10, "deletionGracePeriodSeconds", Kind.INT64)
            .field(11, "labels", Kind.STRING_MAP).field(12, "annotations", Kind.STRING_MAP)
            .messages(13, "ownerReferences", OWNER_REFERENCE).repeated(14, "finalizers", Kind.STRING)
            .messages(17, "managedFields", MANAGED_FIELDS);
    private static final Schema SECRET = new Schema().message(1, "metadata", OBJECT_META).field(2, "data", Kind.BYTES_MAP)
            .field(3, "type", Kind.STRING).field(4, "stringData", Kind.STRING_MAP).field(5, "immutable", Kind.BOOL);
    private static final Schema CONFIG_MAP = new Schema().message(1, "metadata", OBJECT_META).field(2, "data", Kind.STRING_MAP)
            .field(3, "binaryData", Kind.BYTES_MAP).field(4, "immutable", Kind.BOOL);
    private static final Schema NAMESPACE = new Schema().message(1, "metadata", OBJECT_META)
            .message(2, "spec", new Schema().repeated(1, "finalizers", Kind.STRING))
            .message(3, "status", new Schema().field(1, "phase", Kind.STRING));

    /** meta/v1 DeleteOptions, the body of a delete; encoded in the version of the client that sends it. */
    private static final Schema DELETE_OPTIONS = new Schema().field(1, "gracePeriodSeconds", Kind.INT64)
            .message(2, "preconditions", new Schema().field(1, "uid", Kind.STRING).field(2, "resourceVersion", Kind.STRING))
            .field(3, "orphanDependents", Kind.BOOL).field(4, "propagationPolicy", Kind.STRING).repeated(5, "dryRun", Kind.STRING);

    /** apiVersion/kind → the object's message. */
    private static final Map<String, Schema> KINDS = Map.of("v1/Secret", SECRET, "v1/ConfigMap", CONFIG_MAP, "v1/Namespace", NAMESPACE);

    /** The kinds whose protobuf bodies are read, for the 415 of any other. */
    static final Set<String> READABLE = Set.of("Secret", "ConfigMap", "Namespace", "DeleteOptions");

    private ProtobufObjects() {
    }

    static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.startsWith(MEDIA_TYPE);
    }

    /**
     * The object in a protobuf body as JSON, or empty when it is of a kind this API does not read from protobuf.
     *
     * @throws IllegalArgumentException when the body is no Kubernetes protobuf envelope or its message is malformed
     */
    static Optional<ObjectNode> toJson(byte[] body) {
        if (body.length < MAGIC.length || !java.util.Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("the protobuf body does not start with the Kubernetes envelope (k8s\\0)");
        }
        try {
            ObjectNode unknown = read(CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length), UNKNOWN.fields);
            if (!unknown.path("contentEncoding").asText("").isEmpty()) {
                throw new IllegalArgumentException("protobuf bodies with a content encoding ("
                        + unknown.path("contentEncoding").asText() + ") are not read");
            }
            String apiVersion = unknown.path("typeMeta").path("apiVersion").asText("");
            String kind = unknown.path("typeMeta").path("kind").asText("");
            if (apiVersion.isEmpty() || kind.isEmpty()) {
                throw new IllegalArgumentException("the protobuf body names no apiVersion and kind");
            }
            Schema schema = "DeleteOptions".equals(kind) ? DELETE_OPTIONS : KINDS.get(apiVersion + "/" + kind);
            if (schema == null) {
                return Optional.empty();
            }
            byte[] raw = Base64.getDecoder().decode(unknown.path("raw").asText(""));
            ObjectNode object = F.objectNode().put("apiVersion", apiVersion).put("kind", kind);
            object.setAll(read(CodedInputStream.newInstance(raw), schema.fields));
            return Optional.of(object);
        } catch (IOException e) {
            throw new IllegalArgumentException("the protobuf body cannot be read: " + e.getMessage(), e);
        }
    }

    private static ObjectNode read(CodedInputStream in, Map<Integer, Field> fields) throws IOException {
        ObjectNode out = F.objectNode();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            Field field = fields.get(WireFormat.getTagFieldNumber(tag));
            if (field == null) {
                in.skipField(tag); // as any protobuf reader does with a field it does not know
                continue;
            }
            int wire = WireFormat.getTagWireType(tag);
            boolean varint = field.kind() == Kind.INT64 || field.kind() == Kind.INT32 || field.kind() == Kind.BOOL;
            if (wire != (varint ? WireFormat.WIRETYPE_VARINT : WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                throw new InvalidProtocolBufferException("field " + field.name() + " has wire type " + wire);
            }
            JsonNode value = switch (field.kind()) {
                case STRING -> F.textNode(in.readStringRequireUtf8());
                case BYTES -> F.textNode(Base64.getEncoder().encodeToString(in.readByteArray()));
                case INT64 -> F.numberNode(in.readInt64());
                case INT32 -> F.numberNode(in.readInt32());
                case BOOL -> F.booleanNode(in.readBool());
                case MESSAGE -> read(in.readBytes().newCodedInput(), field.message());
                case TIME -> time(in.readBytes());
                case RAW_JSON -> rawJson(in.readBytes());
                case STRING_MAP, BYTES_MAP -> null;
            };
            if (value != null && value.isNull()) {
                continue; // a zero time: absent, as in JSON
            }
            if (value != null && value.isTextual() && value.asText().isEmpty() && !field.repeated()) {
                continue; // Go writes empty strings too; in JSON they are left out (omitempty)
            }
            if (field.kind() == Kind.STRING_MAP || field.kind() == Kind.BYTES_MAP) {
                mapEntry(in.readBytes(), field, out.withObject(field.name()));
            } else if (field.repeated()) {
                ArrayNode list = out.withArray(field.name());
                list.add(value);
            } else {
                out.set(field.name(), value);
            }
        }
        return out;
    }

    /** A map is a repeated message of key (1) and value (2). */
    private static void mapEntry(ByteString entry, Field field, ObjectNode map) throws IOException {
        CodedInputStream in = entry.newCodedInput();
        String key = "";
        JsonNode value = F.textNode("");
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> key = in.readStringRequireUtf8();
                case 2 -> value = field.kind() == Kind.BYTES_MAP
                        ? F.textNode(Base64.getEncoder().encodeToString(in.readByteArray()))
                        : F.textNode(in.readStringRequireUtf8());
                default -> in.skipField(tag);
            }
        }
        map.set(key, value);
    }

    /** Years 0001 to 9999, what RFC 3339 and Go's time can write. */
    private static final long FIRST_SECOND = -62_135_596_800L;
    private static final long LAST_SECOND = 253_402_300_799L;

    /**
     * meta/v1 Time: seconds (1) and nanos (2) since the epoch; JSON writes it to the second, as the API server does.
     * An empty message is Go's zero time, which JSON writes as null.
     */
    private static JsonNode time(ByteString message) throws IOException {
        CodedInputStream in = message.newCodedInput();
        long seconds = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                seconds = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        if (seconds == 0 || seconds == FIRST_SECOND) {
            return F.nullNode();
        }
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            throw new InvalidProtocolBufferException("a time of " + seconds + " s since 1970 is outside the years 0001 to 9999");
        }
        return F.textNode(Instant.ofEpochSecond(seconds).toString());
    }

    /** meta/v1 FieldsV1: its only field (1) holds the JSON itself. */
    private static JsonNode rawJson(ByteString message) throws IOException {
        CodedInputStream in = message.newCodedInput();
        JsonNode value = F.objectNode();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                value = JSON.readTree(in.readByteArray());
            } else {
                in.skipField(tag);
            }
        }
        return value;
    }
}
