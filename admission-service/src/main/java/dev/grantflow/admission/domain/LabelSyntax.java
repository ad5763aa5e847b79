package dev.grantflow.admission.domain;

import dev.grantflow.model.kubernetes.KubernetesNames.Rule;
import java.util.Optional;

/**
 * Kubernetes label key and value syntax (apimachinery {@code validation.IsQualifiedName} and
 * {@code IsValidLabelValue}), as sentences naming the offending key or value. The rules themselves are the model's
 * {@link Rule#LABEL_KEY} and {@link Rule#LABEL_VALUE}.
 */
final class LabelSyntax {

    private LabelSyntax() {
    }

    static Optional<String> keyProblem(String key) {
        return Rule.LABEL_KEY.check(key).map(p -> "key \"" + (key == null ? "" : key) + "\": " + p.message());
    }

    static Optional<String> valueProblem(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Rule.LABEL_VALUE.check(value).map(p -> "value \"" + value + "\": " + p.message());
    }
}
