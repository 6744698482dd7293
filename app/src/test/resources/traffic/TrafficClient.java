import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A traffic client for apiguard's integration tests, run as its own process (the agent never
 * traces its own JVM). Prints one line: "statuses {200=3, 404=1}".
 *
 *   get URL COUNT             java.net.http.HttpClient, HTTP/1.1 keep-alive
 *   post URL COUNT BYTES      the same with a request body
 *   pipeline HOST PORT PATH COUNT   COUNT requests in one write on a raw socket, responses read in order
 *   loop HOST PORT PATH COUNT       COUNT sequential keep-alive requests on one raw socket
 */
public class TrafficClient {
    public static void main(String[] args) throws Exception {
        Map<Integer, Integer> statuses = new TreeMap<>();
        switch (args[0]) {
            case "get", "post" -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                int count = Integer.parseInt(args[2]);
                for (int i = 0; i < count; i++) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(args[1])).timeout(Duration.ofSeconds(10));
                    if (args[0].equals("post")) {
                        request.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[Integer.parseInt(args[3])]))
                                .header("Content-Type", "application/octet-stream");
                    }
                    HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                }
            }
            case "pipeline", "loop" -> {
                String host = args[1];
                int port = Integer.parseInt(args[2]);
                String path = args[3];
                int count = Integer.parseInt(args[4]);
                byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: traffic-client\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                try (Socket socket = new Socket(host, port)) {
                    socket.setSoTimeout(10_000);
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
                    if (args[0].equals("pipeline")) {
                        ByteArrayOutputStream all = new ByteArrayOutputStream();
                        for (int i = 0; i < count; i++) {
                            all.write(request);
                        }
                        out.write(all.toByteArray());
                        out.flush();
                        for (int i = 0; i < count; i++) {
                            statuses.merge(readResponse(in), 1, Integer::sum);
                        }
                    } else {
                        for (int i = 0; i < count; i++) {
                            out.write(request);
                            out.flush();
                            statuses.merge(readResponse(in), 1, Integer::sum);
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.out.println("statuses " + statuses);
    }

    /** Reads one response with a Content-Length body; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        for (long skipped = 0; skipped < length; ) {
            long n = in.skip(length - skipped);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                n = 1;
            }
            skipped += n;
        }
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-headers");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
