package dev.apiguard.app;

import java.nio.file.Path;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;

/** What the agent-bearing commands (agent, run, demo) share: the config file and capture filters. */
record NodeOptions(ConfigNode config, String listen, int onlyPid, String onlyComm, int onlyPort) {
    static NodeOptions from(Args args) throws UsageException, ConfigException {
        ConfigNode config = args.has("config") ? ConfigNode.load(Path.of(args.get("config"))) : ConfigNode.empty();
        config.allowOnly(java.util.Set.of("agent", "routes", "semantics", "score", "gateway", "demo", "admin"));
        return new NodeOptions(config, args.get("listen"), args.getInt("pid", 0), args.get("comm", ""), args.getInt("port", 0));
    }
}
