package dev.apiguard.app;

import java.nio.file.Path;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;

/** What the agent-bearing commands (agent, run, demo) share: the config file and capture filters. */
record NodeOptions(ConfigNode config, String listen, int onlyPid, String onlyComm, int onlyPort, String netns) {
    NodeOptions {
        netns = netns == null ? "" : netns;
    }

    /** Every network namespace (unless the config file names one). */
    NodeOptions(ConfigNode config, String listen, int onlyPid, String onlyComm, int onlyPort) {
        this(config, listen, onlyPid, onlyComm, onlyPort, "");
    }

    static NodeOptions from(Args args) throws UsageException, ConfigException {
        ConfigNode config = args.has("config") ? ConfigNode.load(Path.of(args.get("config"))) : ConfigNode.empty();
        config.allowOnly(java.util.Set.of("agent", "routes", "semantics", "score", "gateway", "demo", "admin"));
        // Checked before anything starts: a bad filter never reaches the kernel, a bad port never binds.
        return new NodeOptions(config, args.getListen("listen", null), args.getPid("pid"), args.getComm("comm"),
                args.getFilterPort("port"), args.has("netns") ? args.get("netns") : "");
    }
}
