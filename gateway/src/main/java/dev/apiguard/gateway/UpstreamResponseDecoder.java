package dev.apiguard.gateway;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Netty's response decoder for what {@link RawResponseScanner} does not read itself. It learns that
 * a response answers a HEAD from the scanner's flag, not from a queue of the requests encoded
 * (HttpClientCodec's): responses the scanner reads never reach this decoder, so such a queue would
 * fall out of step.
 */
final class UpstreamResponseDecoder extends HttpResponseDecoder {
    private final RawResponseScanner scanner;

    UpstreamResponseDecoder(HttpDecoderConfig config, RawResponseScanner scanner) {
        super(config);
        this.scanner = scanner;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            if (code >= 100 && code < 200) {
                return super.isContentAlwaysEmpty(msg); // an interim response: the final one follows
            }
        }
        return scanner.headRequest || super.isContentAlwaysEmpty(msg);
    }
}
