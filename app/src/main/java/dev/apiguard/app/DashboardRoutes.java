package dev.apiguard.app;

import dev.apiguard.app.dashboard.DashboardAssets;

/** Installs the dashboard page and its assets on a node; the data comes from /api/v1/dashboard. */
final class DashboardRoutes {
    private DashboardRoutes() {}

    static void install(Node node) {
        DashboardAssets.routes().forEach(node::route);
    }
}
