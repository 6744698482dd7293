package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract's gRPC table, code by code (docs/architecture.md, "gRPC (HTTP/2)"). */
class GrpcVerdictsTest {

    @Test
    void everyCodeMapsAsTheContractSays() {
        String[] expected = {
            "ok", "generic_business_error", "ok", "validation", "ok", "not_found", "validation", "auth_failure",
            "rate_limit", "validation", "generic_business_error", "validation", "ok", "ok", "ok", "ok", "auth_failure"};
        for (int code = 0; code <= 16; code++) {
            Verdict v = GrpcVerdicts.verdict(code, 200);
            String got = v instanceof Verdict.BusinessError e ? e.type().label() : "ok";
            assertThat(got).as("grpc-status %d", code).isEqualTo(expected[code]);
            if (v instanceof Verdict.BusinessError e) {
                assertThat(e.silent()).isTrue();
                assertThat(e.severity()).isEqualTo(SeverityPolicy.defaultFor(e.type()));
            }
        }
        // System errors are no business verdict, and not silent: their status is a 5xx.
        assertThat(GrpcVerdicts.verdict(14, 503)).isEqualTo(new Verdict.Ok(false));
        assertThat(GrpcVerdicts.verdict(0, 200)).isEqualTo(new Verdict.Ok(true));
        assertThat(GrpcVerdicts.verdict(99, 500)).isEqualTo(new Verdict.Ok(false));
    }
}
