package dev.apiguard.semantics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Pointers of all user rules, merged into one tree so that a single streaming pass can
 * collect every value they address. Each distinct pointer gets a slot in {@link Captures}.
 */
final class PointerTrie {
    /** Pointers deeper than this are refused at config time; the scan never descends further. */
    static final int MAX_DEPTH = 16;
    private static final int CACHED_INDEXES = 32;

    static final class Node {
        private final Map<String, Node> children = new HashMap<>();
        private Node[] byIndex;
        int slot = -1;

        Node child(String name) {
            return children.isEmpty() ? null : children.get(name);
        }

        /** Array element {@code index}; indexes are matched without building strings. */
        Node child(int index) {
            if (children.isEmpty()) {
                return null;
            }
            if (index < CACHED_INDEXES) {
                return byIndex == null ? null : byIndex[index];
            }
            return children.get(Integer.toString(index));
        }

        boolean hasChildren() {
            return !children.isEmpty();
        }
    }

    private final Node root = new Node();
    private final Map<String, Integer> slotsByPointer = new HashMap<>();

    Node root() {
        return root;
    }

    int slots() {
        return slotsByPointer.size();
    }

    boolean isEmpty() {
        return slotsByPointer.isEmpty();
    }

    /** Adds a pointer (already split and unescaped) and returns its slot. */
    int add(String pointer, List<String> segments) {
        Integer existing = slotsByPointer.get(pointer);
        if (existing != null) {
            return existing;
        }
        Node node = root;
        for (String segment : segments) {
            Node next = node.children.computeIfAbsent(segment, s -> new Node());
            if (isIndex(segment) && Integer.parseInt(segment) < CACHED_INDEXES) {
                if (node.byIndex == null) {
                    node.byIndex = new Node[CACHED_INDEXES];
                }
                node.byIndex[Integer.parseInt(segment)] = next;
            }
            node = next;
        }
        if (node.slot < 0) {
            node.slot = slotsByPointer.size();
        }
        slotsByPointer.put(pointer, node.slot);
        return node.slot;
    }

    private static boolean isIndex(String segment) {
        if (segment.isEmpty() || segment.length() > 9 || (segment.length() > 1 && segment.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) < '0' || segment.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 6901: "" is the whole document; "/a/b~1c" is [a, b/c]. */
    static List<String> split(String pointer) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("a JSON Pointer starts with '/', got '" + pointer + "'");
        }
        String[] raw = pointer.substring(1).split("/", -1);
        if (raw.length > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON Pointer deeper than " + MAX_DEPTH + " levels: '" + pointer + "'");
        }
        String[] segments = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            segments[i] = raw[i].replace("~1", "/").replace("~0", "~");
        }
        return List.of(segments);
    }
}
