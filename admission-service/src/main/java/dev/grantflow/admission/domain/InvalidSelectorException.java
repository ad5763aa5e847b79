package dev.grantflow.admission.domain;

/** A PodDefault selector that cannot be converted into a label selector (unknown operator, bad label syntax...). */
public final class InvalidSelectorException extends Exception {

    public InvalidSelectorException(String message) {
        super(message, null, false, false);
    }
}
