package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.apiguard.testkit.RealParts;

/** A Go HTTPS server (crypto/tls, HTTP/1.1 only), built with Debian's golang-go for the test. */
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

    /** Builds the server into {@code dir}; returns the binary (with its .symtab: not stripped). */
    static Path buildServer(Path dir) throws Exception {
        return buildServer(dir, "gotls", false);
    }

    /** With {@code stripped}, linked without .symtab (-ldflags=-s -w). */
    static Path buildServer(Path dir, String name, boolean stripped) throws Exception {
        Path go = RealParts.requireBinary("go");
        Path source = dir.resolve("main.go");
        Files.writeString(source, SERVER);
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
