package dev.apiguard.app.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.apiguard.app.agent.AgentSettings;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.routes.RoutesConfig;
import dev.apiguard.score.ScoreConfig;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.learn.LearningSettings;

/**
 * The whole config file, bound into typed, immutable records: one tree for every command
 * (the admin API's token and hosts in {@code admin:}; {@code learning} is {@code semantics.learning})
 * ({@code agent}, {@code scorer}, {@code gateway}, {@code run}, {@code demo}, {@code classify}).
 * docs/configuration.md documents every key; {@code ConfigDocsTest} checks it against
 * {@link #declaredOptions()}.
 */
public record ApiguardConfig(AgentSettings agent, RoutesConfig routes, SemanticsConfig semantics, LearningSettings learning,
        ScoreConfig score, GatewaySettings gateway, AdminConfig admin) {

    /** The sections of the file, in the order of the pipeline. */
    public static final List<String> SECTIONS = List.of("agent", "routes", "semantics", "score", "gateway", "admin");

    /** Binds a loaded tree (flags already applied with {@link ConfigNode#withValues}). */
    public static ApiguardConfig bind(ConfigNode root) {
        return ConfigBinder.bind(root);
    }

    /** Reads and binds a file. */
    public static ApiguardConfig load(Path file) {
        return bind(ConfigNode.load(file));
    }

    /** No file: every option at its declared default. */
    public static ApiguardConfig defaults() {
        return bind(ConfigNode.empty());
    }

    /** Every option of the file ({@code gateway.breaker.window}) with its declared default as text. */
    public static Map<String, String> declaredOptions() {
        return ConfigNode.declarations(ConfigBinder::bind);
    }
}
