package dev.grantflow.admission.domain;

import dev.grantflow.model.kubernetes.CompiledLabelSelector;

/**
 * A PodDefault's selector as the cache keeps it: its JSON text (for messages, and the identity under which
 * identical selectors of different PodDefaults are shared), compiled, or the reason it cannot be.
 *
 * @param compiled {@code null} exactly when {@code error} is set
 */
record PodDefaultSelector(String text, CompiledLabelSelector compiled, String error) {

    /** Equal when the JSON text is: the compiled form and the error follow from it. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PodDefaultSelector other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
