package dev.grantflow.admission.domain;

/** The request body is not an AdmissionReview we can answer (D9: answered with HTTP 400, never a crash). */
public final class MalformedReviewException extends Exception {

    public MalformedReviewException(String message) {
        super(message, null, false, false);
    }
}
