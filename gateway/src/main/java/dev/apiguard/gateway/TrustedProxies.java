package dev.apiguard.gateway;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The proxies (addresses and CIDR blocks) whose {@code X-Forwarded-For} the gateway believes when
 * it names a request's client. Only literal addresses are parsed; nothing is ever resolved.
 */
final class TrustedProxies {
    static final TrustedProxies NONE = new TrustedProxies(List.of());

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses {@code 10.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}; a one-line error otherwise. */
    static TrustedProxies parse(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("trusted-proxies: '" + entry + "' is not an IP address or CIDR block");
            }
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("trusted-proxies: '" + entry + "' has a prefix length outside 0.."
                            + bits);
                }
            }
            blocks.add(new Block(address.getAddress(), prefix));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client ({@link ClientIdentity}) of a request that arrived from the trusted proxy {@code peer}: walking
     * {@code X-Forwarded-For} right to left, the first address that is not a trusted proxy. When every
     * hop is trusted, the leftmost; when there is no header, or a hop is not an address, the last
     * trusted hop reached (garbage is never believed).
     */
    String clientOf(String peer, HttpHeaders headers) {
        List<String> values = headers.getAll("x-forwarded-for");
        String current = peer;
        for (int v = values.size() - 1; v >= 0; v--) {
            String value = values.get(v);
            int end = value.length();
            while (end >= 0) {
                int comma = value.lastIndexOf(',', end - 1);
                String hop = value.substring(comma + 1, end).trim();
                end = comma;
                if (hop.isEmpty()) {
                    if (comma < 0) {
                        break;
                    }
                    continue;
                }
                InetAddress address = hopAddress(hop);
                if (address == null) {
                    return current;
                }
                String name = ClientIdentity.of(address);
                if (!contains(address)) {
                    return name;
                }
                current = name;
                if (comma < 0) {
                    break;
                }
            }
        }
        return current;
    }

    /** One hop: an address, {@code [v6]}, {@code [v6]:port} or {@code v4:port}; null when it is none of these. */
    private static InetAddress hopAddress(String hop) {
        String h = hop;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return null;
            }
            h = h.substring(1, close);
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0 && colon == h.lastIndexOf(':') && h.indexOf('.') >= 0) {
                h = h.substring(0, colon); // v4:port
            }
        }
        return literal(h);
    }

    private static InetAddress literal(String text) {
        if (text.isEmpty() || text.indexOf('%') >= 0) {
            return null;
        }
        try {
            InetAddress a = InetAddress.ofLiteral(text);
            return a instanceof Inet4Address || a.getAddress().length == 16 ? a : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
