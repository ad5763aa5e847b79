package dev.grantflow.model.kubernetes;

/**
 * A label selector that cannot be compiled: an unknown operator, a wrong number of values, or a key or value that
 * breaks Kubernetes' label syntax. The message names the offending part.
 *
 * <p>It carries no stack trace: an invalid selector is bad input, not a bug, and the admission webhook may meet the
 * same invalid PodDefault on every informer event.
 */
public final class InvalidLabelSelectorException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidLabelSelectorException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
