package dev.apiguard.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.metrics.AdminHttpServer.Request;
import dev.apiguard.metrics.AdminHttpServer.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardAssetsTest {

    private final DashboardAssets assets = new DashboardAssets(DashboardAssets.class.getClassLoader());

    @Test
    void servesThePageAtTheRootAndAsIndexHtml() {
        for (String path : new String[] {"/", "/index.html"}) {
            Response page = get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
            assertThat(body(page)).contains("<script type=\"module\" src=\"assets/dashboard/dashboard.js\"></script>");
        }
    }

    @Test
    void servesUplotFromTheWebJar() {
        Response js = get("/assets/uplot/uPlot.esm.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(body(js)).contains("export { uPlot as default };");
        Response css = get("/assets/uplot/uPlot.min.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.contentType()).isEqualTo("text/css; charset=utf-8");
        assertThat(body(css)).contains(".uplot");
    }

    /** Follows every stylesheet, script and relative import from the page: none may be missing. */
    @Test
    void everyAssetThePageReferencesIsServed() {
        Pattern reference = Pattern.compile("(?:href|src)=\"(assets/[^\"]+)\"|from \"\\./([^\"]+)\"|import\\(\"\\.\\./uplot/([^\"]+)\"\\)");
        Set<String> seen = new LinkedHashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
        todo.add("/");
        while (!todo.isEmpty() && seen.size() < 50) {
            String path = todo.poll();
            if (!seen.add(path)) {
                continue;
            }
            Response response = get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            if (path.startsWith("/assets/uplot/")) {
                continue;
            }
            Matcher m = reference.matcher(body(response));
            while (m.find()) {
                if (m.group(1) != null) {
                    todo.add("/" + m.group(1));
                } else if (m.group(2) != null) {
                    todo.add("/assets/dashboard/" + m.group(2));
                } else {
                    todo.add("/assets/uplot/" + m.group(3));
                }
            }
        }
        assertThat(seen).contains(
                "/assets/dashboard/dashboard.js", "/assets/dashboard/dashboard.css", "/assets/dashboard/table.js",
                "/assets/dashboard/charts.js", "/assets/dashboard/history.js", "/assets/dashboard/panels.js",
                "/assets/dashboard/format.js", "/assets/dashboard/dom.js",
                "/assets/uplot/uPlot.esm.js", "/assets/uplot/uPlot.min.css");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/nope", "/api/v1/unknown", "/index.htm", "/assets/", "/assets/other/x.js",
        "/assets/dashboard/../../META-INF/MANIFEST.MF", "/assets/dashboard/..%2f..%2fx.js", "/assets/dashboard/sub/x.js",
        "/assets/dashboard/missing.js", "/assets/dashboard/dashboard", "/assets/uplot/LICENSE", "/assets/uplot/uPlot.d.ts",
        "/assets/uplot/../../../../../META-INF/MANIFEST.MF", "/assets/dashboard/.hidden.js"})
    void unknownOrUnsafePathsAre404WithOneLine(String path) {
        Response response = get(path);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("text/plain");
        assertThat(body(response)).startsWith("not found: ").endsWith("\n").hasLineCount(1);
    }

    @Test
    void anOverlongPathIsEchoedBounded() {
        String body = body(get("/" + "x".repeat(10_000)));
        assertThat(body.length()).isLessThan(200);
    }

    @Test
    void writesAreRefused() {
        Response post = assets.page(new Request("POST", "/", Map.of(), new byte[0]));
        assertThat(post.status()).isEqualTo(405);
        assertThat(body(post)).isEqualTo("method POST not allowed here: use GET\n");
        assertThat(assets.asset(new Request("DELETE", "/assets/dashboard/dashboard.js", Map.of(), new byte[0])).status())
                .isEqualTo(405);
    }

    @Test
    void withoutTheWebJarThePageStillLoadsAndUplotIsAClear404() {
        DashboardAssets bare = new DashboardAssets(new HidingLoader("META-INF/"));
        Map<String, Function<Request, Response>> routes = bare.handlers();
        assertThat(routes.get("/").apply(new Request("GET", "/", Map.of(), new byte[0])).status()).isEqualTo(200);
        Response uplot = routes.get("/assets/").apply(new Request("GET", "/assets/uplot/uPlot.esm.js", Map.of(), new byte[0]));
        assertThat(uplot.status()).isEqualTo(404);
        assertThat(body(uplot)).isEqualTo("uPlot WebJar (org.webjars.npm:uplot) is not on the classpath\n");
    }

    @Test
    void overARealServerTheRootContextCatchesOnlyThePage() throws IOException, InterruptedException {
        try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, DashboardAssets.routes());
                HttpClient client = HttpClient.newHttpClient()) {
            assertThat(fetch(client, server, "GET", "/").statusCode()).isEqualTo(200);
            assertThat(fetch(client, server, "GET", "/assets/dashboard/dashboard.js").statusCode()).isEqualTo(200);
            HttpResponse<String> missing = fetch(client, server, "GET", "/api/v1/dashboard");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("not found: /api/v1/dashboard\n");
            HttpResponse<String> head = fetch(client, server, "HEAD", "/assets/uplot/uPlot.esm.js");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        }
    }

    private Response get(String path) {
        Map<String, Function<Request, Response>> routes = assets.handlers();
        String context = path.startsWith("/assets/") ? "/assets/" : "/";
        return routes.get(context).apply(new Request("GET", path, Map.of(), new byte[0]));
    }

    private static String body(Response response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> fetch(HttpClient client, AdminHttpServer server, String method, String path)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A class loader that cannot see resources under a prefix: a classpath without the WebJar. */
    private static final class HidingLoader extends ClassLoader {
        private final String hidden;

        HidingLoader(String hidden) {
            super(DashboardAssets.class.getClassLoader());
            this.hidden = hidden;
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith(hidden) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith(hidden) ? java.util.Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
