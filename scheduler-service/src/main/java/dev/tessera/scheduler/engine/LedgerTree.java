package dev.tessera.scheduler.engine;

import java.util.function.Consumer;

/**
 * The ledger as a persistent treap keyed by job id: adding or removing a job copies only the path
 * to it (O(log jobs) expected), so every snapshot keeps its own ledger without copying the others'.
 * Node priorities come from the key's hash, so the shape does not depend on the order of changes.
 */
final class LedgerTree {

    /** A ledger entry; {@code seq} orders the ledger by booking. */
    record Entry(long seq, Placement placement) {
    }

    static final LedgerTree EMPTY = new LedgerTree(null, 0, 0);

    private final TreeNode root;
    private final int size;
    private final long nextSeq;

    private LedgerTree(TreeNode root, int size, long nextSeq) {
        this.root = root;
        this.size = size;
        this.nextSeq = nextSeq;
    }

    int size() {
        return size;
    }

    /** The sequence number the next new job gets. */
    long nextSeq() {
        return nextSeq;
    }

    Entry get(String jobId) {
        TreeNode n = root;
        while (n != null) {
            int c = jobId.compareTo(n.key);
            if (c == 0) {
                return n.entry;
            }
            n = c < 0 ? n.left : n.right;
        }
        return null;
    }

    /** The ledger with {@code jobId} set to {@code entry}, added or replaced. */
    LedgerTree with(String jobId, Entry entry) {
        boolean present = get(jobId) != null;
        TreeNode[] parts = split(root, jobId);
        TreeNode single = new TreeNode(jobId, entry, null, null);
        return new LedgerTree(merge(merge(parts[0], single), parts[2]), present ? size : size + 1,
                Math.max(nextSeq, entry.seq() + 1));
    }

    /** The ledger without {@code jobId}; this one when the job is absent. */
    LedgerTree without(String jobId) {
        if (get(jobId) == null) {
            return this;
        }
        TreeNode[] parts = split(root, jobId);
        return new LedgerTree(merge(parts[0], parts[2]), size - 1, nextSeq);
    }

    /** Every entry, in job id order. */
    void forEach(Consumer<Entry> action) {
        // iterative in-order walk: a treap is shallow in expectation, but not guaranteed to be
        java.util.ArrayDeque<TreeNode> stack = new java.util.ArrayDeque<>();
        TreeNode n = root;
        while (n != null || !stack.isEmpty()) {
            while (n != null) {
                stack.push(n);
                n = n.left;
            }
            n = stack.pop();
            action.accept(n.entry);
            n = n.right;
        }
    }

    private record TreeNode(String key, Entry entry, TreeNode left, TreeNode right) {
        int priority() {
            // a scrambled hash: a bad String.hashCode spread must not make the tree a list
            int h = key.hashCode() * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }

    /** {keys below, the node with the key (or null), keys above}; copies only the search path. */
    private static TreeNode[] split(TreeNode n, String key) {
        if (n == null) {
            return new TreeNode[3];
        }
        int c = key.compareTo(n.key);
        if (c == 0) {
            return new TreeNode[] {n.left, n, n.right};
        }
        if (c < 0) {
            TreeNode[] l = split(n.left, key);
            l[2] = new TreeNode(n.key, n.entry, l[2], n.right);
            return l;
        }
        TreeNode[] r = split(n.right, key);
        r[0] = new TreeNode(n.key, n.entry, n.left, r[0]);
        return r;
    }

    /** Joins two treaps whose keys are all below / all above one another. */
    private static TreeNode merge(TreeNode a, TreeNode b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (higher(a, b)) {
            return new TreeNode(a.key, a.entry, a.left, merge(a.right, b));
        }
        return new TreeNode(b.key, b.entry, merge(a, b.left), b.right);
    }

    private static boolean higher(TreeNode a, TreeNode b) {
        int pa = a.priority();
        int pb = b.priority();
        return pa != pb ? pa > pb : a.key.compareTo(b.key) < 0;
    }
}
