package dev.apiguard.gateway;

import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy drops them
 * and re-frames the body itself.
 */
final class HopByHop {
    private static final AsciiString[] NAMES = {
        HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
        HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
    };
    private static final String PROXY_PREFIX = "proxy-";

    private HopByHop() {}

    /** Removes hop-by-hop headers, {@code Proxy-*} and the headers the Connection header names. */
    static void strip(HttpHeaders headers) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : value.split(",")) {
                    String t = token.trim();
                    if (!t.isEmpty()) {
                        headers.remove(t);
                    }
                }
            }
        }
        for (AsciiString name : NAMES) {
            headers.remove(name);
        }
        // Proxy-Connection, Proxy-Authorization …: rare, so look before allocating anything.
        List<String> proxy = null;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (name.length() > PROXY_PREFIX.length()
                    && AsciiString.regionMatches(name, true, 0, PROXY_PREFIX, 0, PROXY_PREFIX.length())) {
                if (proxy == null) {
                    proxy = new ArrayList<>(2);
                }
                proxy.add(name.toString());
            }
        }
        if (proxy != null) {
            proxy.forEach(headers::remove);
        }
    }
}
