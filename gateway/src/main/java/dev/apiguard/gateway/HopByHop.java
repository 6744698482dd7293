package dev.apiguard.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy drops them
 * and re-frames the body itself.
 */
final class HopByHop {
    private static final Set<String> NAMES = Set.of(
            "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHop() {}

    /** Removes hop-by-hop headers, {@code Proxy-*} and the headers the Connection header names. */
    static void strip(HttpHeaders headers) {
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    named.add(t);
                }
            }
        }
        named.forEach(headers::remove);
        List<String> drop = new ArrayList<>();
        for (var entry : headers) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (NAMES.contains(name) || name.startsWith("proxy-")) {
                drop.add(entry.getKey());
            }
        }
        drop.forEach(headers::remove);
    }
}
