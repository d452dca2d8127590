package dev.tessera.local.kube;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A Kubernetes REST path taken apart: {@code /apis/group/version/namespaces/ns/plural/name/subresource?query}. */
record ResourcePath(String group, String version, String namespace, String plural, String name, String subresource,
                    Map<String, String> query) {

    static Optional<ResourcePath> parse(String rawPath) {
        int q = rawPath.indexOf('?');
        String path = q >= 0 ? rawPath.substring(0, q) : rawPath;
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : rawPath.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
                String value = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
                query.put(key, value);
            }
        }
        String[] s = path.replaceAll("^/+", "").split("/");
        int i;
        String group;
        String version;
        if (s.length >= 3 && s[0].equals("api")) {
            group = "";
            version = s[1];
            i = 2;
        } else if (s.length >= 4 && s[0].equals("apis")) {
            group = s[1];
            version = s[2];
            i = 3;
        } else {
            return Optional.empty();
        }
        String namespace = null;
        if (s.length - i >= 3 && s[i].equals("namespaces")) {
            namespace = s[i + 1];
            i += 2;
        }
        String plural = s[i];
        String name = s.length > i + 1 ? s[i + 1] : null;
        String sub = s.length > i + 2 ? s[i + 2] : null;
        return Optional.of(new ResourcePath(group, version, namespace, plural, name, sub, query));
    }

    boolean isCore() {
        return group.isEmpty();
    }

    boolean isStatus() {
        return "status".equals(subresource);
    }

    boolean isWatch() {
        String watch = query.get("watch");
        return "true".equals(watch) || "1".equals(watch);
    }

    /** The collection path this object lives in (where a create is posted). */
    String collectionPath() {
        StringBuilder b = new StringBuilder(isCore() ? "/api/" + version : "/apis/" + group + "/" + version);
        if (namespace != null) {
            b.append("/namespaces/").append(namespace);
        }
        return b.append('/').append(plural).toString();
    }

    /** The object's own path, without subresource or query. */
    String objectPath() {
        return name == null ? collectionPath() : collectionPath() + "/" + name;
    }
}
