package dev.tessera.local.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The indexed store answers every query exactly as a scan of a plain map does. */
class IndexedStoreTest {

    private static final String[] PLURALS = {"pods", "trainingjobs", "nodes", "events"};
    private static final String[] NAMES = {"a", "b", "c", "d"};
    private static final String[] NAMESPACES = {"default", "team-a"};

    @Test
    void narrowedLookupsMatchAFullScanThroughRandomWrites() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            IndexedStore store = new IndexedStore();
            Map<AttributeSet, String> reference = new LinkedHashMap<>();
            List<AttributeSet> keys = new ArrayList<>();
            for (int op = 0; op < 200; op++) {
                if (!keys.isEmpty() && random.nextInt(4) == 0) {
                    AttributeSet gone = keys.remove(random.nextInt(keys.size()));
                    assertThat(store.remove(gone)).isEqualTo(reference.remove(gone));
                } else {
                    AttributeSet key = randomKey(random);
                    String value = "v" + op;
                    assertThat(store.put(key, value)).isEqualTo(reference.put(key, value));
                    keys.add(key);
                }
                AttributeSet query = randomQuery(random);
                Set<String> expected = matching(reference.entrySet(), query);
                assertThat(matching(store.candidates(query), query)).as("candidates for %s", query).isEqualTo(expected);
                assertThat(store.scoped(query, () -> matching(store.entrySet(), query))).as("scoped view for %s", query)
                        .isEqualTo(expected);
                assertThat(matching(store.entrySet(), query)).as("unscoped view").isEqualTo(expected);
                assertThat(store.size()).isEqualTo(reference.size());
            }
        }
    }

    @Test
    void aScopedViewIsSmallerThanTheStore() {
        IndexedStore store = new IndexedStore();
        for (int i = 0; i < 100; i++) {
            store.put(new AttributeSet(new Attribute("plural", "pods"), new Attribute("name", "p" + i)), "{}");
            store.put(new AttributeSet(new Attribute("plural", "nodes"), new Attribute("name", "n" + i)), "{}");
        }
        AttributeSet one = new AttributeSet(new Attribute("plural", "pods"), new Attribute("name", "p5"));
        assertThat(store.candidates(one)).hasSize(1);
        assertThat(store.candidates(new AttributeSet(new Attribute("plural", "pods")))).hasSize(100);
        assertThat(store.scoped(one, () -> store.entrySet().size())).isEqualTo(1);
        assertThat(store.entrySet()).hasSize(200);
        store.clear();
        assertThat(store.candidates(one)).isEmpty();
    }

    private static Set<String> matching(Set<Map.Entry<AttributeSet, String>> entries, AttributeSet query) {
        return entries.stream().filter(e -> e.getKey().matches(query)).map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static AttributeSet randomKey(Random random) {
        List<Attribute> attributes = new ArrayList<>();
        if (random.nextInt(10) > 0) {
            attributes.add(new Attribute("plural", pick(random, PLURALS)));
        }
        if (random.nextInt(10) > 0) {
            attributes.add(new Attribute("name", pick(random, NAMES)));
        }
        if (random.nextBoolean()) {
            attributes.add(new Attribute("namespace", pick(random, NAMESPACES)));
        }
        if (random.nextBoolean()) {
            attributes.add(new Attribute("labels:app", pick(random, NAMES)));
        }
        return new AttributeSet(attributes);
    }

    private static AttributeSet randomQuery(Random random) {
        List<Attribute> attributes = new ArrayList<>();
        switch (random.nextInt(6)) {
            case 0 -> { }
            case 1 -> attributes.add(new Attribute("plural", pick(random, PLURALS), AttributeType.EXISTS));
            default -> attributes.add(new Attribute("plural", pick(random, PLURALS)));
        }
        switch (random.nextInt(4)) {
            case 0 -> attributes.add(new Attribute("name", pick(random, NAMES)));
            case 1 -> attributes.add(new Attribute("name", List.of(pick(random, NAMES), pick(random, NAMES)), AttributeType.IN));
            default -> { }
        }
        if (random.nextBoolean()) {
            attributes.add(new Attribute("namespace", pick(random, NAMESPACES)));
        }
        if (random.nextInt(3) == 0) {
            attributes.add(new Attribute("labels:app", pick(random, NAMES), random.nextBoolean() ? AttributeType.WITH : AttributeType.WITHOUT));
        }
        return new AttributeSet(attributes);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
