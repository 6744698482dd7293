package acme.inventory;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

/** A tiny HTTP server packed into a jar by AgentLabelsTest: answers every request with 200 {"ok": true}. */
public class EchoJar {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
        server.createContext("/", exchange -> {
            byte[] body = "{\"ok\": true}".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
