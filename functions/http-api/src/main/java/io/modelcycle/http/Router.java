package io.modelcycle.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Matches a request's method and raw path against {@link Route}s. Literal segments win over parameters, so
 * {@code /models/{name}/audit/verify} is never taken for a parameter. A path that matches no template is a 404; a
 * path that matches one under another method is a 405 with the allowed methods, so a caller can tell a typo in
 * the path from a wrong verb.
 *
 * @param <H> what a route leads to, e.g. an {@link Endpoint}
 */
public final class Router<H> {

    /** A matched route, its target and its decoded path parameters. */
    public record Match<H>(Route route, H target, Map<String, String> pathParameters) {
        public Match {
            pathParameters = Collections.unmodifiableMap(new LinkedHashMap<>(pathParameters));
        }
    }

    private final Map<Route, H> routes = new LinkedHashMap<>();

    /** Adds a route; the same method and template twice is a programming error. */
    public Router<H> add(String method, String template, H target) {
        Route route = new Route(method, template);
        for (Route existing : routes.keySet()) {
            if (existing.method().equals(route.method()) && shape(existing).equals(shape(route))) {
                throw new IllegalArgumentException(route + " clashes with " + existing);
            }
        }
        routes.put(route, target);
        return this;
    }

    /** Every route, in the order added. */
    public List<Route> routes() {
        return List.copyOf(routes.keySet());
    }

    /**
     * The route for {@code method} and {@code rawPath} (percent-encoded, as API Gateway passes it).
     *
     * @throws HttpException 404 when no template matches the path, 405 when one does under another method,
     *                       400 when a segment's percent-encoding is broken
     */
    public Match<H> match(String method, String rawPath) {
        String verb = method == null ? "" : method.toUpperCase(Locale.ROOT);
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (!path.startsWith("/")) {
            throw HttpException.routeNotFound(verb, path);
        }
        List<String> segments = Route.segments(path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        Match<H> best = null;
        int bestLiterals = -1;
        Set<String> allowed = new LinkedHashSet<>();
        for (Map.Entry<Route, H> entry : routes.entrySet()) {
            Route route = entry.getKey();
            Map<String, String> params = bind(route.segments(), segments);
            if (params == null) {
                continue;
            }
            if (!route.method().equals(verb)) {
                allowed.add(route.method());
                continue;
            }
            int literals = literalCount(route);
            if (literals > bestLiterals) {
                best = new Match<>(route, entry.getValue(), params);
                bestLiterals = literals;
            }
        }
        if (best != null) {
            return best;
        }
        if (!allowed.isEmpty()) {
            throw HttpException.methodNotAllowed(verb, path, allowed);
        }
        throw HttpException.routeNotFound(verb, path);
    }

    private static Map<String, String> bind(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String p = path.get(i);
            if (p.isEmpty()) {
                return null;
            }
            if (t.startsWith("{")) {
                params.put(t.substring(1, t.length() - 1), decode(p));
            } else if (!t.equals(p)) {
                return null;
            }
        }
        return params;
    }

    private static int literalCount(Route route) {
        return (int) route.segments().stream().filter(s -> !s.startsWith("{")).count();
    }

    private static List<String> shape(Route route) {
        List<String> shape = new ArrayList<>();
        for (String s : route.segments()) {
            shape.add(s.startsWith("{") ? "{}" : s);
        }
        return shape;
    }

    /** Percent-decodes one segment; unlike form decoding, '+' stays '+'. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); ) {
            int c = segment.codePointAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length() || Character.digit(segment.charAt(i + 1), 16) < 0
                        || Character.digit(segment.charAt(i + 2), 16) < 0) {
                    throw new HttpException(400, "MALFORMED_PATH", "path segment '" + segment
                            + "' has a broken percent-encoding", Map.of());
                }
                out.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                out.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
