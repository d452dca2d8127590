package dev.tessera.scheduler.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The chip models Tessera knows, by id and by node-label alias. */
public final class ChipCatalog {

    private final Map<String, ChipModel> byId = new LinkedHashMap<>();
    private final Map<String, ChipModel> byAlias = new LinkedHashMap<>();

    public ChipCatalog(Collection<ChipModel> models) {
        for (ChipModel m : models) {
            byId.put(m.id(), m);
        }
        for (ChipModel m : byId.values()) {
            for (String alias : m.aliases()) {
                byAlias.putIfAbsent(alias.toLowerCase(Locale.ROOT), m);
            }
        }
    }

    public List<ChipModel> models() {
        return new ArrayList<>(byId.values());
    }

    public Optional<ChipModel> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    public boolean contains(String id) {
        return id != null && byId.containsKey(id);
    }

    /** The model a node label value names: an id or an alias, case-insensitive for aliases. */
    public Optional<ChipModel> resolve(String labelValue) {
        if (labelValue == null) {
            return Optional.empty();
        }
        ChipModel m = byId.get(labelValue);
        return Optional.ofNullable(m != null ? m : byAlias.get(labelValue.toLowerCase(Locale.ROOT)));
    }
}
