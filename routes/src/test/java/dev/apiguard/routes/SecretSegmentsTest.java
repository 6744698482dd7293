package dev.apiguard.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Secret-bearing path segments become placeholders; ordinary paths stay as they are. */
class SecretSegmentsTest {
    final RouteNormalizer routes = RouteNormalizer.create(RoutesConfig.defaults());

    /** A secret-bearing request target, the route it must become, and the secret that must not survive. */
    record Hostile(String target, String route, String secret) {}

    static List<Hostile> hostileCorpus() {
        return HostilePaths.CORPUS.stream().map(h -> new Hostile(h.target(), h.route(), h.secret())).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCorpus")
    void secretsBecomePlaceholders(Hostile h) {
        String route = routes.route("shop", h.target());
        assertThat(route).isEqualTo(h.route());
        assertThat(route).doesNotContain(h.secret());
        String decoded = URLDecoder.decode(h.secret().replace("+", "%2B"), StandardCharsets.UTF_8);
        assertThat(route).doesNotContain(decoded);
    }

    @Test
    void theCorpusIsLargeEnough() {
        assertThat(HostilePaths.CORPUS).hasSizeGreaterThanOrEqualTo(30);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/api/v1/orders",
        "/healthz",
        "/v2/users/me",
        "/api/v1/health",
        "/static/index.html",
        "/assets/jquery-3.7.1.min.js",
        "/api/v1/ExtraordinarilyLongResourceName",
        "/api/XMLHttpRequestHandler/status",
        "/products/my-long-product-name-2024",
        "/npm/@types/node",
        "/pkg/lodash@4.17.21",
        "/internationalization/settings",
        "/oauth2/token",
        "/.well-known/openid-configuration",
        "/api/v1/users/me/notification_preferences",
        "/downloads/report-2024.pdf",
    })
    void ordinaryPathsStay(String path) {
        // Routes are case-insensitive by default: the path stays, folded to lower case.
        assertThat(routes.route("shop", path)).isEqualTo(path.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void deepPathsAreFolded() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            deep.append("/s").append((char) ('a' + i % 26));
        }
        String route = routes.route("shop", deep.toString());
        assertThat(route.split("/", -1)).hasSize(1 + Paths.MAX_SEGMENTS + 1);
        assertThat(route).endsWith("/sf/{rest}");
    }

    @Test
    void longSegmentsAreBounded() {
        String words = "how-to-make-the-best-chocolate-chip-cookies-at-home-in-thirty-minutes";
        assertThat(routes.route("blog", "/posts/" + words)).isEqualTo("/posts/{token}");
        assertThat(routes.route("blog", "/posts/short-title")).isEqualTo("/posts/short-title");
    }
}
