package dev.tessera.local.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector as Kubernetes reads one from a request's {@code labelSelector}: comma-separated
 * requirements, each {@code key}, {@code !key}, {@code key=value}, {@code key==value}, {@code key!=value},
 * {@code key in (a,b)} or {@code key notin (a,b)}, all of which an object's labels must meet.
 */
record LabelSelector(List<Requirement> requirements) {

    enum Op { EXISTS, NOT_EXISTS, EQUALS, NOT_EQUALS, IN, NOT_IN }

    record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (op) {
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
            };
        }

        /** Whether the mock's own attribute matching does this right (equality only). */
        boolean mockReads() {
            return op == Op.EQUALS;
        }
    }

    private static final Pattern SET = Pattern.compile("\\s*([^\\s!=,()]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?");

    /** @throws IllegalArgumentException naming the requirement that is not one */
    static LabelSelector parse(String selector) {
        List<Requirement> out = new ArrayList<>();
        for (String term : split(selector)) {
            String t = term.strip();
            if (t.isEmpty()) {
                continue;
            }
            Matcher set = SET.matcher(t);
            if (set.matches()) {
                List<String> values = new ArrayList<>();
                for (String v : set.group(3).split(",")) {
                    values.add(v.strip());
                }
                out.add(new Requirement(key(set.group(1), term), "in".equals(set.group(2)) ? Op.IN : Op.NOT_IN, Set.copyOf(values)));
            } else if (t.contains("!=")) {
                String[] kv = t.split("!=", 2);
                out.add(new Requirement(key(kv[0].strip(), term), Op.NOT_EQUALS, Set.of(kv[1].strip())));
            } else if (t.contains("=")) {
                String[] kv = t.split("==?", 2);
                out.add(new Requirement(key(kv[0].strip(), term), Op.EQUALS, Set.of(kv[1].strip())));
            } else if (t.startsWith("!")) {
                out.add(new Requirement(key(t.substring(1).strip(), term), Op.NOT_EXISTS, Set.of()));
            } else {
                out.add(new Requirement(key(t, term), Op.EXISTS, Set.of()));
            }
        }
        return new LabelSelector(List.copyOf(out));
    }

    boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels == null ? Map.of() : labels));
    }

    /** Whether the mock, which reads equality requirements only, selects the same objects. */
    boolean mockReads() {
        return requirements.stream().allMatch(Requirement::mockReads);
    }

    private static String key(String key, String term) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("unable to parse requirement: \"" + term.strip() + "\"");
        }
        return key;
    }

    /** Splits at the commas outside parentheses. */
    private static List<String> split(String selector) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }
}
