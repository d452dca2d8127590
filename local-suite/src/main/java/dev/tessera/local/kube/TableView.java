package dev.tessera.local.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side printing ({@code meta.k8s.io/v1 Table}): what {@code kubectl get} shows. For custom
 * resources the columns come from the CRD's {@code additionalPrinterColumns}, as on a real API
 * server; Pods and Nodes get the columns kubectl users know.
 */
final class TableView {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** One column: its header, its type ({@code string}, {@code integer}, {@code number}, {@code date}, ...) and a JSONPath. */
    record Column(String name, String type, String jsonPath, int priority) {
    }

    private TableView() {
    }

    static List<Column> columnsOf(JsonNode crd, String version) {
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version) && v.has("additionalPrinterColumns")) {
                List<Column> columns = new ArrayList<>();
                v.path("additionalPrinterColumns").forEach(c -> columns.add(new Column(c.path("name").asText(),
                        c.path("type").asText("string"), c.path("jsonPath").asText(), c.path("priority").asInt(0))));
                return columns;
            }
        }
        return List.of(new Column("Age", "date", ".metadata.creationTimestamp", 0));
    }

    static List<Column> builtInColumns(String plural) {
        return switch (plural) {
            case "pods" -> List.of(new Column("Status", "string", ".status.phase", 0),
                    new Column("Restarts", "integer", ".status.containerStatuses[0].restartCount", 0),
                    new Column("Age", "date", ".metadata.creationTimestamp", 0),
                    new Column("Node", "string", ".spec.nodeName", 0),
                    new Column("Pool", "string", ".spec.nodeSelector.tessera\\.dev/pool", 1));
            case "nodes" -> List.of(new Column("Pool", "string", ".metadata.labels.tessera\\.dev/pool", 0),
                    new Column("Chip", "string", ".metadata.labels.tessera\\.dev/chip", 0),
                    new Column("Age", "date", ".metadata.creationTimestamp", 0),
                    new Column("GPU-Product", "string", ".metadata.labels.nvidia\\.com/gpu\\.product", 1));
            // as kubectl get events shows them: when, how serious, why, about what, what happened
            case "events" -> List.of(new Column("Last Seen", "date", ".lastTimestamp", 0),
                    new Column("Type", "string", ".type", 0),
                    new Column("Reason", "string", ".reason", 0),
                    new Column("Object", "string", ".involvedObject.name", 0),
                    new Column("Count", "integer", ".count", 1),
                    new Column("Message", "string", ".message", 0));
            default -> List.of(new Column("Age", "date", ".metadata.creationTimestamp", 0));
        };
    }

    /** A Table of a list answer or of a single object. */
    static ObjectNode of(JsonNode listOrObject, List<Column> columns, Instant now) {
        ObjectNode table = F.objectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", listOrObject.path("metadata").path("resourceVersion").asText(""));
        ArrayNode definitions = table.putArray("columnDefinitions");
        definitions.addObject().put("name", "Name").put("type", "string").put("format", "name")
                .put("description", "Name of the object").put("priority", 0);
        for (Column c : columns) {
            String type = "date".equals(c.type()) ? "string" : c.type();
            definitions.addObject().put("name", c.name()).put("type", type).put("format", "")
                    .put("description", c.jsonPath()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> items = new ArrayList<>();
        if (listOrObject.has("items")) {
            listOrObject.path("items").forEach(items::add);
        } else {
            items.add(listOrObject);
        }
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(item.path("metadata").path("name").asText());
            for (Column c : columns) {
                cells.add(cell(item, c, now));
            }
            ObjectNode object = row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            object.set("metadata", item.path("metadata").deepCopy());
        }
        return table;
    }

    private static JsonNode cell(JsonNode item, Column column, Instant now) {
        JsonNode value = select(item, column.jsonPath());
        if (value == null || value.isMissingNode() || value.isNull()) {
            return F.nullNode();
        }
        if ("date".equals(column.type())) {
            try {
                return F.textNode(age(Duration.between(Instant.parse(value.asText()), now)));
            } catch (DateTimeParseException e) {
                return F.textNode(value.asText());
            }
        }
        if (value.isContainerNode()) {
            return F.textNode(value.toString());
        }
        return value;
    }

    /** Follows a simple JSONPath ({@code .a.b[0].c}, dots inside keys escaped as {@code \.}). */
    static JsonNode select(JsonNode node, String jsonPath) {
        String path = jsonPath.startsWith("{") ? jsonPath.substring(1, jsonPath.length() - 1) : jsonPath;
        JsonNode current = node;
        for (String segment : path.replace("\\.", "\u0000").split("\\.")) {
            if (segment.isEmpty()) {
                continue;
            }
            String key = segment.replace('\u0000', '.');
            int bracket = key.indexOf('[');
            if (bracket >= 0) {
                int index = Integer.parseInt(key.substring(bracket + 1, key.indexOf(']')));
                current = current.path(key.substring(0, bracket)).path(index);
            } else {
                current = current.path(key);
            }
        }
        return current;
    }

    /** The age format of kubectl ({@code 45s}, {@code 3m20s}, {@code 5h}, {@code 2d3h}). */
    static String age(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        long minutes = seconds / 60;
        long hours = minutes / 60;
        if (seconds < 120) {
            return seconds + "s";
        }
        if (minutes < 10) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        if (hours < 8) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            return hours % 24 == 0 ? hours / 24 + "d" : hours / 24 + "d" + hours % 24 + "h";
        }
        return hours / 24 + "d";
    }
}
