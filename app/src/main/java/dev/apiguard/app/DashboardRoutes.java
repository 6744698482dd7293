package dev.apiguard.app;

/** Installs the dashboard page on a node (the page itself lives in app/dashboard). */
final class DashboardRoutes {
    private DashboardRoutes() {}

    static void install(Node node) {
        node.route("/", request -> dev.apiguard.metrics.AdminHttpServer.Response.text(
                request.path().equals("/") ? 200 : 404,
                request.path().equals("/") ? "apiguard: the dashboard page is not built yet; see /api/v1/dashboard\n" : "not found\n"));
    }
}
