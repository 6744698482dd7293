package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.apiguard.testkit.RealParts;

/** Go HTTPS peers (crypto/tls, HTTP/1.1 only), built with Debian's golang-go for the tests. */
final class GoTls {
    private GoTls() {}

    static final String SERVER = """
            package main

            import (
            \t"crypto/tls"
            \t"fmt"
            \t"net/http"
            \t"os"
            )

            func main() {
            \tsrv := &http.Server{Addr: "127.0.0.1:" + os.Args[1], TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
            \t\tHandler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
            \t\t\tw.Header().Set("Content-Type", "application/json")
            \t\t\tfmt.Fprint(w, `{"ok":false,"error":"denied"}`)
            \t\t})}
            \tfmt.Println("ready")
            \tif err := srv.ListenAndServeTLS(os.Args[2], os.Args[3]); err != nil {
            \t\tfmt.Println(err)
            \t}
            }
            """;

    /**
     * A keep-alive client: waits for a line on stdin (so that a test can wait for its probes first),
     * then GETs base URL + each path in turn on one connection and prints status and body length.
     */
    static final String CLIENT = """
            package main

            import (
            	"bufio"
            	"crypto/tls"
            	"fmt"
            	"io"
            	"net/http"
            	"os"
            )

            func main() {
            	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
            		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}
            	c := &http.Client{Transport: tr}
            	bufio.NewReader(os.Stdin).ReadString('\\n')
            	for _, p := range os.Args[2:] {
            		r, err := c.Get(os.Args[1] + p)
            		if err != nil {
            			fmt.Println(err)
            			os.Exit(1)
            		}
            		n, _ := io.Copy(io.Discard, r.Body)
            		r.Body.Close()
            		fmt.Println(r.StatusCode, n)
            	}
            	tr.CloseIdleConnections()
            }
            """;

    /** Builds the server into {@code dir}; returns the binary (with its .symtab: not stripped). */
    static Path buildServer(Path dir) throws Exception {
        return buildServer(dir, "gotls", false);
    }

    /** With {@code stripped}, linked without .symtab (-ldflags=-s -w). */
    static Path buildServer(Path dir, String name, boolean stripped) throws Exception {
        return build(dir, name, SERVER, stripped);
    }

    /** Builds {@code program} into {@code dir}/{@code name}. */
    static Path build(Path dir, String name, String program, boolean stripped) throws Exception {
        Path go = RealParts.requireBinary("go");
        Path source = Files.createDirectories(dir.resolve(name + "-src")).resolve("main.go");
        Files.writeString(source, program);
        Path binary = dir.resolve(name);
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(go.toString(), "build", "-o", binary.toString()));
        if (stripped) {
            command.add("-ldflags=-s -w");
        }
        command.add(source.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("go-build.log").toFile());
        builder.environment().put("GOCACHE", dir.resolve("gocache").toString());
        builder.environment().put("GO111MODULE", "off");
        builder.environment().put("GOFLAGS", "");
        Process p = builder.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("go-build.log"))).isZero();
        return binary;
    }
}
