package dev.tessera.local.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents ({@code /api}, {@code /apis}, {@code /apis/group/version}) that kubectl
 * reads before anything else: the built-in kinds the suite uses plus the CRDs stored in the server.
 */
final class ApiDiscovery {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /** One resource type as discovery describes it. */
    record Resource(String group, String version, String plural, String singular, String kind, boolean namespaced,
                    List<String> shortNames, boolean statusSubresource) {

        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    private static final List<Resource> BUILT_IN = List.of(
            core("pods", "Pod", true, true, "po"),
            core("nodes", "Node", false, true, "no"),
            core("namespaces", "Namespace", false, true, "ns"),
            core("services", "Service", true, true, "svc"),
            core("endpoints", "Endpoints", true, false, "ep"),
            core("events", "Event", true, false, "ev"),
            core("configmaps", "ConfigMap", true, false, "cm"),
            core("secrets", "Secret", true, false),
            core("serviceaccounts", "ServiceAccount", true, false, "sa"),
            core("persistentvolumeclaims", "PersistentVolumeClaim", true, true, "pvc"),
            new Resource("apps", "v1", "deployments", "deployment", "Deployment", true, List.of("deploy"), true),
            new Resource("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, List.of("sts"), true),
            new Resource("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, List.of("ds"), true),
            new Resource("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, List.of("rs"), true),
            new Resource("batch", "v1", "jobs", "job", "Job", true, List.of(), true),
            new Resource("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), false),
            new Resource("events.k8s.io", "v1", "events", "event", "Event", true, List.of("ev"), false),
            new Resource("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true, List.of(), false),
            new Resource("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true, List.of("netpol"), false),
            new Resource("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, List.of("pdb"), true),
            new Resource("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, List.of(), false),
            new Resource("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, List.of(), false),
            new Resource("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, List.of(), false),
            new Resource("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, List.of(), false),
            new Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
                    "CustomResourceDefinition", false, List.of("crd", "crds"), true));

    private ApiDiscovery() {
    }

    private static Resource core(String plural, String kind, boolean namespaced, boolean status, String... shortNames) {
        return new Resource("", "v1", plural, kind.toLowerCase(), kind, namespaced, List.of(shortNames), status);
    }

    /** The built-in resources plus one entry per served version of each stored CRD. */
    static List<Resource> resources(List<JsonNode> crds) {
        List<Resource> all = new ArrayList<>(BUILT_IN);
        for (JsonNode crd : crds) {
            JsonNode spec = crd.path("spec");
            JsonNode names = spec.path("names");
            List<String> shortNames = new ArrayList<>();
            names.path("shortNames").forEach(s -> shortNames.add(s.asText()));
            for (JsonNode version : spec.path("versions")) {
                if (!version.path("served").asBoolean(true)) {
                    continue;
                }
                all.add(new Resource(spec.path("group").asText(), version.path("name").asText(),
                        names.path("plural").asText(), names.path("singular").asText(names.path("kind").asText().toLowerCase()),
                        names.path("kind").asText(), !"Cluster".equals(spec.path("scope").asText()),
                        shortNames, version.path("subresources").has("status")));
            }
        }
        return all;
    }

    static ObjectNode coreVersions() {
        ObjectNode doc = F.objectNode().put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", "127.0.0.1");
        return doc;
    }

    static ObjectNode groups(List<Resource> resources) {
        Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
        for (Resource r : resources) {
            if (!r.group().isEmpty()) {
                List<String> versions = versionsByGroup.computeIfAbsent(r.group(), g -> new ArrayList<>());
                if (!versions.contains(r.version())) {
                    versions.add(r.version());
                }
            }
        }
        ObjectNode doc = F.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        versionsByGroup.forEach((group, versions) -> {
            ObjectNode g = groups.addObject().put("name", group);
            ArrayNode vs = g.putArray("versions");
            versions.forEach(v -> vs.addObject().put("groupVersion", group + "/" + v).put("version", v));
            g.putObject("preferredVersion").put("groupVersion", group + "/" + versions.get(0)).put("version", versions.get(0));
        });
        return doc;
    }

    /** The resource list of one group version, or empty when nothing is served there. */
    static Optional<ObjectNode> resourceList(List<Resource> resources, String groupVersion) {
        ObjectNode doc = F.objectNode().put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
        ArrayNode list = doc.putArray("resources");
        for (Resource r : resources) {
            if (!r.groupVersion().equals(groupVersion)) {
                continue;
            }
            ObjectNode entry = list.addObject().put("name", r.plural()).put("singularName", r.singular())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            ArrayNode verbs = entry.putArray("verbs");
            ALL_VERBS.forEach(verbs::add);
            if (!r.shortNames().isEmpty()) {
                ArrayNode shortNames = entry.putArray("shortNames");
                r.shortNames().forEach(shortNames::add);
            }
            if (r.statusSubresource()) {
                ArrayNode statusVerbs = list.addObject().put("name", r.plural() + "/status").put("singularName", "")
                        .put("namespaced", r.namespaced()).put("kind", r.kind()).putArray("verbs");
                List.of("get", "patch", "update").forEach(statusVerbs::add);
            }
        }
        return list.isEmpty() ? Optional.empty() : Optional.of(doc);
    }

    static ObjectNode version() {
        return F.objectNode().put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-tessera-local")
                .put("gitCommit", "").put("gitTreeState", "clean").put("buildDate", "2026-01-01T00:00:00Z")
                .put("goVersion", "n/a").put("compiler", "n/a").put("platform", "linux/amd64");
    }
}
