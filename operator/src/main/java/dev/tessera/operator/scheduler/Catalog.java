package dev.tessera.operator.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tessera.operator.scheduler.SchedulerDtos.ChipModel;

/** The scheduler's chip catalog as the operator needs it: known ids, resource names, node-label aliases. */
public final class Catalog {
    private final Map<String, ChipModel> byId = new HashMap<>();
    private final Map<String, String> idByAlias = new HashMap<>();

    public Catalog(List<ChipModel> models) {
        for (ChipModel m : models) {
            byId.put(m.id(), m);
            if (m.aliases() != null) {
                m.aliases().forEach(a -> idByAlias.put(a.toLowerCase(), m.id()));
            }
        }
    }

    public boolean knows(String chipId) {
        return byId.containsKey(chipId);
    }

    public Optional<String> resourceName(String chipId) {
        return Optional.ofNullable(byId.get(chipId)).map(ChipModel::resourceName);
    }

    /** Maps a vendor product label (for example NVIDIA's nvidia.com/gpu.product) to a chip model id. */
    public Optional<String> chipForProduct(String product) {
        if (product == null) {
            return Optional.empty();
        }
        String id = idByAlias.get(product.toLowerCase());
        if (id == null && byId.containsKey(product.toLowerCase())) {
            id = product.toLowerCase();
        }
        return Optional.ofNullable(id);
    }

    public int size() {
        return byId.size();
    }
}
