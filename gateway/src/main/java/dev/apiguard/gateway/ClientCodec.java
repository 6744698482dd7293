package dev.apiguard.gateway;

import java.util.function.BooleanSupplier;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * The client side's HTTP/1 codec: HttpServerCodec's decoder and encoder, but the encoder learns
 * whether it answers a HEAD from the proxy ({@code head}), not from a queue of the methods decoded.
 * Proxied responses bypass this encoder as bytes (FrontendHandler), so such a queue would grow by
 * one per request and, worse, tell a later local response the method of an older request.
 */
final class ClientCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

    ClientCodec(HttpDecoderConfig config, BooleanSupplier head) {
        init(new HttpRequestDecoder(config), new HttpResponseEncoder() {
            @Override
            protected boolean isContentAlwaysEmpty(HttpResponse msg) {
                return head.getAsBoolean() || super.isContentAlwaysEmpty(msg);
            }
        });
    }
}
