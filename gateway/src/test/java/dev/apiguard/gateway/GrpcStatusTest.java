package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.apiguard.semantics.Verdict;

class GrpcStatusTest {

    @ParameterizedTest
    @CsvSource({
        // code, http status, outcome, error_type (empty: none)
        "0, 200, SUCCESS,",
        "14, 503, SERVER_ERROR,", "13, 500, SERVER_ERROR,", "2, 500, SERVER_ERROR,", "15, 500, SERVER_ERROR,",
        "4, 504, SERVER_ERROR,", "12, 501, SERVER_ERROR,", "99, 500, SERVER_ERROR,",
        "5, 404, BUSINESS_ERROR, not_found",
        "3, 400, BUSINESS_ERROR, validation", "9, 400, BUSINESS_ERROR, validation", "11, 400, BUSINESS_ERROR, validation",
        "6, 409, BUSINESS_ERROR, validation",
        "16, 401, BUSINESS_ERROR, auth_failure", "7, 403, BUSINESS_ERROR, auth_failure",
        "8, 429, BUSINESS_ERROR, rate_limit",
        "10, 409, BUSINESS_ERROR, generic_business_error", "1, 499, BUSINESS_ERROR, generic_business_error",
    })
    void mapsEachCodeAsTheContractSays(int code, int http, Outcome outcome, String type) {
        GrpcStatus s = GrpcStatus.of(Integer.toString(code));
        assertThat(s.httpStatus()).isEqualTo(http);
        assertThat(s.outcome()).isEqualTo(outcome);
        if (type == null) {
            assertThat(s.verdict()).isInstanceOf(Verdict.Ok.class);
        } else {
            assertThat(s.verdict()).isInstanceOfSatisfying(Verdict.BusinessError.class, e -> {
                assertThat(e.type().label()).isEqualTo(type);
                assertThat(e.silent()).isTrue();
            });
            assertThat(s.outcome(false)).isEqualTo(Outcome.SUCCESS); // grpc.business-codes-trip: false
        }
        assertThat(s.outcome(true)).isEqualTo(outcome);
    }

    @ParameterizedTest
    @CsvSource({"''", "abc", "' '"})
    void aMissingOrGarbledStatusIsNoSignal(String value) {
        assertThat(GrpcStatus.of(value)).isNull();
    }

    @org.junit.jupiter.api.Test
    void grpcMessageIsPercentEncoded() {
        assertThat(H2StreamProxy.percentEncode("route /a.B/C: open (100%) é"))
                .isEqualTo("route /a.B/C: open (100%25) %C3%A9");
    }
}
