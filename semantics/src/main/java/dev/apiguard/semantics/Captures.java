package dev.apiguard.semantics;

import java.util.Arrays;

/** The values user-rule pointers addressed in one body. Reused per thread; reset per call. */
final class Captures {
    /** Longer strings are cut: predicates see their start only. */
    static final int MAX_TEXT = 1024;

    enum Kind { MISSING, NULL, BOOLEAN, NUMBER, STRING, OBJECT, ARRAY }

    final Kind[] kinds;
    final String[] texts;
    final boolean[] nonEmpty;

    Captures(int slots) {
        kinds = new Kind[slots];
        texts = new String[slots];
        nonEmpty = new boolean[slots];
        reset();
    }

    void reset() {
        Arrays.fill(kinds, Kind.MISSING);
        Arrays.fill(texts, null);
        Arrays.fill(nonEmpty, false);
    }

    void scalar(int slot, Kind kind, String text) {
        if (kinds[slot] != Kind.MISSING) {
            return; // the first occurrence wins (duplicate keys)
        }
        kinds[slot] = kind;
        texts[slot] = text != null && text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        nonEmpty[slot] = switch (kind) {
            case STRING -> !texts[slot].isEmpty();
            case BOOLEAN, NUMBER -> true;
            default -> false;
        };
    }

    void container(int slot, Kind kind) {
        if (kinds[slot] == Kind.MISSING) {
            kinds[slot] = kind;
        }
    }

    void containerHasElements(int slot) {
        nonEmpty[slot] = true;
    }
}
