package dev.grantflow.watcher.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form, evaluated in memory.
 *
 * <p>Supports the full syntax of {@code kubectl -l}: {@code k=v}, {@code k==v}, {@code k!=v},
 * {@code k in (a,b)}, {@code k notin (a,b)}, {@code k} (exists) and {@code !k} (does not exist), joined by commas
 * (AND). The watcher evaluates the selector itself instead of asking the API server to filter: a namespace that
 * loses its tenant label must reach the watcher as an update (to announce the tenant gone), and set-based selectors
 * then behave the same on every API server.
 */
public final class NamespaceSelector {

    private enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    private record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
            };
        }
    }

    private static final String KEY = "[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?";
    private static final String VALUE = "([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?";
    private static final Pattern SET_BASED = Pattern.compile("^(" + KEY + ")\\s+(in|notin)\\s*\\(([^)]*)\\)$");
    private static final Pattern EQUALITY = Pattern.compile("^(" + KEY + ")\\s*(==|=|!=)\\s*(" + VALUE + ")$");
    private static final Pattern EXISTS = Pattern.compile("^(!?)\\s*(" + KEY + ")$");
    private static final Pattern VALUE_ONLY = Pattern.compile("^" + VALUE + "$");

    private final String expression;
    private final List<Requirement> requirements;

    private NamespaceSelector(String expression, List<Requirement> requirements) {
        this.expression = expression;
        this.requirements = requirements;
    }

    /**
     * Parses a selector; an empty string selects every namespace.
     *
     * @throws IllegalArgumentException naming the offending requirement when the syntax is invalid
     */
    public static NamespaceSelector parse(String expression) {
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitRequirements(expression == null ? "" : expression)) {
            requirements.add(parseRequirement(part.trim(), expression));
        }
        return new NamespaceSelector(expression, List.copyOf(requirements));
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(r -> r.matches(actual));
    }

    @Override
    public String toString() {
        return expression;
    }

    /** Splits on commas that are not inside parentheses. */
    private static List<String> splitRequirements(String expression) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(expression.substring(start, i));
                start = i + 1;
            }
        }
        String last = expression.substring(start);
        if (!last.isBlank() || !parts.isEmpty()) {
            parts.add(last);
        }
        return parts;
    }

    private static Requirement parseRequirement(String part, String expression) {
        Matcher set = SET_BASED.matcher(part);
        if (set.matches()) {
            if (set.group(4).isBlank()) {
                throw invalid(part, expression, "'" + set.group(3) + "' needs at least one value");
            }
            Set<String> values = new LinkedHashSet<>();
            for (String value : set.group(4).split(",")) {
                String v = value.trim();
                if (!VALUE_ONLY.matcher(v).matches()) {
                    throw invalid(part, expression, "invalid value '" + v + "'");
                }
                values.add(v);
            }
            Operator op = set.group(3).equals("in") ? Operator.IN : Operator.NOT_IN;
            return new Requirement(set.group(1), op, Set.copyOf(values));
        }
        Matcher eq = EQUALITY.matcher(part);
        if (eq.matches()) {
            Operator op = eq.group(3).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
            return new Requirement(eq.group(1), op, Set.of(eq.group(4)));
        }
        Matcher exists = EXISTS.matcher(part);
        if (exists.matches()) {
            Operator op = exists.group(1).isEmpty() ? Operator.EXISTS : Operator.DOES_NOT_EXIST;
            return new Requirement(exists.group(2), op, Set.of());
        }
        throw invalid(part, expression, "not a label selector requirement");
    }

    private static IllegalArgumentException invalid(String part, String expression, String why) {
        return new IllegalArgumentException("Invalid label selector '" + expression + "' at '" + part + "': " + why);
    }
}
