package dev.apiguard.capture;

import dev.apiguard.model.ConnectionId;

/**
 * Identifies one connection across its events. The kernel gives each connection a {@code
 * generation} when its first HTTP bytes pass (unique for the capture's lifetime, so an fd number
 * reused by a later connection gets a new key); {@code tgid} and {@code fd} are the process and
 * file descriptor that moved those bytes, kept as they were then (a socket passed to or shared
 * with another process keeps its key).
 */
public record ConnectionKey(int tgid, int fd, long generation) implements ConnectionId {
    @Override
    public String describe() {
        return "pid " + tgid + " fd " + fd + " gen " + generation;
    }
}
