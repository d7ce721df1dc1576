package io.modelcycle.local.cli;

import io.modelcycle.local.cli.Command.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A verb's command line: {@code --name value} options (or {@code --name=value}), flags, and positional arguments,
 * checked against what the verb accepts so that a typo is an error naming it, not an ignored option.
 */
final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Options() {
    }

    /**
     * @param args    the arguments after the verb
     * @param valued  options that take a value (without {@code --})
     * @param flags   options without a value
     */
    static Options parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name) && value == null) {
                    o.values.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    o.values.put(name, value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                o.positional.add(a);
            }
        }
        return o;
    }

    String get(String name) {
        return values.get(name);
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int intValue(String name, int otherwise, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not '" + v + "'");
        }
    }

    List<String> positional() {
        return positional;
    }

    /** Exactly the named positional arguments; the error names the missing one or the first extra one. */
    List<String> positional(String... names) throws UsageException {
        if (positional.size() > names.length) {
            throw new UsageException("unexpected argument '" + positional.get(names.length) + "'");
        }
        if (positional.size() < names.length) {
            throw new UsageException("missing <" + names[positional.size()] + ">");
        }
        return positional;
    }

    /** A version number argument. */
    static int version(String s) throws UsageException {
        String v = s.startsWith("v") ? s.substring(1) : s;
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("version must be a positive number (like 2 or v2), not '" + s + "'");
        }
    }
}
