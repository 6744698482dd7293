package dev.apiguard.capture;

import dev.apiguard.model.ConnectionId;


/** Identifies one connection: a (process, fd) pair, made unique over fd reuse by a generation. */
public record ConnectionKey(int tgid, int fd, long generation) implements ConnectionId {
    @Override
    public String describe() {
        return "pid " + tgid + " fd " + fd + " gen " + generation;
    }
}
