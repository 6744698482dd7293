package dev.apiguard.gateway;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The name under which fairness counts a client: an IPv4 address as is, an IPv6 address by its /64
 * prefix, since one host or subscriber usually holds a whole /64 and could otherwise rotate through
 * it to look like many clients.
 */
final class ClientIdentity {
    private ClientIdentity() {}

    static String of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] a = address.getAddress();
        StringBuilder s = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            s.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
        }
        return s.append(":/64").toString();
    }
}
