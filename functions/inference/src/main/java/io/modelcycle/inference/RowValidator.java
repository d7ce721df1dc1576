package io.modelcycle.inference;

import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.FeatureType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks request rows against a model's schema and turns them into values in schema order, the form
 * {@link io.modelcycle.djl.TabularModel#predictValues} takes. Strict on purpose: a misspelt feature silently treated
 * as missing, or a number sent as a string, hides a bug upstream. Every problem of every row is reported (up to
 * {@value #MAX_ERRORS}), each on field {@code instances[i].feature}:
 * <ul>
 *   <li>a key that is not a feature → unknown feature;</li>
 *   <li>a feature absent from the row → missing (a missing <em>value</em> is sent as JSON {@code null}; the model
 *       imputes it as it did in training);</li>
 *   <li>numeric features take JSON numbers only, finite ({@code 1e999} overflows to infinity and is refused; JSON has
 *       no NaN, and the strings {@code "NaN"} or {@code "Infinity"} are not numbers);</li>
 *   <li>categorical features take strings from the allowed values only.</li>
 * </ul>
 * Immutable and thread-safe; built once per loaded model, so the per-request work is map lookups.
 */
public final class RowValidator {

    /** Most field errors reported for one request: enough to fix a caller, small enough for a response. */
    public static final int MAX_ERRORS = 100;

    private final List<Feature> features;
    private final String[] names;
    private final boolean[] numeric;
    private final List<Set<String>> allowed;
    private final Map<String, Integer> position;
    private final String modelName;

    public RowValidator(String modelName, FeatureSchema schema) {
        this.modelName = modelName;
        this.features = schema.features();
        int n = features.size();
        this.names = new String[n];
        this.numeric = new boolean[n];
        this.allowed = new ArrayList<>(n);
        this.position = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            Feature f = features.get(i);
            names[i] = f.name();
            numeric[i] = f.type() == FeatureType.NUMERIC;
            allowed.add(Set.copyOf(f.allowedValues()));
            position.put(f.name(), i);
        }
    }

    /**
     * The rows as values in schema order ({@code Double} for numeric, {@code String} for categorical, null when
     * missing).
     *
     * @throws ValidationException naming every bad field as {@code instances[i].feature}
     */
    public List<List<Object>> validate(List<Map<String, Object>> rows) {
        List<List<Object>> out = new ArrayList<>(rows.size());
        List<FieldError> errors = null;
        int more = 0;
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Object> row = rows.get(r);
            if (row == null) {
                errors = add(errors, "instances[" + r + "]", "must be a JSON object of feature name to value, not null");
                continue;
            }
            Object[] values = new Object[names.length];
            int known = 0;
            for (int i = 0; i < names.length; i++) {
                Object v = row.get(names[i]);
                if (v == null) {
                    if (row.containsKey(names[i])) {
                        known++;
                    } else {
                        errors = add(errors, field(r, names[i]), "is missing: every feature of model '" + modelName
                                + "' must be present; send null for a missing value");
                    }
                    continue;
                }
                known++;
                String problem = numeric[i] ? checkNumber(v) : checkCategory(v, i);
                if (problem != null) {
                    errors = add(errors, field(r, names[i]), problem);
                } else {
                    values[i] = numeric[i] ? (Object) ((Number) v).doubleValue() : v;
                }
            }
            if (known < row.size()) {
                for (String key : row.keySet()) {
                    if (!position.containsKey(key)) {
                        errors = add(errors, field(r, key), "is not a feature of model '" + modelName
                                + "'; its features are " + Arrays.toString(names));
                    }
                }
            }
            if (errors == null) {
                out.add(Arrays.asList(values));
            }
            if (errors != null && errors.size() >= MAX_ERRORS) {
                more = rows.size() - r - 1;
                break;
            }
        }
        if (errors != null) {
            if (errors.size() > MAX_ERRORS) {
                errors = new ArrayList<>(errors.subList(0, MAX_ERRORS));
            }
            if (more > 0) {
                errors.add(new FieldError("instances", "only the first " + MAX_ERRORS + " problems are listed; "
                        + more + " more rows were not checked"));
            }
            throw new ValidationException(errors);
        }
        return out;
    }

    private static String checkNumber(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? null : "must be a finite number, got " + d
                    + " (NaN and infinity are not accepted; send null for a missing value)";
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return null;
        }
        if (v instanceof BigInteger || v instanceof BigDecimal) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? null : "must be a finite number, got " + abbreviate(v.toString())
                    + ", which is out of range";
        }
        if (v instanceof String s) {
            String t = s.strip();
            if (t.equalsIgnoreCase("nan") || t.toLowerCase(java.util.Locale.ROOT).contains("infinity")) {
                return "must be a finite JSON number, got the string '" + abbreviate(s)
                        + "' (NaN and infinity are not accepted; send null for a missing value)";
            }
            return "must be a JSON number, got the string '" + abbreviate(s) + "'";
        }
        return "must be a JSON number, got " + describe(v);
    }

    private String checkCategory(Object v, int i) {
        if (v instanceof String s) {
            return allowed.get(i).contains(s) ? null : "'" + abbreviate(s) + "' is not one of the allowed values "
                    + features.get(i).allowedValues();
        }
        return "must be a string, one of " + features.get(i).allowedValues() + ", got " + describe(v);
    }

    private static String describe(Object v) {
        if (v instanceof Boolean) {
            return "a boolean (" + v + ")";
        }
        if (v instanceof Number) {
            return "a number (" + abbreviate(v.toString()) + ")";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof Map) {
            return "an object";
        }
        return "a " + v.getClass().getSimpleName();
    }

    private static List<FieldError> add(List<FieldError> errors, String field, String message) {
        List<FieldError> list = errors == null ? new ArrayList<>() : errors;
        list.add(new FieldError(field, message));
        return list;
    }

    private static String field(int row, String name) {
        return "instances[" + row + "]." + name;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** The feature names in schema order. */
    public List<String> featureNames() {
        return List.of(names);
    }
}
