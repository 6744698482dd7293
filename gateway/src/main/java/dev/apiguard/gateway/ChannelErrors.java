package dev.apiguard.gateway;

import java.io.IOException;

import dev.apiguard.metrics.InternalErrors;
import dev.apiguard.metrics.InternalErrors.Stage;

/** What the gateway's {@code exceptionCaught} handlers do with an exception before closing the channel. */
final class ChannelErrors {
    private ChannelErrors() {}

    /**
     * Counts and logs {@code cause} as an internal error, unless it is an I/O error: a peer that reset
     * or went away is ordinary on the internet, and closing the channel (channelInactive) already
     * accounts for it in the call's outcome and {@code apiguard_gateway_upstream_errors_total}.
     */
    static void caught(InternalErrors errors, Throwable cause) {
        if (!(cause instanceof IOException)) {
            errors.report(Stage.GATEWAY, cause);
        }
    }
}
