package dev.apiguard.app.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.apiguard.metrics.AdminHttpServer.Request;
import dev.apiguard.metrics.AdminHttpServer.Response;

/**
 * Serves the dashboard page and the uPlot WebJar from the classpath.
 *
 * <p>Wire {@link #routes()} into an {@code AdminHttpServer} next to {@code /api/v1/dashboard}:
 * <ul>
 *   <li>{@code /} and {@code /index.html}: the page ({@code dashboard/index.html} on the classpath);
 *   <li>{@code /assets/dashboard/NAME}: the page's modules and styles ({@code dashboard/NAME});
 *   <li>{@code /assets/uplot/NAME}: uPlot's {@code dist/NAME} from the {@code org.webjars.npm:uplot} jar.
 * </ul>
 * Server contexts match by prefix, so {@code /} also receives every path no longer context claims:
 * those get a 404. Only single-segment names with a known extension are served, which rules out
 * path traversal without having to normalise anything.
 */
public final class DashboardAssets {

    private static final String PAGE_DIR = "dashboard/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)+");
    private static final int MAX_PATH_ECHO = 120;
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    private final ClassLoader loader;
    /** Where uPlot's dist/ lives inside the WebJar, or empty when the WebJar is not on the classpath. */
    private final Optional<String> uplotDist;

    DashboardAssets(ClassLoader loader) {
        this.loader = loader;
        this.uplotDist = uplotVersion(loader).map(v -> "META-INF/resources/webjars/uplot/" + v + "/dist/");
    }

    /** The handlers for {@code /} and {@code /assets/}, served from this class's class loader. */
    public static Map<String, Function<Request, Response>> routes() {
        return new DashboardAssets(DashboardAssets.class.getClassLoader()).handlers();
    }

    Map<String, Function<Request, Response>> handlers() {
        Map<String, Function<Request, Response>> routes = new LinkedHashMap<>();
        routes.put("/", this::page);
        routes.put("/assets/", this::asset);
        return Map.copyOf(routes);
    }

    Response page(Request request) {
        if (!isRead(request)) {
            return methodNotAllowed(request);
        }
        return switch (request.path()) {
            case "/", "/index.html" -> resource(PAGE_DIR + "index.html", "html")
                    .orElseGet(() -> Response.text(500, "dashboard page missing from the classpath (dashboard/index.html)\n"));
            default -> notFound(request);
        };
    }

    Response asset(Request request) {
        if (!isRead(request)) {
            return methodNotAllowed(request);
        }
        String path = request.path();
        if (path.startsWith("/assets/dashboard/")) {
            return named(path.substring("/assets/dashboard/".length()), PAGE_DIR, request);
        }
        if (path.startsWith("/assets/uplot/")) {
            if (uplotDist.isEmpty()) {
                return Response.text(404, "uPlot WebJar (org.webjars.npm:uplot) is not on the classpath\n");
            }
            return named(path.substring("/assets/uplot/".length()), uplotDist.get(), request);
        }
        return notFound(request);
    }

    private Response named(String name, String dir, Request request) {
        if (!ASSET_NAME.matcher(name).matches()) {
            return notFound(request);
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        if (!CONTENT_TYPES.containsKey(extension)) {
            return notFound(request);
        }
        return resource(dir + name, extension).orElseGet(() -> notFound(request));
    }

    private Optional<Response> resource(String name, String extension) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new Response(200, CONTENT_TYPES.get(extension), in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the classpath", e);
        }
    }

    private static boolean isRead(Request request) {
        return "GET".equals(request.method()) || "HEAD".equals(request.method());
    }

    private static Response methodNotAllowed(Request request) {
        return Response.text(405, "method " + echo(request.method()) + " not allowed here: use GET\n");
    }

    private static Response notFound(Request request) {
        return Response.text(404, "not found: " + echo(request.path()) + "\n");
    }

    /** Echoes client input in an error line, bounded and on one line. */
    private static String echo(String s) {
        String line = s.replaceAll("[\\p{Cntrl}]", "?");
        return line.length() <= MAX_PATH_ECHO ? line : line.substring(0, MAX_PATH_ECHO) + "…";
    }

    /** Why read the pom: the version is written once, in app/pom.xml, and the jar path contains it. */
    private static Optional<String> uplotVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            String version = properties.getProperty("version", "").strip();
            return version.isEmpty() ? Optional.empty() : Optional.of(version);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
