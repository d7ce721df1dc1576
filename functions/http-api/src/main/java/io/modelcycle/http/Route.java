package io.modelcycle.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A method and a path template: literal segments and {@code {name}} parameters, each matching exactly one
 * non-empty path segment. {@code toString()} is the API Gateway route key, e.g. {@code GET /models/{name}}.
 *
 * @param method   upper-case HTTP method
 * @param template the path template, starting with {@code /}
 */
public record Route(String method, String template) {

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        method = method.toUpperCase(Locale.ROOT);
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + template);
        }
        for (String segment : segments(template)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("empty segment in path template " + template);
            }
            if (segment.contains("{") && !(segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2)) {
                throw new IllegalArgumentException("a parameter must fill a whole segment: " + template);
            }
        }
    }

    /** The template's segments, without the leading slash; {@code "/"} has none. */
    List<String> segments() {
        return segments(template);
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>(List.of(path.substring(1).split("/", -1)));
        if (out.size() == 1 && out.get(0).isEmpty()) {
            out.clear();
        }
        return out;
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
