package dev.apiguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.apiguard.model.ConnectionId;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.semantics.Verdict;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

/** /api/v1/endpoints says per endpoint whether its exchanges travelled inside TLS. */
class EndpointTransportTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ApiMetrics metrics = new ApiMetrics(registry);
    private static final ConnectionId CONNECTION = () -> "test connection";

    private void record(String path, Side side, boolean tls, int n) {
        for (int i = 0; i < n; i++) {
            metrics.record(new Exchange("shop", side, "GET", path, 200, 0, 1_000, 10, 10, "application/json", null,
                    new byte[0], false, CONNECTION, tls), path, new Verdict.Ok(true));
        }
    }

    @Test
    void transportIsTlsPlainOrMixedPerEndpointAndSide() {
        record("/secure", Side.SERVER, true, 3);
        record("/secure", Side.CLIENT, true, 2);
        record("/open", Side.SERVER, false, 4);
        record("/both", Side.SERVER, true, 1);
        record("/both", Side.SERVER, false, 1);
        Map<String, String> transport = EndpointsView.from(registry.scrape()).stream()
                .collect(Collectors.toMap(e -> e.path() + " " + e.side(), EndpointsView.Endpoint::transport));
        assertThat(transport).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/secure server", "tls", "/secure client", "tls", "/open server", "plain", "/both server", "mixed"));
        assertThat(EndpointsView.json(EndpointsView.from(registry.scrape()))).contains("\"transport\":\"tls\"", "\"transport\":\"plain\"");
        List<Long> requests = EndpointsView.from(registry.scrape()).stream().map(EndpointsView.Endpoint::requests).toList();
        assertThat(requests.stream().mapToLong(Long::longValue).sum()).isEqualTo(11);
    }
}
