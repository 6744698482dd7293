package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

    private static HttpHeaders xff(String... values) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (String v : values) {
            h.add("X-Forwarded-For", v);
        }
        return h;
    }

    @Test
    void matchesAddressesAndBlocks() {
        assertThat(proxies.contains(InetAddress.ofLiteral("10.200.3.4"))).isTrue();
        assertThat(proxies.contains(InetAddress.ofLiteral("11.0.0.1"))).isFalse();
        assertThat(proxies.contains(InetAddress.ofLiteral("192.168.1.7"))).isTrue();
        assertThat(proxies.contains(InetAddress.ofLiteral("192.168.1.8"))).isFalse();
        assertThat(proxies.contains(InetAddress.ofLiteral("fd12::1"))).isTrue();
        assertThat(proxies.contains(InetAddress.ofLiteral("fe80::1"))).isFalse();
        assertThat(TrustedProxies.parse(List.of("172.16.0.0/12")).contains(InetAddress.ofLiteral("172.31.255.255")))
                .isTrue();
        assertThat(TrustedProxies.parse(List.of("172.16.0.0/12")).contains(InetAddress.ofLiteral("172.32.0.0")))
                .isFalse();
    }

    @Test
    void walksRightToLeftSkippingTrustedHops() {
        assertThat(proxies.clientOf("10.0.0.1", xff("203.0.113.9"))).isEqualTo("203.0.113.9");
        // the client forged a left part; the balancer appended the real address on the right
        assertThat(proxies.clientOf("10.0.0.1", xff("1.1.1.1, 203.0.113.9, 10.1.1.1"))).isEqualTo("203.0.113.9");
        assertThat(proxies.clientOf("10.0.0.1", xff("1.1.1.1", "203.0.113.9 , 192.168.1.7"))).isEqualTo("203.0.113.9");
        assertThat(proxies.clientOf("10.0.0.1", xff("[2001:db8::1]:443"))).isEqualTo("2001:db8:0:0::/64");
        assertThat(proxies.clientOf("10.0.0.1", xff("2001:db8:0:0:ffff::7"))).isEqualTo("2001:db8:0:0::/64");
        assertThat(proxies.clientOf("10.0.0.1", xff("203.0.113.9:5000"))).isEqualTo("203.0.113.9");
    }

    @Test
    void neverBelievesGarbageOrAnEmptyHeader() {
        assertThat(proxies.clientOf("10.0.0.1", xff())).isEqualTo("10.0.0.1");
        assertThat(proxies.clientOf("10.0.0.1", xff(""))).isEqualTo("10.0.0.1");
        assertThat(proxies.clientOf("10.0.0.1", xff("203.0.113.9, evil.example"))).isEqualTo("10.0.0.1");
        assertThat(proxies.clientOf("10.0.0.1", xff("203.0.113.9, unknown, 10.0.0.2"))).isEqualTo("10.0.0.2");
        // every hop trusted: the leftmost
        assertThat(proxies.clientOf("10.0.0.1", xff("10.9.9.9, 10.0.0.2"))).isEqualTo("10.9.9.9");
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        assertThat(ClientIdentity.of(InetAddress.ofLiteral("203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(ClientIdentity.of(InetAddress.ofLiteral("2001:db8:aa:bb:1:2:3:4"))).isEqualTo("2001:db8:aa:bb::/64");
        assertThat(ClientIdentity.of(InetAddress.ofLiteral("2001:db8:aa:bb::99"))).isEqualTo("2001:db8:aa:bb::/64");
        assertThat(ClientIdentity.of(InetAddress.ofLiteral("::1"))).isEqualTo("0:0:0:0::/64");
    }

    @Test
    void badEntriesGiveOneLineErrors() {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("lb.example"))).hasMessage(
                "trusted-proxies: 'lb.example' is not an IP address or CIDR block");
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/33"))).hasMessage(
                "trusted-proxies: '10.0.0.0/33' has a prefix length outside 0..32");
        assertThat(TrustedProxies.parse(List.of(" ", "")).isEmpty()).isTrue();
    }
}
