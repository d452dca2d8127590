package dev.tessera.local.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Bodies written the way client-go's protobuf serializer writes them, field numbers from the Kubernetes .proto files. */
class ProtobufObjectsTest {

    /** Writes one message: a sequence of fields. */
    interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] mapEntry(String key, ByteString value) throws IOException {
        return message(out -> {
            out.writeString(1, key);
            out.writeBytes(2, value);
        });
    }

    static byte[] envelope(String apiVersion, String kind, byte[] raw) throws IOException {
        byte[] unknown = message(out -> {
            out.writeByteArray(1, message(t -> {
                t.writeString(1, apiVersion);
                t.writeString(2, kind);
            }));
            out.writeByteArray(2, raw);
        });
        byte[] body = Arrays.copyOf(new byte[] {'k', '8', 's', 0}, 4 + unknown.length);
        System.arraycopy(unknown, 0, body, 4, unknown.length);
        return body;
    }

    /** A Helm release record as Helm's storage driver sends it: labels, a non-UTF-8 payload, a type. */
    static byte[] releaseSecret() throws IOException {
        byte[] metadata = message(m -> {
            m.writeString(1, "sh.helm.release.v1.t1.v1");
            m.writeString(3, "tessera");
            m.writeByteArray(8, message(t -> t.writeInt64(1, 1_764_777_600L))); // creationTimestamp
            m.writeByteArray(11, mapEntry("owner", ByteString.copyFromUtf8("helm")));
            m.writeByteArray(11, mapEntry("status", ByteString.copyFromUtf8("deployed")));
            m.writeByteArray(12, mapEntry("note", ByteString.copyFromUtf8("a=b")));
            m.writeByteArray(13, message(o -> {
                o.writeString(1, "ConfigMap");
                o.writeString(3, "owner");
                o.writeString(4, "0b6f");
                o.writeString(5, "v1");
                o.writeBool(6, true);
            }));
            m.writeString(14, "example.com/keep");
            m.writeString(14, "example.com/also");
            m.writeInt64(7, 3);
            m.writeString(99, "a field this reader does not know");
        });
        return envelope("v1", "Secret", message(s -> {
            s.writeByteArray(1, metadata);
            s.writeByteArray(2, mapEntry("release", ByteString.copyFrom(new byte[] {(byte) 0x1f, (byte) 0x8b, 0, (byte) 0xff})));
            s.writeString(3, "helm.sh/release.v1");
        }));
    }

    @Test
    void aSecretReadsAsTheJsonTheApiStores() throws Exception {
        ObjectNode secret = ProtobufObjects.toJson(releaseSecret()).orElseThrow();
        assertThat(secret.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(secret.path("kind").asText()).isEqualTo("Secret");
        assertThat(secret.path("type").asText()).isEqualTo("helm.sh/release.v1");
        assertThat(Base64.getDecoder().decode(secret.path("data").path("release").asText()))
                .containsExactly((byte) 0x1f, (byte) 0x8b, 0, (byte) 0xff);
        var metadata = secret.path("metadata");
        assertThat(metadata.path("name").asText()).isEqualTo("sh.helm.release.v1.t1.v1");
        assertThat(metadata.path("namespace").asText()).isEqualTo("tessera");
        assertThat(metadata.path("creationTimestamp").asText()).isEqualTo("2025-12-03T16:00:00Z");
        assertThat(metadata.path("labels").toString()).isEqualTo("{\"owner\":\"helm\",\"status\":\"deployed\"}");
        assertThat(metadata.path("annotations").path("note").asText()).isEqualTo("a=b");
        assertThat(metadata.path("ownerReferences").toString())
                .isEqualTo("[{\"kind\":\"ConfigMap\",\"name\":\"owner\",\"uid\":\"0b6f\",\"apiVersion\":\"v1\",\"controller\":true}]");
        assertThat(metadata.path("finalizers").toString()).isEqualTo("[\"example.com/keep\",\"example.com/also\"]");
        assertThat(metadata.path("generation").asLong()).isEqualTo(3);
        assertThat(metadata.has("99")).isFalse();
    }

    /** What Helm sends with the delete of a release record (helm uninstall). */
    @Test
    void deleteOptionsAreReadWhateverVersionTheClientEncodedThemIn() throws Exception {
        byte[] options = envelope("meta.k8s.io/v1", "DeleteOptions", message(d -> {
            d.writeInt64(1, 0);
            d.writeByteArray(2, message(p -> p.writeString(1, "0b6f")));
            d.writeString(4, "Background");
        }));
        assertThat(ProtobufObjects.toJson(options).orElseThrow().toString()).isEqualTo("{\"apiVersion\":\"meta.k8s.io/v1\","
                + "\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"0b6f\"},"
                + "\"propagationPolicy\":\"Background\"}");
    }

    @Test
    void kindsItDoesNotReadAreLeftToTheCaller() throws Exception {
        byte[] pod = envelope("v1", "Pod", message(p -> p.writeByteArray(1, message(m -> m.writeString(1, "p")))));
        assertThat(ProtobufObjects.toJson(pod)).isEmpty();
        byte[] otherGroup = envelope("apps/v1", "Secret", message(p -> p.writeByteArray(1, message(m -> m.writeString(1, "s")))));
        assertThat(ProtobufObjects.toJson(otherGroup)).as("the kind with another apiVersion").isEmpty();
    }

    @Test
    void malformedBodiesAreRefusedWithAReason() throws Exception {
        assertThatThrownBy(() -> ProtobufObjects.toJson("{\"kind\":\"Secret\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("envelope");
        byte[] whole = releaseSecret();
        assertThatThrownBy(() -> ProtobufObjects.toJson(Arrays.copyOf(whole, whole.length - 7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
        // the name (field 1 of ObjectMeta, a string) sent as a number
        byte[] wrongWireType = envelope("v1", "ConfigMap", message(c -> c.writeByteArray(1, message(m -> m.writeInt64(1, 7)))));
        assertThatThrownBy(() -> ProtobufObjects.toJson(wrongWireType))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        byte[] notUtf8 = envelope("v1", "ConfigMap", message(c -> c.writeByteArray(1,
                message(m -> m.writeBytes(1, ByteString.copyFrom(new byte[] {(byte) 0xc3, 0x28}))))));
        assertThatThrownBy(() -> ProtobufObjects.toJson(notUtf8)).isInstanceOf(IllegalArgumentException.class);
        byte[] noKind = envelope("", "", message(c -> c.writeByteArray(1, message(m -> m.writeString(1, "x")))));
        assertThatThrownBy(() -> ProtobufObjects.toJson(noKind)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no apiVersion and kind");
        byte[] farFuture = envelope("v1", "ConfigMap", message(c -> c.writeByteArray(1,
                message(m -> m.writeByteArray(8, message(t -> t.writeInt64(1, Long.MAX_VALUE)))))));
        assertThatThrownBy(() -> ProtobufObjects.toJson(farFuture)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("years 0001 to 9999");
    }

    /** Go writes every non-pointer field, empty ones too; the JSON leaves them out, as Go's omitempty does. */
    @Test
    void emptyStringsAndZeroTimesAreLeftOut() throws Exception {
        byte[] body = envelope("v1", "ConfigMap", message(c -> {
            c.writeByteArray(1, message(m -> {
                m.writeString(1, "settings");
                m.writeString(2, "");
                m.writeString(4, "");
                m.writeByteArray(8, new byte[0]);
            }));
            c.writeByteArray(2, mapEntry("empty", ByteString.EMPTY));
        }));
        ObjectNode configMap = ProtobufObjects.toJson(body).orElseThrow();
        assertThat(configMap.path("metadata").toString()).isEqualTo("{\"name\":\"settings\"}");
        assertThat(configMap.path("data").toString()).as("a map keeps its empty values").isEqualTo("{\"empty\":\"\"}");
    }
}
