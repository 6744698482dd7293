package dev.apiguard.app.config;

import java.net.URI;
import java.util.Optional;

import dev.apiguard.gateway.GatewayConfig;

/**
 * The {@code gateway:} section.
 *
 * @param proxy the gateway's options; empty when no backend is configured (then there is no gateway,
 *     though every other option of the section was still checked)
 * @param scores a scorer's base URL whose scores drive the breakers (the standalone gateway only)
 */
public record GatewaySettings(Optional<GatewayConfig> proxy, Optional<URI> scores) {}
