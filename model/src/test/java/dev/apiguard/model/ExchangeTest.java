package dev.apiguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExchangeTest {
    private record Conn(int n) implements ConnectionId {
        @Override
        public String describe() {
            return "conn " + n;
        }
    }

    private static Exchange exchange(ConnectionId connection, byte[] prefix) {
        return new Exchange("shop", Side.GATEWAY, "GET", "/a", 200, 10, 25, 1, 2, null, null, prefix, false, connection);
    }

    @Test
    void anExchangeAlwaysNamesItsConnection() {
        assertThatThrownBy(() -> exchange(null, new byte[0])).isInstanceOf(NullPointerException.class)
                .hasMessage("connection");
        assertThatThrownBy(() -> exchange(new Conn(1), null)).isInstanceOf(NullPointerException.class)
                .hasMessage("responsePrefix");
        assertThat(exchange(new Conn(1), new byte[0]).connection()).isEqualTo(new Conn(1));
    }

    @Test
    void durationIsNeverNegative() {
        assertThat(exchange(new Conn(1), new byte[0]).durationNanos()).isEqualTo(15);
        assertThat(new Exchange("s", Side.SERVER, "GET", "/", 200, 30, 25, 0, 0, null, null, new byte[0], false,
                new Conn(2)).durationNanos()).isZero();
    }

    @Test
    void theSidesAreTheMetricLabels() {
        assertThat(Side.values()).extracting(Side::label).containsExactly("server", "client", "gateway");
        assertThat(Exchange.RESPONSE_PREFIX_BYTES).isEqualTo(1024);
    }
}
