package dev.dockwright.notes;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves the banner packaged in the jar (a classpath resource) on GET /. */
public final class Server {
    public static void main(String[] args) throws IOException {
        byte[] banner;
        try (InputStream in = Server.class.getResourceAsStream("/banner.txt")) {
            banner = in.readAllBytes();
        }
        String home = System.getProperty("user.home");
        byte[] body = (new String(banner, StandardCharsets.UTF_8).trim() + ", home=" + home + "\n")
                .getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(9090), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }
}
