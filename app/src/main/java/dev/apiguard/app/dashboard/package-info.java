/**
 * The live dashboard: a static page (plain ES modules, no build step) and the uPlot WebJar, both
 * served from the classpath. The page polls {@code GET /api/v1/dashboard}, which the node serves.
 */
package dev.apiguard.app.dashboard;
