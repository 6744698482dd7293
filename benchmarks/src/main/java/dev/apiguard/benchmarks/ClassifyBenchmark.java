package dev.apiguard.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import dev.apiguard.model.Exchange;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.ResponseSample;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Verdicts per second on one thread: a typical 300 B JSON success body, the same size as a silent
 * business error, a gzip body cut at the 1 KiB capture limit, and the plain body with user rules.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClassifyBenchmark {
    /** 300 bytes: a user resource with a nested address and a list, the common 200 OK. */
    static final String PLAIN_300 = "{\"id\":48213,\"object\":\"customer\",\"name\":\"Ada Lovelace\","
            + "\"email\":\"ada@example.com\",\"status\":\"active\",\"created\":1718000000,"
            + "\"address\":{\"line1\":\"12 Analytical Way\",\"city\":\"London\",\"postal_code\":\"N1 9GU\",\"country\":\"GB\"},"
            + "\"tags\":[\"vip\",\"beta\",\"newsletter\"],\"balance\":1250,\"currency\":\"gbp\",\"delinquent\":false }";

    static final String ERROR_300 = "{\"ok\":false,\"error\":\"invalid_auth\",\"warning\":\"missing_charset\","
            + "\"response_metadata\":{\"messages\":[\"[WARN] A Content-Type HTTP header was presented but did not "
            + "declare a charset, such as a 'utf-8'\",\"[ERROR] token is revoked or invalid\"]},\"request_id\":"
            + "\"c0d5e1f2-3a4b-5c6d-7e8f-901234567890\",\"pad\":\"xxxx\"}";

    private final Classifier builtIn = Classifiers.builtIn();
    private final Classifier withRules = Classifiers.create(SemanticsConfig.parse("""
            rules:
              - name: shop-declines
                routes: ["/api/v1/checkout*"]
                when: {pointer: "/result/status", equals: "DECLINED"}
                type: payment_failure
              - name: health-is-fine
                routes: ["/health"]
                when: {pointer: "/status", in: ["degraded"]}
                not-an-error: true
            """));

    private final ResponseSample plain = json(PLAIN_300, null);
    private final ResponseSample error = json(ERROR_300, null);
    private final ResponseSample gzipTruncated = buildGzipTruncated1k();

    @Benchmark
    public Verdict plain300() {
        return builtIn.classify(plain);
    }

    @Benchmark
    public Verdict silentError300() {
        return builtIn.classify(error);
    }

    @Benchmark
    public Verdict gzipTruncated1k() {
        return builtIn.classify(gzipTruncated);
    }

    /** The issue-14 families, each a short body of its kind: what one verdict costs beside plain300. */
    private final ResponseSample wrappedDecline = sample(200, "application/json",
            "{\"id\":\"8ac7a4a1\",\"paymentType\":\"DB\",\"result\":{\"code\":\"800.100.151\","
            + "\"description\":\"transaction declined (invalid card)\"},\"timestamp\":\"2024-01-01 00:00:00\"}");
    private final ResponseSample graphqlUserErrors = sample(200, "application/json",
            "{\"data\":{\"productCreate\":{\"product\":null,\"userErrors\":[{\"field\":[\"title\"],"
            + "\"message\":\"Title can't be blank\"}]}}}");
    private final ResponseSample bulkItems = sample(200, "application/json",
            "{\"took\":30,\"errors\":true,\"items\":[{\"index\":{\"_id\":\"1\",\"status\":201}},"
            + "{\"index\":{\"_id\":\"2\",\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\","
            + "\"reason\":\"failed to parse\"}}}]}");
    private final ResponseSample xmlRpcFault = sample(200, "text/xml",
            "<?xml version=\"1.0\"?><methodResponse><fault><value><struct><member><name>faultCode</name>"
            + "<value><int>4</int></value></member><member><name>faultString</name><value><string>Too many "
            + "parameters.</string></value></member></struct></value></fault></methodResponse>");
    private final ResponseSample formFailure = sample(200, "application/x-www-form-urlencoded",
            "ACK=Failure&L_ERRORCODE0=10002&L_SHORTMESSAGE0=Security%20error&L_LONGMESSAGE0=Security%20header%20is%20not%20valid");
    private final ResponseSample multipartBatch = sample(200, "multipart/mixed; boundary=batch_1",
            "--batch_1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
            + "{\"kind\":\"storage#object\"}\r\n--batch_1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 404 Not Found\r\n"
            + "Content-Type: application/json\r\n\r\n{\"error\":{\"code\":404,\"message\":\"No such object\"}}\r\n--batch_1--");

    @Benchmark
    public Verdict wrappedDecline() {
        return builtIn.classify(wrappedDecline);
    }

    @Benchmark
    public Verdict graphqlUserErrors() {
        return builtIn.classify(graphqlUserErrors);
    }

    @Benchmark
    public Verdict bulkItems() {
        return builtIn.classify(bulkItems);
    }

    @Benchmark
    public Verdict xmlRpcFault() {
        return builtIn.classify(xmlRpcFault);
    }

    @Benchmark
    public Verdict formFailure() {
        return builtIn.classify(formFailure);
    }

    @Benchmark
    public Verdict multipartBatch() {
        return builtIn.classify(multipartBatch);
    }

    private static ResponseSample sample(int status, String contentType, String body) {
        return new ResponseSample("/api/v1/x", status, contentType, null, body.getBytes(StandardCharsets.UTF_8), false);
    }

    @Benchmark
    public Verdict plain300WithUserRules() {
        return withRules.classify(plain);
    }

    private static ResponseSample json(String body, String route) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != 300) {
            throw new IllegalStateException("benchmark body must be 300 bytes, is " + bytes.length);
        }
        return new ResponseSample("/api/v1/customers/{id}", 200, "application/json; charset=utf-8", null, bytes, false);
    }

    /** A list response of ~20 KB, gzipped, cut at the 1 KiB the agent captures. */
    private static ResponseSample buildGzipTruncated1k() {
        StringBuilder body = new StringBuilder("{\"object\":\"list\",\"has_more\":true,\"data\":[");
        for (int i = 0; i < 200; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"ord_").append(100000 + i * 7919 % 99991)
                    .append("\",\"amount\":").append(1000 + (i * 37) % 5000).append(",\"status\":\"paid\",\"sku\":\"SKU-")
                    .append(i * 13 % 997).append("\"}");
        }
        body.append("]}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] prefix = Arrays.copyOf(out.toByteArray(), Exchange.RESPONSE_PREFIX_BYTES);
        return new ResponseSample("/api/v1/orders", 200, "application/json", "gzip", prefix, true);
    }
}
