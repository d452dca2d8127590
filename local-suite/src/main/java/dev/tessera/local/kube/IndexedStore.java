package dev.tessera.local.kube;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The object store behind the local API, indexed by resource type and name.
 *
 * <p>fabric8's CRUD dispatcher keeps every object in one map keyed by its attributes (resource
 * type, namespace, name, labels) and answers each request by matching the request's attributes
 * against every stored key, so each call costs as much as the whole store. This map keeps the same
 * contents and adds two indexes: by the {@code plural} attribute (the resource type) and by
 * {@code plural} and {@code name}. {@link #candidates} gives, for a query, only the entries that can
 * match it; within {@link #scoped}, {@link #entrySet()} is narrowed the same way, so the
 * dispatcher's own scans visit only those.
 *
 * <p>Narrowing is exact, never a guess: a query attribute of type {@link AttributeType#WITH} is
 * satisfied only by an equal attribute on the key, so an entry whose {@code plural} (or
 * {@code name}) differs from the query's cannot match. Entries without a {@code plural} attribute
 * are in every view.
 *
 * <p>Writes happen under the dispatcher's write lock and reads under its read lock; the methods
 * that change the indexes are synchronized as well, so a stray caller cannot corrupt them.
 */
final class IndexedStore extends AbstractMap<AttributeSet, String> {

    static final String PLURAL = "plural";
    static final String NAME = "name";

    private final Map<AttributeSet, String> all = new LinkedHashMap<>();
    /** Entries by their plural attribute. */
    private final Map<Attribute, Map<AttributeSet, String>> byPlural = new HashMap<>();
    /** Entries by plural and name. */
    private final Map<List<Attribute>, Map<AttributeSet, String>> byName = new HashMap<>();
    /** Entries with a plural but no name attribute. */
    private final Map<Attribute, Map<AttributeSet, String>> unnamed = new HashMap<>();
    /** Entries without a plural attribute: in every view. */
    private final Map<AttributeSet, String> untyped = new LinkedHashMap<>();
    private final ThreadLocal<AttributeSet> scope = new ThreadLocal<>();
    private final ThreadLocal<AttributeSet[]> recording = new ThreadLocal<>();

    /** Runs {@code write} and answers the key of the last entry it put on this thread, or null if it put none. */
    AttributeSet recordingPut(Runnable write) {
        AttributeSet[] last = new AttributeSet[1];
        AttributeSet[] outer = recording.get();
        recording.set(last);
        try {
            write.run();
        } finally {
            if (outer == null) {
                recording.remove();
            } else {
                recording.set(outer);
            }
        }
        return last[0];
    }

    /** A copy of the entries that can match {@code query}, taken under this store's monitor. */
    synchronized List<Map.Entry<AttributeSet, String>> snapshot(AttributeSet query) {
        return new ArrayList<>(candidates(query));
    }

    /** Runs {@code work} with {@link #entrySet()} narrowed to the entries that can match {@code query}. */
    <T> T scoped(AttributeSet query, Supplier<T> work) {
        AttributeSet outer = scope.get();
        scope.set(query);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                scope.remove();
            } else {
                scope.set(outer);
            }
        }
    }

    /** The entries that can match {@code query}: a superset of those that do, usually far smaller than the store. */
    synchronized Set<Map.Entry<AttributeSet, String>> candidates(AttributeSet query) {
        Attribute plural = plain(query, PLURAL);
        if (plural == null) {
            return Collections.unmodifiableSet(all.entrySet());
        }
        Attribute name = plain(query, NAME);
        List<Map<AttributeSet, String>> parts = new ArrayList<>(3);
        if (name != null) {
            parts.add(byName.getOrDefault(List.of(plural, name), Map.of()));
            parts.add(unnamed.getOrDefault(plural, Map.of()));
        } else {
            parts.add(byPlural.getOrDefault(plural, Map.of()));
        }
        parts.add(untyped);
        return new View(parts);
    }

    private static Attribute plain(AttributeSet set, String key) {
        Attribute attribute = set.getAttribute(key);
        return attribute != null && attribute.getType() == AttributeType.WITH ? attribute : null;
    }

    @Override
    public Set<Map.Entry<AttributeSet, String>> entrySet() {
        AttributeSet query = scope.get();
        return query == null ? all.entrySet() : candidates(query);
    }

    @Override
    public synchronized String get(Object key) {
        return all.get(key);
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return all.containsKey(key);
    }

    @Override
    public synchronized int size() {
        return all.size();
    }

    @Override
    public synchronized String put(AttributeSet key, String value) {
        AttributeSet[] last = recording.get();
        if (last != null) {
            last[0] = key;
        }
        String previous = all.put(key, value);
        Attribute plural = plain(key, PLURAL);
        if (plural == null) {
            untyped.put(key, value);
            return previous;
        }
        byPlural.computeIfAbsent(plural, p -> new LinkedHashMap<>()).put(key, value);
        Attribute name = plain(key, NAME);
        if (name == null) {
            unnamed.computeIfAbsent(plural, p -> new LinkedHashMap<>()).put(key, value);
        } else {
            byName.computeIfAbsent(List.of(plural, name), p -> new LinkedHashMap<>()).put(key, value);
        }
        return previous;
    }

    @Override
    public synchronized String remove(Object key) {
        String previous = all.remove(key);
        if (previous == null || !(key instanceof AttributeSet set)) {
            return previous;
        }
        Attribute plural = plain(set, PLURAL);
        if (plural == null) {
            untyped.remove(set);
            return previous;
        }
        removeFrom(byPlural, plural, set);
        Attribute name = plain(set, NAME);
        if (name == null) {
            removeFrom(unnamed, plural, set);
        } else {
            removeFrom(byName, List.of(plural, name), set);
        }
        return previous;
    }

    private static <K> void removeFrom(Map<K, Map<AttributeSet, String>> index, K bucket, AttributeSet key) {
        Map<AttributeSet, String> entries = index.get(bucket);
        if (entries != null) {
            entries.remove(key);
            if (entries.isEmpty()) {
                index.remove(bucket);
            }
        }
    }

    @Override
    public synchronized void clear() {
        all.clear();
        byPlural.clear();
        byName.clear();
        unnamed.clear();
        untyped.clear();
    }

    /** A read-only union of disjoint buckets. */
    private static final class View extends AbstractSet<Map.Entry<AttributeSet, String>> {
        private final List<Map<AttributeSet, String>> parts;

        View(List<Map<AttributeSet, String>> parts) {
            this.parts = parts;
        }

        @Override
        public int size() {
            return parts.stream().mapToInt(Map::size).sum();
        }

        @Override
        public Iterator<Map.Entry<AttributeSet, String>> iterator() {
            return new Iterator<>() {
                private int part;
                private Iterator<Map.Entry<AttributeSet, String>> current = Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!current.hasNext() && part < parts.size()) {
                        current = parts.get(part++).entrySet().iterator();
                    }
                    return current.hasNext();
                }

                @Override
                public Map.Entry<AttributeSet, String> next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Map.Entry<AttributeSet, String> entry = current.next();
                    return new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue());
                }
            };
        }
    }
}
