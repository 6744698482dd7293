package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Secrets in request paths never reach the gateway's /metrics: the hostile corpus of the routes
 * module goes through a real gateway to a real backend, then the whole exposition text is searched
 * for every secret, as sent, decoded and encoded.
 */
class SecretLabelsTest {
    /** The routes module's corpus: target, expected route, secret (tab-separated). */
    static final Path CORPUS = Path.of("../routes/src/test/resources/dev/apiguard/routes/hostile-paths.tsv");

    record Case(String target, String route, String secret) {}

    static List<Case> corpus() throws IOException {
        return Files.readAllLines(CORPUS, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t", -1))
                .map(f -> new Case(f[0], f[1], f[2]))
                .toList();
    }

    /** The secret as sent, percent-decoded, and percent-encoded. */
    static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        String decoded = URLDecoder.decode(secret.replace("+", "%2B"), StandardCharsets.UTF_8);
        forms.add(decoded);
        forms.add(URLEncoder.encode(decoded, StandardCharsets.UTF_8));
        return forms;
    }

    @Test
    void noSecretReachesTheGatewaysMetrics() throws Exception {
        List<Case> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);
        try (RawBackend backend = RawBackend.start(RawBackend.OK);
                Gateway g = TestGateways.start(URI.create("http://127.0.0.1:" + backend.port()), b -> b)) {
            int refused = 0;
            try (RawHttp raw = new RawHttp(g.port())) {
                for (Case c : corpus) {
                    if (c.route().equals("/{refused}")) {
                        // No canonical form (an encoded '/'): the gateway answers 400 and closes.
                        refused++;
                        try (RawHttp once = new RawHttp(g.port())) {
                            assertThat(once.exchange("GET " + c.target() + " HTTP/1.1\r\nHost: t\r\n\r\n").status())
                                    .as(c.target()).isEqualTo(400);
                        }
                        continue;
                    }
                    RawHttp.Response response = raw.exchange("GET " + c.target() + " HTTP/1.1\r\nHost: t\r\n\r\n");
                    assertThat(response.status()).as(c.target()).isEqualTo(200);
                }
            }
            // Every other request really went through, so its route was labelled.
            assertThat(backend.received()).hasSize(corpus.size() - refused);
            String metrics;
            metrics = TestGateways.metrics(g);
            for (Case c : corpus) {
                if (!c.route().equals("/{refused}")) {
                    assertThat(metrics).as("route of " + c.target()).contains("path=\"" + c.route() + "\"");
                }
                for (String form : forms(c.secret())) {
                    assertThat(metrics).as("secret of " + c.target()).doesNotContain(form);
                }
            }
        }
    }
}
