package dev.tessera.scheduler.engine;

/** One Kubernetes node of a pool and how many chips of the pool's model it can hand out. */
public record Node(String name, int chips) {
}
