package dev.apiguard.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteNormalizerTest {
    final RouteNormalizer routes = RouteNormalizer.create(RoutesConfig.defaults());

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // target forms
        "/                                              | /",
        "''                                             | /",
        "*                                              | *",
        "/users?id=42                                   | /users",
        "/users#section-2                               | /users",
        "/users/42?expand=orders#top                    | /users/{id}",
        "http://shop.local:8080/api/v1/items/9?x=1      | /api/v1/items/{id}",
        "https://shop.local                             | /",
        "http://shop.local?x=1                          | /",
        "api.example.com:443                            | /api.example.com:443",
        // numbers
        "/users/42                                      | /users/{id}",
        "/users/0                                       | /users/{id}",
        "/orders/1234567890123/items/3                  | /orders/{id}/items/{id}",
        "/api/v1/users/42/orders                        | /api/v1/users/{id}/orders",
        "/reports/2024/01                               | /reports/{id}/{id}",
        // uuids and hex
        "/sessions/550e8400-e29b-41d4-a716-446655440000 | /sessions/{id}",
        "/sessions/550E8400-E29B-41D4-A716-446655440000 | /sessions/{id}",
        "/blobs/9f86d081884c7d659a2feaa0c55ad015        | /blobs/{id}",
        "/commits/da39a3ee5e6b4b0d3255bfef95601890afd80709 | /commits/{id}",
        "/objects/507f1f77bcf86cd799439011              | /objects/{id}",
        // random-looking tokens
        "/invite/aZ3kP9qL2mN8xR4tW7                     | /invite/{id}",
        "/s/Xk9_fQ2-pL7mN4vR8sT1                        | /s/{id}",
        "/files/ord_83920                               | /files/{id}",
        "/invoices/INV-2024-000123                      | /invoices/{id}",
        "/days/2024-01-15                               | /days/{id}",
        "/hosts/10.0.0.12                               | /hosts/{id}",
        "/orders/order-7f3a9c2e4b1d8a6f                 | /orders/{id}",
        // ordinary words and short mixed tokens stay
        "/api/v1/health                                 | /api/v1/health",
        "/api/v2/users/me                               | /api/v2/users/me",
        "/auth/2fa/verify                               | /auth/2fa/verify",
        "/oauth2/token                                  | /oauth2/token",
        "/static/index.html                             | /static/index.html",
        "/assets/jquery-3.7.1.min.js                    | /assets/jquery-3.7.1.min.js",
        "/downloads/report-2024.pdf                     | /downloads/report-2024.pdf",
        "/video/h264/x86_64                             | /video/h264/x86_64",
        "/products/my-long-product-name-2024            | /products/my-long-product-name-2024",
        "/internationalization                          | /internationalization",
        "/api/v1/ExtraordinarilyLongResourceName        | /api/v1/extraordinarilylongresourcename",
        "/deadbeef                                      | /deadbeef",
        "/md5/sha256                                    | /md5/sha256",
        "/a/b/c/d/e/f                                   | /a/b/c/d/e/f",
        // every spelling of a path gets one route (CanonicalPath)
        "/users/                                        | /users",
        "//double//42                                   | /double/{id}",
        "/API/V1/Users/42/                              | /api/v1/users/{id}",
        "/api/v1/./x/../users/%34%32;jsessionid=1       | /api/v1/users/{id}",
        "/api/v1/users/42.json                          | /api/v1/users/{id}",
        "/api/v1/checkout.XML                           | /api/v1/checkout",
        // refused spellings share one route
        "/api/v1%2Fcheckout                             | /{refused}",
        "/../etc/passwd                                 | /{refused}",
    })
    void heuristics(String raw, String expected) {
        assertThat(routes.route("shop", raw)).isEqualTo(expected);
    }

    @Test
    void userTemplatesWinOverHeuristics() {
        RouteNormalizer r = RouteNormalizer.create(new RoutesConfig(
                List.of("/api/v1/orders/{order}/items", "/api/v1/orders/{order}", "/catalog/{sku}", "/"), 1000));
        assertThat(r.route("shop", "/api/v1/orders/42/items?page=2")).isEqualTo("/api/v1/orders/{order}/items");
        assertThat(r.route("shop", "/api/v1/orders/ABC/items")).isEqualTo("/api/v1/orders/{order}/items");
        assertThat(r.route("shop", "/api/v1/orders/42")).isEqualTo("/api/v1/orders/{order}");
        // a word the heuristics would keep is still a placeholder under the template
        assertThat(r.route("shop", "/catalog/blue-shirt")).isEqualTo("/catalog/{sku}");
        assertThat(r.route("shop", "/")).isEqualTo("/");
        // no match: a different segment count or literal, or an empty placeholder
        assertThat(r.route("shop", "/api/v1/orders/42/items/7")).isEqualTo("/api/v1/orders/{id}/items/{id}");
        assertThat(r.route("shop", "/api/v2/orders/42")).isEqualTo("/api/v2/orders/{id}");
        assertThat(r.route("shop", "/catalog/")).isEqualTo("/catalog");
        assertThat(r.route("shop", "/catalog")).isEqualTo("/catalog");
        assertThatThrownBy(() -> RouteNormalizer.create(new RoutesConfig(List.of("orders/{id}"), 10)))
                .hasMessageContaining("must start with '/'");
    }

    @Test
    void templatesMatchEverySpellingAndKeepTheirConfiguredName() {
        RouteNormalizer r = RouteNormalizer.create(new RoutesConfig(List.of("/api/v1/Orders/{orderId}"), 1000));
        assertThat(r.route("shop", "/api/v1/orders/ABC")).isEqualTo("/api/v1/Orders/{orderId}");
        assertThat(r.route("shop", "/API/v1/ORDERS/abc/")).isEqualTo("/api/v1/Orders/{orderId}");
        RouteNormalizer sensitive = RouteNormalizer.create(new RoutesConfig(List.of("/api/v1/Orders/{orderId}"), 1000,
                new CanonicalPath.Options(true, List.of())));
        assertThat(sensitive.route("shop", "/api/v1/Orders/abc")).isEqualTo("/api/v1/Orders/{orderId}");
        assertThat(sensitive.route("shop", "/api/v1/orders/abc")).isEqualTo("/api/v1/orders/abc");
        assertThat(sensitive.route("shop", "/api/v1/Checkout.json")).isEqualTo("/api/v1/Checkout.json");
    }

    @Test
    void refusalsAreCountedByReasonEveryTime() {
        RouteNormalizer r = RouteNormalizer.create(RoutesConfig.defaults());
        for (int i = 0; i < 3; i++) {
            assertThat(r.route("shop", "/a%2Fb")).isEqualTo(RouteNormalizer.REFUSED_ROUTE);
        }
        assertThat(r.route("shop", "/a/%5c")).isEqualTo(RouteNormalizer.REFUSED_ROUTE);
        assertThat(r.refusedCounts()).isEqualTo(Map.of("encoded_slash", 3L, "encoded_backslash", 1L));
    }

    @Test
    void eachServiceIsCappedAndTheOverflowCountedExactly() {
        RouteNormalizer r = RouteNormalizer.create(new RoutesConfig(List.of(), 3));
        assertThat(r.route("a", "/one")).isEqualTo("/one");
        assertThat(r.route("a", "/two")).isEqualTo("/two");
        assertThat(r.route("a", "/users/1")).isEqualTo("/users/{id}");
        assertThat(r.route("a", "/users/2")).isEqualTo("/users/{id}"); // same route: no budget used
        assertThat(r.route("a", "/four")).isEqualTo(RouteNormalizer.OVERFLOW_ROUTE);
        assertThat(r.route("a", "/four")).isEqualTo(RouteNormalizer.OVERFLOW_ROUTE); // cached, still counted
        assertThat(r.route("a", "/five?x")).isEqualTo(RouteNormalizer.OVERFLOW_ROUTE);
        assertThat(r.route("a", "/one?again")).isEqualTo("/one");
        assertThat(r.route("b", "/four")).isEqualTo("/four"); // budgets are per service
        assertThat(r.overflowCounts()).isEqualTo(Map.of("a", 3L));
        assertThat(RouteNormalizer.create(RoutesConfig.defaults()).overflowCounts()).isEmpty();
    }

    @Test
    void defaultBudgetIsAThousandRoutes() {
        long admitted = 0;
        RouteNormalizer fresh = RouteNormalizer.create(RoutesConfig.defaults());
        for (int i = 0; i < 1005; i++) {
            if (!fresh.route("s", "/r/" + letters(i)).equals(RouteNormalizer.OVERFLOW_ROUTE)) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(1000);
        assertThat(fresh.overflowCounts()).isEqualTo(Map.of("s", 5L));
    }

    static String letters(int n) {
        StringBuilder s = new StringBuilder();
        do {
            s.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return s.toString();
    }

    @Test
    void nullsAreHandled() {
        assertThat(routes.route(null, null)).isEqualTo("/");
        assertThat(routes.route("x", "?only=query")).isEqualTo("/");
    }

    @Test
    void concurrentCallersAgreeAndRespectTheCap() throws Exception {
        RouteNormalizer r = RouteNormalizer.create(new RoutesConfig(List.of(), 50));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Future<Long>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            results.add(pool.submit(() -> {
                start.await();
                long overflowed = 0;
                for (int i = 0; i < 4_800; i++) {
                    String route = r.route("svc", "/r/" + letters(i % 80) + "/" + i);
                    seen.add(route);
                    if (route.equals(RouteNormalizer.OVERFLOW_ROUTE)) {
                        overflowed++;
                    }
                }
                return overflowed;
            }));
        }
        start.countDown();
        long overflowed = 0;
        for (Future<Long> f : results) {
            overflowed += f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // 80 distinct routes asked for 60 times each per thread, 50 admitted: 30 of every 80 requests overflow.
        assertThat(seen).hasSize(51).contains(RouteNormalizer.OVERFLOW_ROUTE);
        assertThat(overflowed).isEqualTo(4L * 4_800 * 30 / 80);
        assertThat(r.overflowCounts()).isEqualTo(Map.of("svc", overflowed));
    }
}
