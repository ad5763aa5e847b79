package dev.grantflow.grant.domain;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the Kubernetes API answered to a write that did not go through, or that no answer came: the facts a decision
 * needs, never object content. Built from kube-apiserver's {@code Status} body ({@code reason}, {@code message},
 * {@code details.kind}, {@code details.causes[].reason}, {@code details.retryAfterSeconds}) or, when the body is not
 * a Status (the plain-text 429 of the max-in-flight and priority-and-fairness filters), the code and the text, plus
 * the {@code Retry-After} header.
 *
 * @param operation   what was attempted, e.g. {@code create Secret alice/db} (kind, namespace and name only)
 * @param code        the HTTP status code; 0 when no answer came (timeout, connection refused or reset)
 * @param reason      the Status reason ({@code Forbidden}, {@code Invalid}, ...); for no answer the kind of failure
 *                    ({@code Timeout}, {@code ConnectException}, ...); never null
 * @param message     the Status message, the plain-text body or the failure's message; never null
 * @param detailsKind {@code details.kind}: the resource ({@code secrets}, {@code namespaces}) or kind; null if absent
 * @param causes      {@code details.causes[].reason}, e.g. {@code NamespaceTerminating}, {@code FieldValueInvalid}
 * @param retryAfter  how long the server asked the client to wait, or null
 */
public record ApiFailure(String operation, int code, String reason, String message, String detailsKind,
        List<String> causes, Duration retryAfter) {

    private static final String REDACTED = "<redacted>";
    /** Shorter values are not redacted: they would mangle ordinary words of a message. */
    private static final int MIN_REDACTED_LENGTH = 6;

    public ApiFailure {
        Objects.requireNonNull(operation);
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message.strip();
        causes = causes == null ? List.of() : List.copyOf(causes);
    }

    /**
     * The answer to a request: {@code status} is the body read as a Status (null when it is not one), {@code text}
     * the body as text (used when there is no Status), {@code retryAfterHeader} the header (or null).
     */
    public static ApiFailure answered(String operation, int code, Status status, String text, String retryAfterHeader,
            Instant now) {
        Duration header = retryAfter(retryAfterHeader, now);
        if (status == null) {
            String message = text == null || text.isBlank() ? "HTTP " + code : text;
            return new ApiFailure(operation, code, "", message, null, List.of(), header);
        }
        StatusDetails details = status.getDetails();
        Integer seconds = details == null ? null : details.getRetryAfterSeconds();
        Duration body = seconds == null || seconds <= 0 ? null : Duration.ofSeconds(seconds);
        List<String> causes = details == null || details.getCauses() == null ? List.of()
                : details.getCauses().stream().map(StatusCause::getReason).filter(Objects::nonNull).toList();
        return new ApiFailure(operation, code, status.getReason(), status.getMessage(),
                details == null ? null : details.getKind(), causes, longest(header, body));
    }

    /** No answer: a timeout, a refused or reset connection. */
    public static ApiFailure unanswered(String operation, String what, String message) {
        return new ApiFailure(operation, 0, what, message, null, List.of(), null);
    }

    /** {@code Retry-After} as seconds or as an HTTP date; null when absent, unreadable or not in the future. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            // an HTTP date, then
        }
        try {
            Duration until = Duration.between(now, ZonedDateTime.parse(header.trim(),
                    DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() || until.isZero() ? null : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** This failure with every occurrence of {@code values} (at least six characters long) in its message replaced. */
    public ApiFailure redacted(Collection<String> values) {
        String redacted = message;
        for (String value : values.stream().filter(v -> v != null && v.length() >= MIN_REDACTED_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            redacted = redacted.replace(value, REDACTED);
        }
        return new ApiFailure(operation, code, reason, redacted, detailsKind, causes, retryAfter);
    }

    /**
     * What happened, for messages and logs: {@code Kubernetes API answered 409 (AlreadyExists)}, or
     * {@code Kubernetes API gave no answer (Timeout)}.
     */
    public String answer() {
        if (code == 0) {
            return "Kubernetes API gave no answer (" + reason + ")";
        }
        return "Kubernetes API answered " + code + (reason.isEmpty() ? "" : " (" + reason + ")");
    }

    private static Duration longest(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }
}
