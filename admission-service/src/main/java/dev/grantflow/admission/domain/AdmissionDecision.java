package dev.grantflow.admission.domain;

import java.util.List;

/** The answer to one admission request, as a value. */
public sealed interface AdmissionDecision {

    AdmissionReason reason();

    /** Sent as {@code response.warnings}; shown by kubectl. Never contains env values. */
    List<String> warnings();

    /** Allowed without changes. */
    record Allow(AdmissionReason reason, List<String> warnings) implements AdmissionDecision {
        public Allow {
            warnings = List.copyOf(warnings);
        }

        public static Allow because(AdmissionReason reason) {
            return new Allow(reason, List.of());
        }
    }

    /** Rejected; {@code message} becomes {@code response.status.message}. */
    record Deny(AdmissionReason reason, String message, List<String> warnings) implements AdmissionDecision {
        public Deny {
            warnings = List.copyOf(warnings);
        }
    }

    /** Allowed with a JSON Patch (RFC 6902) that turns the request's object into the merged pod. */
    record Patch(List<PatchOperation> operations, List<String> warnings) implements AdmissionDecision {
        public Patch {
            operations = List.copyOf(operations);
            warnings = List.copyOf(warnings);
        }

        @Override
        public AdmissionReason reason() {
            return AdmissionReason.APPLIED;
        }
    }
}
