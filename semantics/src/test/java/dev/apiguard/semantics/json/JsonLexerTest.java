package dev.apiguard.semantics.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

/** The learner's lexer reads whole JSON as Jackson does, and stops where a prefix cuts a token or JSON breaks. */
class JsonLexerTest {
    private static final JsonFactory JACKSON = new JsonFactory();

    private static final List<String> DOCUMENTS = List.of(
            "{}", "[]", "{\"a\":[]}", " {\n\t\"a\" : 1 , \"b\":[true,false,null,-0.5e+3,\"x\"]} ",
            "{\"status\":\"declined\",\"result\":{\"code\":\"05\",\"message\":\"Do not honour\"},\"errors\":[{\"id\":1}]}",
            "{\"esc\":\"line\\nbreak \\\"quoted\\\" \\u00e9t\\u00E9 \\/ \\\\ \\ud83d\\ude00\",\"caf\u00e9\":\"na\u00efve\"}",
            "{\"n\":[0,1,-1,10.25,1E9,2e-7,123456789012345678901234567890]}",
            "{\"deep\":{\"a\":{\"b\":{\"c\":[[[[{}]]]]}}}}");

    @Test
    void wholeDocumentsGiveJacksonsTokensAndTexts() throws IOException {
        for (String doc : DOCUMENTS) {
            assertThat(lexed(doc.getBytes(StandardCharsets.UTF_8))).as(doc).isEqualTo(jackson(doc));
        }
    }

    @Test
    void everyKindOfByteIsFoundAtEveryPositionOfAnEightByteWord() throws IOException {
        for (int at = 0; at < 20; at++) {
            for (String odd : List.of("\\n", "\\\"", "\u00e9", "\u4e2d", "\\u0041", "\\\\")) {
                String doc = "{\"k\":\"" + "a".repeat(at) + odd + "b".repeat(at % 9) + "\",\"n\":" + at + "}";
                assertThat(lexed(bytes(doc))).as(doc).isEqualTo(jackson(doc));
            }
            String control = "{\"k\":\"" + "a".repeat(at) + "\u0001" + "b\"}";
            assertThat(lexed(bytes(control))).as("raw control byte at " + at).containsExactly("START_OBJECT", "NAME k");
        }
    }

    @Test
    void aCutPrefixReadsOnlyWholeTokens() {
        assertThat(lexed(bytes("{\"error_code\":42"))).containsExactly("START_OBJECT", "NAME error_code");
        assertThat(lexed(bytes("{\"ok\":false"))).containsExactly("START_OBJECT", "NAME ok");
        assertThat(lexed(bytes("{\"ok\":false,"))).containsExactly("START_OBJECT", "NAME ok", "FALSE false");
        assertThat(lexed(bytes("{\"msg\":\"card decl"))).containsExactly("START_OBJECT", "NAME msg");
        assertThat(lexed(bytes("{\"msg\":\"a\\u00"))).containsExactly("START_OBJECT", "NAME msg");
        assertThat(lexed(bytes("{\"na"))).containsExactly("START_OBJECT");
        assertThat(lexed(bytes("{\"name\""))).containsExactly("START_OBJECT");
    }

    @Test
    void malformedJsonEndsTheTokens() {
        assertThat(lexed(bytes("<html>"))).isEmpty();
        assertThat(lexed(bytes("{\"a\" \"b\"}"))).containsExactly("START_OBJECT");
        assertThat(lexed(bytes("{\"a\":01}"))).containsExactly("START_OBJECT", "NAME a");
        assertThat(lexed(bytes("{\"a\":[1,]}"))).containsExactly("START_OBJECT", "NAME a", "START_ARRAY", "NUMBER 1");
        assertThat(lexed(bytes("{\"a\":1,}"))).containsExactly("START_OBJECT", "NAME a", "NUMBER 1");
        assertThat(lexed(bytes("{\"a\":1]"))).containsExactly("START_OBJECT", "NAME a", "NUMBER 1");
        assertThat(lexed(bytes("{\"a\":\"\\x\"}"))).containsExactly("START_OBJECT", "NAME a");
        assertThat(lexed(bytes("{\"a\":\"tab\there\"}"))).containsExactly("START_OBJECT", "NAME a");
        assertThat(lexed(bytes("{\"a\":tru}"))).containsExactly("START_OBJECT", "NAME a");
        assertThat(lexed(bytes("{} {}"))).containsExactly("START_OBJECT", "END_OBJECT");
        assertThat(lexed(bytes("[".repeat(JsonLexer.MAX_DEPTH + 1)))).hasSize(JsonLexer.MAX_DEPTH);
    }

    @Test
    void randomBytesNeverThrowAndEveryPrefixOfAWholeDocumentIsAPrefixOfItsTokens() {
        Random random = new Random(14);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            lexed(junk);
        }
        for (String doc : DOCUMENTS) {
            byte[] whole = bytes(doc);
            List<String> all = lexed(whole);
            for (int cut = 0; cut <= whole.length; cut++) {
                List<String> part = lexed(java.util.Arrays.copyOf(whole, cut));
                assertThat(all.subList(0, part.size())).as(doc + " cut at " + cut).isEqualTo(part);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> lexed(byte[] b) {
        JsonLexer lexer = new JsonLexer(b, 0, b.length);
        List<String> out = new ArrayList<>();
        JsonLexer.Token t;
        while ((t = lexer.next()) != null) {
            out.add(switch (t) {
                case NAME, STRING, NUMBER, TRUE, FALSE, NULL -> t + " " + lexer.text();
                default -> t.name();
            });
        }
        return out;
    }

    private static List<String> jackson(String doc) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonParser p = JACKSON.createParser(doc)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                out.add(switch (t) {
                    case FIELD_NAME -> "NAME " + p.currentName();
                    case VALUE_STRING -> "STRING " + p.getText();
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER " + p.getText();
                    case VALUE_TRUE -> "TRUE true";
                    case VALUE_FALSE -> "FALSE false";
                    case VALUE_NULL -> "NULL null";
                    default -> t.name();
                });
            }
        }
        return out;
    }
}
