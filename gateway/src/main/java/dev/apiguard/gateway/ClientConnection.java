package dev.apiguard.gateway;

import java.util.concurrent.atomic.AtomicLong;

import dev.apiguard.model.ConnectionId;

/** The gateway's identity for one client connection: a serial number, unique in the process. */
record ClientConnection(long serial) implements ConnectionId {
    private static final AtomicLong NEXT = new AtomicLong();

    static ClientConnection next() {
        return new ClientConnection(NEXT.incrementAndGet());
    }

    @Override
    public String describe() {
        return "gateway#" + serial;
    }
}
