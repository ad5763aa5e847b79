package dev.grantflow.model.grant;

import java.util.Objects;
import java.util.Optional;

/**
 * The Kafka key of a grant and of its status: {@code <tenant>/<grant>}.
 *
 * <p>Selector grants (docs/design.md, "Selector grants") use {@value #ANY_TENANT} as the tenant: {@code &#42;/<grant>}
 * is the selector grant itself, and {@code <tenant>/*<grant>} its copy in one tenant (the unit grant-service
 * reconciles and reports per tenant). Neither a namespace nor a grant name may contain '*', so these never collide
 * with a grant to one tenant.
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
    /** The tenant part of a selector grant's key. */
    public static final String ANY_TENANT = "*";
    /** What starts the name part of a selector grant's copy in one tenant. */
    public static final String COPY_PREFIX = "*";

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

    /** The key of the selector grant {@code name}: {@code &#42;/<name>}. */
    public static GrantKey selector(String name) {
        return new GrantKey(ANY_TENANT, name);
    }

    /** This is a selector grant's key, {@code &#42;/<name>}. */
    public boolean isSelector() {
        return ANY_TENANT.equals(tenant);
    }

    /** This is the key of a selector grant's copy in one tenant, {@code <tenant>/*<name>}. */
    public boolean isCopy() {
        return !isSelector() && name.startsWith(COPY_PREFIX) && name.length() > COPY_PREFIX.length();
    }

    /** The copy of this selector grant in {@code namespace}: {@code <namespace>/*<name>}. */
    public GrantKey copyIn(String namespace) {
        if (!isSelector()) {
            throw new IllegalStateException(this + " is not a selector grant's key");
        }
        return new GrantKey(namespace, COPY_PREFIX + name);
    }

    /**
     * The key of the grant whose record holds this key's desired state: the selector grant for a copy, else this
     * key itself.
     */
    public GrantKey grantKey() {
        return isCopy() ? selector(name.substring(COPY_PREFIX.length())) : this;
    }

    /** The grant's name without the copy prefix (what the objects' labels carry). */
    public String grantName() {
        return isCopy() ? name.substring(COPY_PREFIX.length()) : name;
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
