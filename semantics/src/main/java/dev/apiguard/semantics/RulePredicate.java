package dev.apiguard.semantics;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/** One {@code when} condition of a user rule, over the value its pointer addressed. */
sealed interface RulePredicate {
    String pointer();

    int slot();

    boolean test(Captures captures);

    /** A YAML scalar to compare against: same JSON type, and numbers by value (7 equals 7.0, not "7"). */
    record Expected(Captures.Kind kind, String text) {
        boolean matches(Captures.Kind actualKind, String actualText) {
            if (kind != actualKind) {
                return false;
            }
            if (kind == Captures.Kind.NULL) {
                return true;
            }
            if (kind == Captures.Kind.NUMBER) {
                try {
                    return new BigDecimal(text).compareTo(new BigDecimal(actualText)) == 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            return text.equals(actualText);
        }
    }

    record Equals(String pointer, int slot, Expected expected) implements RulePredicate {
        @Override
        public boolean test(Captures c) {
            return c.kinds[slot] != Captures.Kind.MISSING && expected.matches(c.kinds[slot], c.texts[slot]);
        }
    }

    record In(String pointer, int slot, List<Expected> expected) implements RulePredicate {
        @Override
        public boolean test(Captures c) {
            if (c.kinds[slot] == Captures.Kind.MISSING) {
                return false;
            }
            for (Expected e : expected) {
                if (e.matches(c.kinds[slot], c.texts[slot])) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Present (even as null) when {@code wanted}, absent otherwise. */
    record Exists(String pointer, int slot, boolean wanted) implements RulePredicate {
        @Override
        public boolean test(Captures c) {
            return (c.kinds[slot] != Captures.Kind.MISSING) == wanted;
        }
    }

    /** Not null, "", [] or {} when {@code wanted}. */
    record NonEmpty(String pointer, int slot, boolean wanted) implements RulePredicate {
        @Override
        public boolean test(Captures c) {
            return c.nonEmpty[slot] == wanted;
        }
    }

    /** A find (not a full match) over a scalar's text. */
    record Regex(String pointer, int slot, Pattern pattern) implements RulePredicate {
        @Override
        public boolean test(Captures c) {
            String text = c.texts[slot];
            return text != null && pattern.matcher(text).find();
        }
    }
}
