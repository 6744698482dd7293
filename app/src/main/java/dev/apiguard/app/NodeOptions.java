package dev.apiguard.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.app.config.ApiguardConfig;
import dev.apiguard.capture.NetworkNamespace;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.config.Listen;

/**
 * What the agent-bearing commands (agent, run, demo) start a node with: the bound config file, the
 * capture and listen flags applied over it (flags win).
 */
record NodeOptions(ApiguardConfig config) {

    /** The {@code --config} file, or an empty tree. */
    static ConfigNode file(Args args) {
        return args.has("config") ? ConfigNode.load(Path.of(args.get("config"))) : ConfigNode.empty();
    }

    /** {@code agent}: the file and the flags. */
    static NodeOptions from(Args args) throws UsageException {
        return from(args, file(args));
    }

    /**
     * @param root the file, with the command's own defaults and flags already applied
     */
    static NodeOptions from(Args args, ConfigNode root) throws UsageException {
        // Checked before anything starts: a bad filter never reaches the kernel, a bad port never binds.
        Listen listen = args.getListenAddress("listen", null);
        int pid = args.getPid("pid");
        String comm = args.getComm("comm");
        int port = args.getFilterPort("port");
        Map<String, Object> flags = flags(listen, pid, comm, port);
        if (args.has("netns")) {
            try {
                NetworkNamespace.inode(args.get("netns"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--netns " + e.getMessage());
            }
            flags.put("agent.capture.netns", args.get("netns"));
        }
        return new NodeOptions(ApiguardConfig.bind(root.withValues(flags)));
    }

    /** No file: a node on {@code listen} with these filters (0 and "" for none). */
    static NodeOptions of(String listen, int pid, String comm, int port) {
        return of(ConfigNode.empty(), listen, pid, comm, port);
    }

    /** {@code file} with these flags over it (0 and "" for none). */
    static NodeOptions of(ConfigNode file, String listen, int pid, String comm, int port) {
        return new NodeOptions(ApiguardConfig.bind(file.withValues(flags(Listen.parse(listen), pid, comm, port))));
    }

    private static Map<String, Object> flags(Listen listen, int pid, String comm, int port) {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (listen != null) {
            flags.put("agent.listen", listen.toString());
        }
        if (pid != 0) {
            flags.put("agent.capture.only-pid", pid);
        }
        if (!comm.isEmpty()) {
            flags.put("agent.capture.only-comm", comm);
        }
        if (port != 0) {
            flags.put("agent.capture.only-port", port);
        }
        return flags;
    }

    /** The demo traces its own shop only. */
    NodeOptions withOnlyPid(int pid) {
        var c = config.agent().capture();
        var capture = new dev.apiguard.capture.CaptureConfig(c.ringBufferBytes(), pid, "", 0, c.onlyNetns(), c.tls());
        return new NodeOptions(new ApiguardConfig(config.agent().withCapture(capture), config.routes(), config.semantics(),
                config.learning(), config.score(), config.gateway(), config.admin()));
    }

    Listen listen() {
        return config.agent().listen();
    }

    int onlyPid() {
        return config.agent().capture().onlyPid();
    }

    String onlyComm() {
        return config.agent().capture().onlyComm();
    }

    int onlyPort() {
        return config.agent().capture().onlyPort();
    }
}
