package dev.grantflow.model.grant;

import java.util.Objects;
import java.util.Optional;

/**
 * The Kafka key of a grant and of its status: {@code <tenant>/<grant>}.
 *
 * <p>Parsing is syntactic only (exactly one '/', non-empty sides): whether the parts are valid Kubernetes names is
 * decided by {@link GrantValidationPolicy}. Neither a namespace nor a DNS subdomain may contain '/', so the split is
 * unambiguous for every valid grant.
 *
 * @param tenant the tenant namespace
 * @param name   the grant name
 */
public record GrantKey(String tenant, String name) {

    public static final char SEPARATOR = '/';

    public GrantKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
    }

    /** Parses {@code <tenant>/<grant>}; empty for {@code null}, a missing or repeated '/', or an empty side. */
    public static Optional<GrantKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        int slash = key.indexOf(SEPARATOR);
        if (slash <= 0 || slash == key.length() - 1 || key.indexOf(SEPARATOR, slash + 1) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new GrantKey(key.substring(0, slash), key.substring(slash + 1)));
    }

    /** The Kafka key, {@code <tenant>/<grant>}. */
    public String format() {
        return tenant + SEPARATOR + name;
    }

    @Override
    public String toString() {
        return format();
    }
}
