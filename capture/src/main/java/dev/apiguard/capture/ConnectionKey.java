package dev.apiguard.capture;

/** Identifies one connection: a (process, fd) pair, made unique over fd reuse by a generation. */
public record ConnectionKey(int tgid, int fd, long generation) {}
