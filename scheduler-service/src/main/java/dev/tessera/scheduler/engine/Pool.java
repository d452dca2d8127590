package dev.tessera.scheduler.engine;

import java.util.List;

/** The nodes that carry one {@code tessera.dev/pool} label; all of one chip model. */
public record Pool(String name, String chip, List<Node> nodes) {
    public Pool {
        nodes = List.copyOf(nodes);
    }
}
