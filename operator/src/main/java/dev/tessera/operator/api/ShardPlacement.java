package dev.tessera.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class ShardPlacement {
    @JsonPropertyDescription("Shard index, 0-based.")
    private int index;
    @JsonPropertyDescription("Pool (value of the tessera.dev/pool node label) the shard runs in.")
    private String pool;
    @JsonPropertyDescription("Chip model id of the pool.")
    private String chip;
    @JsonPropertyDescription("Chips the shard holds.")
    private int chips;
    @JsonPropertyDescription("Nodes the shard's workers run on, one worker per node.")
    private List<String> nodes = new ArrayList<>();
    @JsonPropertyDescription("Chips the shard holds on each node, in the order of nodes.")
    private List<Integer> nodeChips = new ArrayList<>();
    @JsonPropertyDescription("Share of the global batch this shard computes, in proportion to its speed; shares sum to 1.")
    private double batchShare;

    public int getIndex() { return index; }
    public void setIndex(int index) { this.index = index; }
    public String getPool() { return pool; }
    public void setPool(String pool) { this.pool = pool; }
    public String getChip() { return chip; }
    public void setChip(String chip) { this.chip = chip; }
    public int getChips() { return chips; }
    public void setChips(int chips) { this.chips = chips; }
    public List<String> getNodes() { return nodes; }
    public void setNodes(List<String> nodes) { this.nodes = nodes; }
    public List<Integer> getNodeChips() { return nodeChips; }
    public void setNodeChips(List<Integer> nodeChips) { this.nodeChips = nodeChips; }
    public double getBatchShare() { return batchShare; }
    public void setBatchShare(double batchShare) { this.batchShare = batchShare; }
}
