package dev.tessera.bench.sim;

import java.util.List;
import java.util.Objects;

/** One pool of the simulated fleet: nodes that all carry the same chip model. */
public record Pool(String name, String chip, List<Node> nodes) {

    public Pool {
        Objects.requireNonNull(name);
        Objects.requireNonNull(chip);
        nodes = List.copyOf(nodes);
    }

    public int capacity() {
        return nodes.stream().mapToInt(Node::chips).sum();
    }

    public record Node(String name, int chips) {
    }
}
