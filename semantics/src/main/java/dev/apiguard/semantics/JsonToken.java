package dev.apiguard.semantics;

/** The tokens {@link JsonScan} reads, named as Jackson's (which it read before) so its rules read the same. */
enum JsonToken {
    START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, FIELD_NAME, VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT,
    VALUE_TRUE, VALUE_FALSE, VALUE_NULL;

    boolean isStructStart() {
        return this == START_OBJECT || this == START_ARRAY;
    }

    boolean isStructEnd() {
        return this == END_OBJECT || this == END_ARRAY;
    }
}
