package dev.grantflow.model.kubernetes;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector compiled once into requirements and matched against label maps in memory: the one
 * selector engine of Grantflow (the admission webhook matches PodDefaults with it, the namespace watcher selects
 * tenant namespaces with it).
 *
 * <p>Two sources, one semantics (apimachinery's {@code metav1.LabelSelectorAsSelector} and {@code labels.Parse}):
 * <ul>
 *   <li>{@link #compile(LabelSelector)}: {@code matchLabels} are equality requirements, {@code matchExpressions}
 *       support {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist} (case-sensitive; {@code In} and
 *       {@code NotIn} need values, {@code Exists} and {@code DoesNotExist} must have none);</li>
 *   <li>{@link #parse(String)}: the string form of {@code kubectl -l}: {@code k=v}, {@code k==v}, {@code k!=v},
 *       {@code k in (a,b)}, {@code k notin (a,b)}, {@code k} (exists) and {@code !k} (does not exist), joined by
 *       commas.</li>
 * </ul>
 * All requirements are ANDed; {@code !=}, {@code NotIn} and {@code DoesNotExist} match objects lacking the key; an
 * empty selector matches everything. Keys and values are checked with {@link KubernetesNames}; an invalid selector
 * throws {@link InvalidLabelSelectorException} naming the offending part.
 *
 * <p>A {@code null} {@link LabelSelector} compiles to the empty selector (matches everything): Kubeflow's PodDefault
 * type holds its selector by value, so an absent selector behaves as the empty one. Callers that want "absent
 * selects nothing" must decide that before compiling.
 *
 * <p>Matching allocates nothing and compiles nothing: compile once (per PodDefault, per configuration) and keep the
 * instance; it is immutable and thread-safe.
 */
public final class CompiledLabelSelector {

    private enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    private record Requirement(String key, Operator operator, Set<String> values) {

        boolean matches(Map<String, String> labels) {
            return switch (operator) {
                case EQUALS, IN -> {
                    String value = labels.get(key);
                    yield value != null && values.contains(value);
                }
                case NOT_EQUALS, NOT_IN -> {
                    String value = labels.get(key);
                    yield value == null || !values.contains(value);
                }
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
            };
        }

        /** The requirement in the string form, as {@code labels.Selector.String()} writes it. */
        @Override
        public String toString() {
            return switch (operator) {
                case EQUALS -> key + "=" + values.iterator().next();
                case NOT_EQUALS -> key + "!=" + values.iterator().next();
                case IN -> key + " in (" + String.join(",", new TreeSet<>(values)) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", new TreeSet<>(values)) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }
    }

    private static final CompiledLabelSelector EVERYTHING = new CompiledLabelSelector(new Requirement[0]);

    /** {@code key in (v1, v2)} or {@code key notin (...)}; the key and the values are checked afterwards. */
    private static final Pattern SET_BASED = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)");

    private final Requirement[] requirements;

    private CompiledLabelSelector(Requirement[] requirements) {
        this.requirements = requirements;
    }

    /** The empty selector: matches every label map. */
    public static CompiledLabelSelector everything() {
        return EVERYTHING;
    }

    /**
     * Compiles a {@link LabelSelector}; {@code null} and the empty selector match everything.
     *
     * @throws InvalidLabelSelectorException with a message that starts with {@code matchLabels: } or
     *                                       {@code matchExpressions: } and names the bad key, value or operator
     */
    public static CompiledLabelSelector compile(LabelSelector selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        // Sorted, so that the first problem reported does not depend on the map's order.
        Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : new TreeMap<>(selector.getMatchLabels());
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            String problem = KubernetesNames.labelKeyProblem(e.getKey())
                    .or(() -> KubernetesNames.labelValueProblem(e.getValue()))
                    .orElse(null);
            if (problem != null) {
                throw new InvalidLabelSelectorException("matchLabels: " + problem);
            }
            requirements.add(new Requirement(e.getKey(), Operator.EQUALS, Set.of(e.getValue() == null ? "" : e.getValue())));
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (LabelSelectorRequirement expression : expressions) {
            requirements.add(compile(expression));
        }
        return of(requirements);
    }

    private static Requirement compile(LabelSelectorRequirement expression) {
        if (expression == null) {
            throw new InvalidLabelSelectorException("matchExpressions: null entry");
        }
        String key = expression.getKey();
        KubernetesNames.labelKeyProblem(key).ifPresent(problem -> {
            throw new InvalidLabelSelectorException("matchExpressions: " + problem);
        });
        List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
        String op = expression.getOperator();
        Operator operator;
        if ("In".equals(op)) {
            operator = Operator.IN;
        } else if ("NotIn".equals(op)) {
            operator = Operator.NOT_IN;
        } else if ("Exists".equals(op)) {
            operator = Operator.EXISTS;
        } else if ("DoesNotExist".equals(op)) {
            operator = Operator.DOES_NOT_EXIST;
        } else {
            throw new InvalidLabelSelectorException("matchExpressions: \"" + op + "\" is not a valid label selector operator "
                    + "(expected In, NotIn, Exists or DoesNotExist)");
        }
        if ((operator == Operator.IN || operator == Operator.NOT_IN) && values.isEmpty()) {
            throw new InvalidLabelSelectorException("matchExpressions: key \"" + key
                    + "\": for 'In', 'NotIn' operators, values set can't be empty");
        }
        if ((operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) && !values.isEmpty()) {
            throw new InvalidLabelSelectorException("matchExpressions: key \"" + key
                    + "\": values set must be empty for 'Exists' and 'DoesNotExist'");
        }
        Set<String> set = new LinkedHashSet<>();
        for (String value : values) {
            KubernetesNames.labelValueProblem(value).ifPresent(problem -> {
                throw new InvalidLabelSelectorException("matchExpressions: key \"" + key + "\": " + problem);
            });
            set.add(value == null ? "" : value);
        }
        return new Requirement(key, operator, Set.copyOf(set));
    }

    /**
     * Parses the string form; {@code null}, {@code ""} and blanks match everything.
     *
     * @throws InvalidLabelSelectorException {@code Invalid label selector '<expression>' at '<requirement>': <why>}
     */
    public static CompiledLabelSelector parse(String expression) {
        String text = expression == null ? "" : expression;
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitRequirements(text)) {
            requirements.add(parseRequirement(part.trim(), text));
        }
        return of(requirements);
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
        if (part.isEmpty()) {
            throw invalid(part, expression, "empty requirement");
        }
        Matcher set = SET_BASED.matcher(part);
        if (set.matches()) {
            String key = checkedKey(set.group(1), part, expression);
            Operator operator = set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN;
            if (set.group(3).isBlank()) {
                throw invalid(part, expression, "'" + set.group(2) + "' needs at least one value");
            }
            Set<String> values = new LinkedHashSet<>();
            for (String value : set.group(3).split(",", -1)) {
                values.add(checkedValue(value.trim(), part, expression));
            }
            return new Requirement(key, operator, Set.copyOf(values));
        }
        int eq = part.indexOf('=');
        if (eq >= 0) {
            boolean not = eq > 0 && part.charAt(eq - 1) == '!';
            String key = checkedKey(part.substring(0, not ? eq - 1 : eq).trim(), part, expression);
            int valueStart = !not && part.startsWith("=", eq + 1) ? eq + 2 : eq + 1;
            String value = checkedValue(part.substring(valueStart).trim(), part, expression);
            return new Requirement(key, not ? Operator.NOT_EQUALS : Operator.EQUALS, Set.of(value));
        }
        if (part.startsWith("!")) {
            return new Requirement(checkedKey(part.substring(1).trim(), part, expression), Operator.DOES_NOT_EXIST, Set.of());
        }
        return new Requirement(checkedKey(part, part, expression), Operator.EXISTS, Set.of());
    }

    private static String checkedKey(String key, String part, String expression) {
        KubernetesNames.labelKeyProblem(key).ifPresent(problem -> {
            throw invalid(part, expression, problem);
        });
        return key;
    }

    private static String checkedValue(String value, String part, String expression) {
        KubernetesNames.labelValueProblem(value).ifPresent(problem -> {
            throw invalid(part, expression, problem);
        });
        return value;
    }

    private static InvalidLabelSelectorException invalid(String part, String expression, String why) {
        return new InvalidLabelSelectorException("Invalid label selector '" + expression + "' at '" + part + "': " + why);
    }

    private static CompiledLabelSelector of(List<Requirement> requirements) {
        return requirements.isEmpty() ? EVERYTHING : new CompiledLabelSelector(requirements.toArray(new Requirement[0]));
    }

    /** Whether every requirement holds for {@code labels}; {@code null} labels are no labels. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        for (Requirement requirement : requirements) {
            if (!requirement.matches(actual)) {
                return false;
            }
        }
        return true;
    }

    /** Whether this is the empty selector, which matches every label map. */
    public boolean matchesEverything() {
        return requirements.length == 0;
    }

    /**
     * The selector as a {@link LabelSelector} that {@link #compile} reads back to an equivalent selector: equality
     * requirements as {@code matchLabels}, the others as {@code matchExpressions} ({@code !=} as {@code NotIn} with one
     * value). What a selector given in the string form is sent as (e.g. a grant's {@code tenantSelector}).
     */
    public LabelSelector toLabelSelector() {
        Map<String, String> matchLabels = new TreeMap<>();
        List<LabelSelectorRequirement> expressions = new ArrayList<>();
        for (Requirement requirement : requirements) {
            List<String> values = new ArrayList<>(new TreeSet<>(requirement.values()));
            switch (requirement.operator()) {
                case EQUALS -> matchLabels.put(requirement.key(), values.get(0));
                case NOT_EQUALS, NOT_IN -> expressions.add(new LabelSelectorRequirement(requirement.key(), "NotIn",
                        values));
                case IN -> expressions.add(new LabelSelectorRequirement(requirement.key(), "In", values));
                case EXISTS -> expressions.add(new LabelSelectorRequirement(requirement.key(), "Exists", null));
                case DOES_NOT_EXIST -> expressions.add(new LabelSelectorRequirement(requirement.key(), "DoesNotExist",
                        null));
            }
        }
        return new LabelSelector(expressions.isEmpty() ? null : expressions, matchLabels.isEmpty() ? null : matchLabels);
    }

    /** The selector in the string form ({@link #parse} reads it back to an equivalent selector). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Requirement requirement : requirements) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(requirement);
        }
        return sb.toString();
    }
}
