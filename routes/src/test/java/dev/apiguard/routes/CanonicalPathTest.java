package dev.apiguard.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalPathTest {
    private final CanonicalPath canonical = new CanonicalPath(CanonicalPath.Options.defaults());

    private CanonicalPath.Canonical ok(String target) {
        CanonicalPath.Result r = canonical.of(target);
        assertThat(r).as(target).isInstanceOf(CanonicalPath.Canonical.class);
        return (CanonicalPath.Canonical) r;
    }

    @ParameterizedTest(name = "{0} -> {1} (key {2})")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "/api/v1/checkout                   | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/checkout/                  | /api/v1/checkout/         | /api/v1/checkout",
        "/api/v1/checkout//                 | /api/v1/checkout/         | /api/v1/checkout",
        "//api/v1/checkout                  | /api/v1/checkout          | /api/v1/checkout",
        "/api//v1///checkout                | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/./checkout                 | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/x/../checkout              | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/x/y/../../checkout         | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/checkout/.                 | /api/v1/checkout/         | /api/v1/checkout",
        "/api/v1/checkout/x/..              | /api/v1/checkout/         | /api/v1/checkout",
        "/api/v1/x/%2e%2e/checkout          | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/x/%2E%2e/checkout          | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/x/.%2E/checkout            | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/%2e/checkout               | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/%63heckout                 | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/%63%68%65%63%6B%6F%75%74   | /api/v1/checkout          | /api/v1/checkout",
        "/%61pi/v1/checkout                 | /api/v1/checkout          | /api/v1/checkout",
        "/API/V1/Checkout                   | /API/V1/Checkout          | /api/v1/checkout",
        "/API/V1/Checkout/                  | /API/V1/Checkout/         | /api/v1/checkout",
        "/api/v1/%43heckout                 | /api/v1/Checkout          | /api/v1/checkout",
        "/api/v1/checkout;jsessionid=1      | /api/v1/checkout          | /api/v1/checkout",
        "/api;a=1/v1;b/checkout;c=2;d       | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/x/..;/checkout             | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/checkout/;x                | /api/v1/checkout/         | /api/v1/checkout",
        "/api/v1/checkout.json              | /api/v1/checkout.json     | /api/v1/checkout",
        "/api/v1/checkout.JSON              | /api/v1/checkout.JSON     | /api/v1/checkout",
        "/api/v1/checkout.xml               | /api/v1/checkout.xml      | /api/v1/checkout",
        "/api/v1/checkout.json/             | /api/v1/checkout.json/    | /api/v1/checkout",
        "/api/v1/checkout%2Ejson            | /api/v1/checkout.json     | /api/v1/checkout",
        "/api/v1/checkout?x=1               | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/checkout#frag              | /api/v1/checkout          | /api/v1/checkout",
        "/api/v1/checkout.html              | /api/v1/checkout.html     | /api/v1/checkout.html",
        "/.json                             | /.json                    | /.json",
        "/..json                            | /..json                   | /..json",
        "/...json                           | /...json                  | /...json",
        "/....json                          | /....json                 | /...",
        "/                                  | /                         | /",
        "//                                 | /                         | /",
        "/./                                | /                         | /",
        "/a/..                              | /                         | /",
        "*                                  | *                         | *",
        // escapes of reserved and non-ASCII bytes are kept (upper-case hex); raw ones are escaped
        "/search/a%3bb                      | /search/a%3Bb             | /search/a%3bb",
        "/search/a%20b                      | /search/a%20b             | /search/a%20b",
        "/users/J%c3%bcrgen                 | /users/J%C3%BCrgen        | /users/j%c3%bcrgen",
        "/users/Jürgen                      | /users/J%FCrgen           | /users/j%fcrgen",
        "/a/{b}^c                           | /a/%7Bb%7D%5Ec            | /a/%7bb%7d%5ec",
        "/percent/100%25                    | /percent/100%25           | /percent/100%25",
        "/a:b/@c/!$&'()*+,=                 | /a:b/@c/!$&'()*+,=        | /a:b/@c/!$&'()*+,=",
    })
    void spellingsOfOnePath(String target, String path, String key) {
        CanonicalPath.Canonical c = ok(target);
        assertThat(c.path()).isEqualTo(path);
        assertThat(c.key()).isEqualTo(key);
        // idempotent: the forwarded path canonicalises to itself, with the same key
        CanonicalPath.Canonical again = ok(c.path());
        assertThat(again.path()).isEqualTo(path);
        assertThat(again.key()).isEqualTo(key);
    }

    @Test
    void theQueryIsKeptAsSentAndOnlyTheFragmentDropped() {
        CanonicalPath.Canonical c = ok("/api//v1/checkout?b=%2F&a=..//x#top");
        assertThat(c.query()).isEqualTo("b=%2F&a=..//x");
        assertThat(c.target()).isEqualTo("/api/v1/checkout?b=%2F&a=..//x");
        assertThat(ok("/a?").query()).isEmpty();
        assertThat(ok("/a?").target()).isEqualTo("/a?");
        assertThat(ok("/a").query()).isNull();
        assertThat(ok("/a?x#y?z").query()).isEqualTo("x");
    }

    @ParameterizedTest(name = "{0} refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "/api/v1%2Fcheckout          | encoded_slash",
        "/api/v1%2fcheckout          | encoded_slash",
        "/api/v1/%5Ccheckout         | encoded_backslash",
        "/api/v1/checkout%00.json    | encoded_nul",
        "/api/v1\\checkout           | backslash",
        "/api/v1/%zzcheckout         | bad_encoding",
        "/api/v1/checkout%4          | bad_encoding",
        "/api/v1/checkout%           | bad_encoding",
        "/api/v1/%٣٣checkout         | bad_encoding",
        "/api/v1/%2563heckout        | double_encoding",
        "/api/v1/%252e%252e/x        | double_encoding",
        "/api/v1/%25%32e/x           | double_encoding",
        "/api/v1/%25%41a             | double_encoding",
        "/..                         | above_root",
        "/../api/v1/checkout         | above_root",
        "/api/../../checkout         | above_root",
        "/%2e%2e/etc/passwd          | above_root",
        "api/v1/checkout             | bad_target",
        "''                          | bad_target",
        "?x=1                        | bad_target",
    })
    void refusedAndCountedByReason(String target, String reason) {
        CanonicalPath fresh = new CanonicalPath(CanonicalPath.Options.defaults());
        CanonicalPath.Result r = fresh.of(target);
        assertThat(r).isInstanceOf(CanonicalPath.Refused.class);
        assertThat(((CanonicalPath.Refused) r).reason().label()).isEqualTo(reason);
        assertThat(fresh.refusedCounts()).isEqualTo(Map.of(reason, 1L));
    }

    @Test
    void controlCharactersAreRefused() {
        for (String t : new String[] {"/a\u0000b", "/a\tb", "/a\u007fb", "/a\rb"}) {
            assertThat(canonical.of(t)).isInstanceOfSatisfying(CanonicalPath.Refused.class,
                    r -> assertThat(r.reason()).isEqualTo(CanonicalPath.Reason.CONTROL_CHARACTER));
        }
    }

    @Test
    void countsAccumulatePerReason() {
        CanonicalPath fresh = new CanonicalPath(CanonicalPath.Options.defaults());
        fresh.of("/a%2Fb");
        fresh.of("/a%2fb");
        fresh.of("/..");
        fresh.of("/fine");
        assertThat(fresh.refusedCounts()).isEqualTo(Map.of("encoded_slash", 2L, "above_root", 1L));
    }

    @Test
    void canonicalFormsAreFixedPointsForRandomSpellings() {
        String[] parts = {"/", "//", ".", "..", "a", "B", "%2e", "%2E", "%41", "%7e", "%3b", ";", ";x=1", ".json", "%",
            "%25", "%2f", "\\", "~", "ü", "{", "?", "#", "%c3%bc", "-_"};
        java.util.Random random = new java.util.Random(42);
        int canonicalCount = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder t = new StringBuilder("/");
            for (int k = random.nextInt(8); k > 0; k--) {
                t.append(parts[random.nextInt(parts.length)]);
            }
            CanonicalPath.Result r = canonical.of(t.toString());
            if (r instanceof CanonicalPath.Canonical c) {
                canonicalCount++;
                assertThat(c.path()).as(t.toString()).startsWith("/").doesNotContain("//", "/./", "/../", ";");
                CanonicalPath.Canonical again = ok(c.path());
                assertThat(again.path()).as(t.toString()).isEqualTo(c.path());
                assertThat(again.key()).as(t.toString()).isEqualTo(c.key());
                assertThat(ok(c.key()).key()).as(t.toString()).isEqualTo(c.key());
            }
        }
        assertThat(canonicalCount).isBetween(2_000, 19_000); // both outcomes are exercised
    }

    @Test
    void caseSensitiveRoutesKeepTheCaseInTheKey() {
        CanonicalPath sensitive = new CanonicalPath(new CanonicalPath.Options(true, List.of(".json")));
        CanonicalPath.Canonical c = (CanonicalPath.Canonical) sensitive.of("/API/V1/Checkout.JSON/");
        assertThat(c.path()).isEqualTo("/API/V1/Checkout.JSON/");
        assertThat(c.key()).isEqualTo("/API/V1/Checkout"); // suffixes still compare without case
    }

    @Test
    void suffixesAreConfigurable() {
        CanonicalPath none = new CanonicalPath(new CanonicalPath.Options(false, List.of()));
        assertThat(((CanonicalPath.Canonical) none.of("/a/checkout.json")).key()).isEqualTo("/a/checkout.json");
        CanonicalPath csv = new CanonicalPath(new CanonicalPath.Options(false, List.of(".csv")));
        assertThat(((CanonicalPath.Canonical) csv.of("/a/report.csv")).key()).isEqualTo("/a/report");
        assertThat(((CanonicalPath.Canonical) csv.of("/a/report.json")).key()).isEqualTo("/a/report.json");
        // every trailing suffix, only from the last segment
        assertThat(((CanonicalPath.Canonical) canonical.of("/a.json/b.xml.json")).key()).isEqualTo("/a.json/b");
        for (String bad : new String[] {"json", ".", "./x", ".tar.gz"}) {
            assertThatThrownBy(() -> new CanonicalPath.Options(false, List.of(bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routes.ignored-suffixes");
        }
    }
}
