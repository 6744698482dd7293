package dev.apiguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which Host and Origin values each kind of listen address accepts (the servers' tests cover the wire). */
class SameOriginTest {
    private static AdminHttpServer.SameOrigin listen(String host, List<String> extra) {
        return new AdminHttpServer.SameOrigin(host, new InetSocketAddress(host, 9466), extra);
    }

    @Test
    void aLoopbackListenAcceptsTheLoopbackNamesOnItsPortOnly() {
        var check = listen("127.0.0.1", List.of());
        for (String ok : List.of("127.0.0.1:9466", "localhost:9466", "LocalHost:9466", "[::1]:9466")) {
            assertThat(check.allows(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("127.0.0.1", "127.0.0.1:9467", "evil.example:9466", "10.0.0.1:9466", "localhost.evil.example:9466",
                "[::1", "::1:9466", "127.0.0.1:x", "")) {
            assertThat(check.allows(bad)).as(bad).isFalse();
        }
        assertThat(check.refusal("127.0.0.1:9466", null)).isNull();
        assertThat(check.refusal("127.0.0.1:9466", "http://localhost:9466")).isNull();
        assertThat(check.refusal(null, null)).contains("Host");
        assertThat(check.refusal("127.0.0.1:9466", "http://evil.example")).contains("Origin");
        assertThat(check.refusal("127.0.0.1:9466", "https://127.0.0.1:9466")).contains("Origin");
        assertThat(check.refusal("127.0.0.1:9466", "null")).contains("Origin");
        assertThat(check.refusal("127.0.0.1:9466", "http://127.0.0.1:9466/x")).contains("Origin");
    }

    @Test
    void aWildcardListenAcceptsIpLiteralsAndListedNamesButNoOtherName() {
        var check = listen("0.0.0.0", List.of("gw1.internal", "proxy.internal:443"));
        for (String ok : List.of("10.1.2.3:9466", "[fe80::1]:9466", "localhost:9466", "gw1.internal:9466", "proxy.internal:443")) {
            assertThat(check.allows(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("evil.example:9466", "gw1.internal:443", "proxy.internal:9466", "10.1.2.3:80")) {
            assertThat(check.allows(bad)).as(bad).isFalse();
        }
    }

    @Test
    void aListenNamedByHostNameAcceptsThatName() {
        var named = listen("localhost", List.of());
        assertThat(named.allows("localhost:9466")).isTrue();
        assertThat(named.allows("127.0.0.1:9466")).isTrue();
        assertThat(named.allows("evil.example:9466")).isFalse();
    }
}
