package io.modelcycle.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcycle.http.ErrorMapper;
import io.modelcycle.http.HttpException;
import io.modelcycle.http.LocalContext;
import io.modelcycle.http.Route;
import io.modelcycle.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback HTTP gateway: what API Gateway's HTTP API does for the Lambdas on AWS, for handlers running in this
 * process. Each request becomes a payload 2.0 event (lower-cased headers, cookies apart, decoded query parameters,
 * the body as text or base64, a request context with method, path, source IP, request id and time) and goes to the
 * {@link GatewayTarget} whose route matches its method and path; the handler's response (status, headers,
 * multi-value headers, cookies, body, base64 or not) becomes the HTTP response. Unrouted paths get the same 404/405
 * error body the handlers give.
 *
 * <p>It binds {@code 127.0.0.1} only: it authenticates nobody, so it must not be reachable from other machines. It
 * vouches for the local user as the caller (the IAM authorizer's user ARN in the event), which is what the audit log
 * records as the actor of changes made through it.
 *
 * <p>Start one with {@link #start}; {@link #close} stops it and waits for requests in flight.
 */
public final class LocalGateway implements AutoCloseable {

    /** API Gateway's payload limit: larger requests get 413 before any handler sees them. */
    public static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    static {
        // Without TCP_NODELAY, a small response waits for the client's delayed ACK (~40 ms on Linux): one client
        // on loopback then gets about 20 requests per second instead of thousands. Read once, by the JDK server's
        // configuration class, so it must be set before the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final Router<GatewayTarget> router;
    private final String actor;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();

    private LocalGateway(HttpServer server, ExecutorService workers, Router<GatewayTarget> router, String actor) {
        this.server = server;
        this.workers = workers;
        this.router = router;
        this.actor = actor;
    }

    /**
     * Starts a gateway on {@code 127.0.0.1}.
     *
     * @param port    the port, or 0 for a free one ({@link #port()} tells which)
     * @param actor   who the gateway says is calling (recorded in the audit log), e.g. {@code local:alice}
     * @param targets the handlers and their routes
     * @throws IllegalArgumentException when two targets claim the same route, or there are none
     * @throws UncheckedIOException     when the port cannot be bound (in use, not permitted)
     */
    public static LocalGateway start(int port, String actor, List<GatewayTarget> targets) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor is required");
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("the gateway needs at least one target");
        }
        Router<GatewayTarget> router = new Router<>();
        for (GatewayTarget target : targets) {
            for (Route route : target.routes()) {
                // The router refuses a route that clashes with another one (same method and template shape).
                router.add(route.method(), route.template(), target);
            }
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        int size = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        ExecutorService workers = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "gateway-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LocalGateway gateway = new LocalGateway(server, workers, router, actor);
        server.createContext("/", gateway::exchange);
        server.setExecutor(workers);
        server.start();
        return gateway;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}, without a trailing slash. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Every route served, in the form {@code POST /models/{name}/predict}. */
    public List<Route> routes() {
        return router.routes();
    }

    /** Requests answered since start. */
    public long requestCount() {
        return requests.get();
    }

    /** Answers the requests in flight (for up to five seconds), then stops listening and closes every connection. */
    @Override
    public void close() {
        // HttpServer.stop(n) waits the full n seconds while idle keep-alive connections are open; wait for the
        // requests themselves instead, then stop at once.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void exchange(HttpExchange exchange) {
        inFlight.incrementAndGet();
        try {
            answer(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            APIGatewayV2HTTPResponse response;
            try {
                response = dispatch(exchange, requestId);
            } catch (RuntimeException | LinkageError e) {
                // Handlers map their own errors; what gets here is the gateway's routing answer (404, 405, 413) or
                // a handler that broke (a bug, a class missing from the class path): a 500 with the request id,
                // never a dropped connection, and the detail in the log.
                if (ErrorMapper.isFault(e)) {
                    LOG.error("gateway failed on {} {} (request {})", exchange.getRequestMethod(),
                            exchange.getRequestURI(), requestId, e);
                }
                response = ErrorMapper.toResponse(e, requestId);
            }
            try {
                write(exchange, response, requestId);
            } catch (RuntimeException e) {
                LOG.error("handler response to {} {} cannot be sent (request {})", exchange.getRequestMethod(),
                        exchange.getRequestURI(), requestId, e);
                write(exchange, ErrorMapper.toResponse(e, requestId), requestId);
            }
            requests.incrementAndGet();
        } catch (IOException e) {
            // The client went away mid-response: nothing to answer.
            LOG.debug("client connection closed during request {}", requestId, e);
        }
    }

    private APIGatewayV2HTTPResponse dispatch(HttpExchange exchange, String requestId) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Router.Match<GatewayTarget> match = router.match(method, rawPath);
        GatewayTarget target = match.target();
        byte[] body = readBody(exchange.getRequestBody());
        APIGatewayV2HTTPEvent event = toEvent(exchange, method, uri, rawPath, body, requestId);
        LocalContext context = LocalContext.of(UUID.randomUUID().toString(), target.function());
        APIGatewayV2HTTPResponse response = target.handler().handleRequest(event, context);
        if (response == null) {
            throw new IllegalStateException("handler '" + target.function() + "' returned no response");
        }
        return response;
    }

    APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, String method, URI uri, String rawPath, byte[] body,
                                  String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                // Payload 2.0 moves cookies out of the headers into their own list.
                for (String value : h.getValue()) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.strip());
                        }
                    }
                }
            } else {
                headers.merge(name, String.join(",", h.getValue()), (a, b) -> a + "," + b);
            }
        }
        Instant now = Instant.now();
        InetSocketAddress remote = exchange.getRemoteAddress();

        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        http.setPath(rawPath);
        http.setProtocol(exchange.getProtocol());
        http.setSourceIp(remote == null ? "127.0.0.1" : remote.getAddress().getHostAddress());
        http.setUserAgent(headers.getOrDefault("user-agent", ""));

        APIGatewayV2HTTPEvent.RequestContext.IAM iam = new APIGatewayV2HTTPEvent.RequestContext.IAM();
        iam.setUserArn(actor);
        iam.setUserId(actor);
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setIam(iam);

        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAccountId("000000000000");
        context.setApiId("local");
        context.setDomainName(headers.getOrDefault("host", "127.0.0.1:" + port()));
        context.setDomainPrefix("local");
        context.setRequestId(requestId);
        context.setRouteKey("$default");
        context.setStage("$default");
        context.setTime(REQUEST_TIME.format(now));
        context.setTimeEpoch(now.toEpochMilli());
        context.setHttp(http);
        context.setAuthorizer(authorizer);

        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("$default");
        event.setRawPath(rawPath);
        event.setRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        event.setQueryStringParameters(queryParameters(uri.getRawQuery()));
        event.setHeaders(headers);
        event.setCookies(cookies.isEmpty() ? null : cookies);
        event.setRequestContext(context);
        if (body.length > 0) {
            String text = isTextual(headers.get("content-type")) ? utf8(body) : null;
            event.setIsBase64Encoded(text == null);
            event.setBody(text != null ? text : Base64.getEncoder().encodeToString(body));
        }
        return event;
    }

    /** Decoded query parameters; repeated names joined with commas, as API Gateway does; null when there are none. */
    static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpException(400, "MALFORMED_QUERY", "query string part '" + s + "' is not valid URL encoding",
                    Map.of());
        }
    }

    /** API Gateway passes these as text and base64-encodes everything else. */
    static boolean isTextual(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript")
                || type.startsWith("application/x-www-form-urlencoded") || type.contains("yaml");
    }

    /** The bytes as UTF-8 text, or null when they are not valid UTF-8 (then the body goes base64-encoded). */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            throw HttpException.payloadTooLarge(body.length, MAX_REQUEST_BYTES);
        }
        return body;
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response, String requestId)
            throws IOException {
        byte[] body = responseBody(response);
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        Headers out = exchange.getResponseHeaders();
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> {
                if (values != null) {
                    values.forEach(v -> out.add(name, v));
                }
            });
        }
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> {
                if (value != null) {
                    out.set(name, value);
                }
            });
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(c -> out.add("Set-Cookie", c));
        }
        out.set("apigw-requestid", requestId);
        boolean noBody = status == 204 || status == 304 || status < 200
                || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        if (noBody) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        if (!out.containsKey("Content-Type") && body.length > 0) {
            out.set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    private static byte[] responseBody(APIGatewayV2HTTPResponse response) {
        String body = response.getBody();
        if (body == null || body.isEmpty()) {
            return new byte[0];
        }
        if (response.getIsBase64Encoded()) {
            try {
                return Base64.getMimeDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                // What API Gateway does with a Lambda's malformed response: a 502 to the caller.
                throw new IllegalStateException("the handler returned a body marked base64 that is not base64", e);
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "LocalGateway[" + url() + ", " + Objects.requireNonNull(router).routes().size() + " routes]";
    }
}
