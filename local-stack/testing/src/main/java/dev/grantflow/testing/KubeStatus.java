package dev.grantflow.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code Status} bodies kube-apiserver answers a refused request with, built the way apimachinery's
 * {@code k8s.io/apimachinery/pkg/api/errors} constructors build them (same messages, reasons, details and field
 * order: {@code kind, apiVersion, metadata, status, message, reason, details{name, group, kind, causes
 * [{reason, message, field}], retryAfterSeconds}, code}), so tests can answer requests exactly as a real API server
 * does. The fabric8 mock API server answers none of these.
 *
 * <p>{@code resource} is the lower-case plural ({@code secrets}); {@code group} is empty for the core group. In
 * messages the resource is qualified ({@code poddefaults.kubeflow.org}); invalid-object messages use the kind
 * ({@code Secret}, {@code PodDefault.kubeflow.org}).
 *
 * @param code the HTTP status code, also written as {@code code}
 * @param json the body
 */
public record KubeStatus(int code, String json) {

    /** One {@code details.causes[]} entry; {@code reason} is a cause type such as {@code FieldValueInvalid}. */
    public record Cause(String reason, String message, String field) {
    }

    /** A field error as apimachinery's {@code field.Error}: {@code <field>: <body>} in messages. */
    public record FieldError(String type, String field, String body) {

        /** {@code field.Invalid(path, value, detail)}: {@code Invalid value: "<value>": <detail>}. */
        public static FieldError invalid(String field, String value, String detail) {
            return new FieldError("FieldValueInvalid", field, "Invalid value: " + quote(value) + ": " + detail);
        }

        /** {@code field.Required(path, "")}: {@code Required value}. */
        public static FieldError required(String field) {
            return new FieldError("FieldValueRequired", field, "Required value");
        }

        /** The immutable-field refusal of {@code ValidateImmutableField}. */
        public static FieldError immutable(String field, String newValue) {
            return invalid(field, newValue, "field is immutable");
        }

        String error() {
            return field + ": " + body;
        }
    }

    /** {@code errors.NewForbidden}: 403, reason {@code Forbidden}, e.g. an RBAC denial. */
    public static KubeStatus forbidden(String group, String resource, String name, String why) {
        String subject = name.isEmpty() ? qualified(group, resource) : qualified(group, resource) + " " + quote(name);
        return of(403, "Forbidden", subject + " is forbidden: " + why, details(name, group, resource, List.of(), 0));
    }

    /** The RBAC denial kube-apiserver gives a service account without the verb on the resource. */
    public static KubeStatus rbacDenied(String group, String resource, String name, String verb, String namespace,
            String user) {
        return forbidden(group, resource, name, "User " + quote(user) + " cannot " + verb + " resource "
                + quote(resource) + " in API group " + quote(group) + " in the namespace " + quote(namespace));
    }

    /**
     * The NamespaceLifecycle admission plugin refusing a create in a namespace being deleted: 403 {@code Forbidden}
     * with the cause {@code NamespaceTerminating}.
     */
    public static KubeStatus namespaceTerminating(String group, String resource, String name, String namespace) {
        String subject = qualified(group, resource) + " " + quote(name);
        return of(403, "Forbidden", subject + " is forbidden: unable to create new content in namespace " + namespace
                + " because it is being terminated", details(name, group, resource, List.of(new Cause(
                        "NamespaceTerminating", "namespace " + namespace + " is being terminated",
                        "metadata.namespace")), 0));
    }

    /** {@code errors.NewInvalid}: 422, reason {@code Invalid}, one cause per field error. */
    public static KubeStatus invalid(String group, String kind, String name, List<FieldError> errors) {
        String aggregate = errors.size() == 1 ? errors.get(0).error()
                : "[" + String.join(", ", errors.stream().map(FieldError::error).toList()) + "]";
        List<Cause> causes = errors.stream().map(e -> new Cause(e.type(), e.body(), e.field())).toList();
        return of(422, "Invalid", qualified(group, kind) + " " + quote(name) + " is invalid: " + aggregate,
                details(name, group, kind, causes, 0));
    }

    /** {@code errors.NewBadRequest}: 400, reason {@code BadRequest}, no details. */
    public static KubeStatus badRequest(String message) {
        return of(400, "BadRequest", message, null);
    }

    /** {@code errors.NewConflict}: 409, reason {@code Conflict}. */
    public static KubeStatus conflict(String group, String resource, String name, String why) {
        return of(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource) + " " + quote(name)
                + ": " + why, details(name, group, resource, List.of(), 0));
    }

    /** The optimistic-lock refusal of an update on a stale resourceVersion. */
    public static KubeStatus modified(String group, String resource, String name) {
        return conflict(group, resource, name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    /**
     * A delete whose preconditions do not hold (storage's {@code Preconditions.Check}, wrapped by the registry into a
     * conflict): {@code what} is {@code UID} or {@code ResourceVersion}.
     */
    public static KubeStatus preconditionFailed(String group, String resource, String namespace, String name,
            String what, String expected, String actual) {
        String key = "/registry/" + (group.isEmpty() ? "" : group + "/") + resource + "/" + namespace + "/" + name;
        return conflict(group, resource, name, "StorageError: invalid object, Code: 4, Key: " + key
                + ", ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: " + what + " in precondition: "
                + expected + ", " + what + " in object meta: " + actual);
    }

    /** {@code errors.NewAlreadyExists}: 409, reason {@code AlreadyExists}. */
    public static KubeStatus alreadyExists(String group, String resource, String name) {
        return of(409, "AlreadyExists", qualified(group, resource) + " " + quote(name) + " already exists",
                details(name, group, resource, List.of(), 0));
    }

    /** {@code errors.NewNotFound}: 404, reason {@code NotFound}; for a missing namespace the resource is namespaces. */
    public static KubeStatus notFound(String group, String resource, String name) {
        return of(404, "NotFound", qualified(group, resource) + " " + quote(name) + " not found",
                details(name, group, resource, List.of(), 0));
    }

    /** {@code errors.NewTooManyRequests}: 429, reason {@code TooManyRequests}, {@code details.retryAfterSeconds}. */
    public static KubeStatus tooManyRequests(String message, int retryAfterSeconds) {
        return of(429, "TooManyRequests", message, details("", "", "", List.of(), retryAfterSeconds));
    }

    /** {@code errors.NewInternalError}: 500, reason {@code InternalError}. */
    public static KubeStatus internalError(String error) {
        return of(500, "InternalError", "Internal error occurred: " + error,
                details("", "", "", List.of(new Cause("", error, "")), 0));
    }

    /** {@code errors.NewServiceUnavailable}: 503, reason {@code ServiceUnavailable}, no details. */
    public static KubeStatus serviceUnavailable(String message) {
        return of(503, "ServiceUnavailable", message, null);
    }

    /** {@code errors.NewTimeoutError}: 504, reason {@code Timeout}. */
    public static KubeStatus timeout(String message, int retryAfterSeconds) {
        return of(504, "Timeout", "Timeout: " + message, details("", "", "", List.of(), retryAfterSeconds));
    }

    /** The plain-text body of the max-in-flight and priority-and-fairness filters' 429 (with a Retry-After header). */
    public static final String TOO_MANY_REQUESTS_TEXT = "Too many requests, please try again later.\n";

    private static KubeStatus of(int code, String reason, String message, ObjectNode details) {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message).put("reason", reason);
        if (details != null) {
            status.set("details", details);
        }
        status.put("code", code);
        return new KubeStatus(code, status.toString());
    }

    /** Go's {@code omitempty}: empty strings, empty lists and zero are left out. */
    private static ObjectNode details(String name, String group, String kind, List<Cause> causes, int retryAfter) {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        putIfNotEmpty(details, "name", name);
        putIfNotEmpty(details, "group", group);
        putIfNotEmpty(details, "kind", kind);
        if (!causes.isEmpty()) {
            ArrayNode array = details.putArray("causes");
            for (Cause cause : causes) {
                ObjectNode node = array.addObject();
                putIfNotEmpty(node, "reason", cause.reason());
                putIfNotEmpty(node, "message", cause.message());
                putIfNotEmpty(node, "field", cause.field());
            }
        }
        if (retryAfter > 0) {
            details.put("retryAfterSeconds", retryAfter);
        }
        return details;
    }

    private static void putIfNotEmpty(ObjectNode node, String key, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(key, value);
        }
    }

    private static String qualified(String group, String resourceOrKind) {
        return group.isEmpty() ? resourceOrKind : resourceOrKind + "." + group;
    }

    /** Go's {@code %q} for the plain names and values used here. */
    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
