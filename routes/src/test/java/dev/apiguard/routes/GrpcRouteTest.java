package dev.apiguard.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A gRPC call's route is its method's full name, exactly: the contract's {@code /package.Service/Method}. */
class GrpcRouteTest {
    private final RouteNormalizer routes = RouteNormalizer.create(RoutesConfig.defaults());

    @Test
    void aMethodKeepsItsCaseAndIsNeverTemplated() {
        assertThat(routes.grpcRoute("orders", "/shop.v1.OrderService/GetOrder")).isEqualTo("/shop.v1.OrderService/GetOrder");
        // Long CamelCase names would look like tokens to the HTTP templater; a method name is no secret.
        assertThat(routes.grpcRoute("orders", "/shop.v1.OrderService/ListRecommendedProductsForCustomerAccount"))
                .isEqualTo("/shop.v1.OrderService/ListRecommendedProductsForCustomerAccount");
        // The same path as plain HTTP gets the HTTP route (case folded by default): the two are kept apart.
        assertThat(routes.route("orders", "/shop.v1.OrderService/GetOrder")).isEqualTo("/shop.v1.orderservice/getorder");
        assertThat(routes.grpcRoute("orders", "/shop.v1.OrderService/GetOrder")).isEqualTo("/shop.v1.OrderService/GetOrder");
    }

    @Test
    void aPathThatIsNoMethodNameIsRoutedAsHttpAndBadPathsAreRefused() {
        assertThat(routes.grpcRoute("orders", "/users/12345/orders")).isEqualTo(routes.route("orders", "/users/12345/orders"));
        assertThat(routes.grpcRoute("orders", "/a%2Fb/C")).isEqualTo(RouteNormalizer.REFUSED_ROUTE);
    }

    @Test
    void methodsShareTheServicesRouteBudget() {
        RouteNormalizer small = RouteNormalizer.create(new RoutesConfig(List.of(), 2));
        assertThat(small.grpcRoute("s", "/p.S/A")).isEqualTo("/p.S/A");
        assertThat(small.grpcRoute("s", "/p.S/B")).isEqualTo("/p.S/B");
        assertThat(small.grpcRoute("s", "/p.S/C")).isEqualTo(RouteNormalizer.OVERFLOW_ROUTE);
        assertThat(small.grpcRoute("s", "/p.S/C")).isEqualTo(RouteNormalizer.OVERFLOW_ROUTE);
        assertThat(small.overflowCounts()).containsEntry("s", 2L);
    }
}
