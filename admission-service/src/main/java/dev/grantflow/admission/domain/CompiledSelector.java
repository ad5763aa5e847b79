package dev.grantflow.admission.domain;

import dev.grantflow.model.kubernetes.KubernetesNames;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A label selector converted once into a list of requirements, with the semantics of apimachinery's
 * {@code metav1.LabelSelectorAsSelector}: matchLabels are equality requirements, matchExpressions support
 * {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist} (case-sensitive), all requirements are ANDed,
 * {@code NotIn}/{@code DoesNotExist} match objects lacking the key, and an empty selector matches everything.
 *
 * <p>Kubeflow's PodDefault type holds the selector by value, so an absent selector behaves as the empty one
 * (matches every pod); {@link #compile(LabelSelector)} treats {@code null} the same way.
 */
public final class CompiledSelector {

    enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    record Requirement(String key, Operator operator, Set<String> values) {

        boolean matches(Map<String, String> labels) {
            return switch (operator) {
                case IN -> labels.containsKey(key) && values.contains(labels.get(key));
                case NOT_IN -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
            };
        }
    }

    private static final CompiledSelector EVERYTHING = new CompiledSelector(List.of());

    private final List<Requirement> requirements;

    private CompiledSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /** Converts a selector, or explains why it cannot be converted. */
    public static CompiledSelector compile(LabelSelector selector) throws InvalidSelectorException {
        if (selector == null) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : new TreeMap<>(selector.getMatchLabels());
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            String problem = KubernetesNames.labelKeyProblem(e.getKey())
                    .or(() -> KubernetesNames.labelValueProblem(e.getValue()))
                    .orElse(null);
            if (problem != null) {
                throw new InvalidSelectorException("matchLabels: " + problem);
            }
            requirements.add(new Requirement(e.getKey(), Operator.IN, Set.of(e.getValue() == null ? "" : e.getValue())));
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (LabelSelectorRequirement expr : expressions) {
            requirements.add(compile(expr));
        }
        return requirements.isEmpty() ? EVERYTHING : new CompiledSelector(List.copyOf(requirements));
    }

    private static Requirement compile(LabelSelectorRequirement expr) throws InvalidSelectorException {
        if (expr == null) {
            throw new InvalidSelectorException("matchExpressions: null entry");
        }
        String key = expr.getKey();
        String keyProblem = KubernetesNames.labelKeyProblem(key).orElse(null);
        if (keyProblem != null) {
            throw new InvalidSelectorException("matchExpressions: " + keyProblem);
        }
        List<String> values = expr.getValues() == null ? List.of() : expr.getValues();
        String op = expr.getOperator();
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
            throw new InvalidSelectorException("matchExpressions: \"" + op + "\" is not a valid label selector operator "
                    + "(expected In, NotIn, Exists or DoesNotExist)");
        }
        if ((operator == Operator.IN || operator == Operator.NOT_IN) && values.isEmpty()) {
            throw new InvalidSelectorException("matchExpressions: key \"" + key + "\": for 'In', 'NotIn' operators, values set can't be empty");
        }
        if ((operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) && !values.isEmpty()) {
            throw new InvalidSelectorException("matchExpressions: key \"" + key + "\": values set must be empty for 'Exists' and 'DoesNotExist'");
        }
        for (String v : values) {
            String valueProblem = KubernetesNames.labelValueProblem(v).orElse(null);
            if (valueProblem != null) {
                throw new InvalidSelectorException("matchExpressions: key \"" + key + "\": " + valueProblem);
            }
        }
        return new Requirement(key, operator, Set.copyOf(values.stream().map(v -> v == null ? "" : v).toList()));
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    public boolean matchesEverything() {
        return requirements.isEmpty();
    }

    @Override
    public String toString() {
        return requirements.toString();
    }
}
