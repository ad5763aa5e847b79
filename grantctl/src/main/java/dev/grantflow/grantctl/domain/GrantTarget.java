package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.model.kubernetes.InvalidLabelSelectorException;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * What a command is about: a grant to one tenant ({@code <tenant>/<name>}) or a selector grant ({@code &#42;/<name>},
 * docs/design.md "Selector grants"), from {@code --tenant}, {@code --tenant-selector} or {@code --selector-grant} and
 * {@code --name}. Pure.
 *
 * @param key          the Kafka key
 * @param selector     a selector grant's tenant selector as the record carries it; null for a grant to one tenant, and
 *                     for commands that name a selector grant without its selector (revoke, seal)
 * @param selectorText the selector in the string form, normalised by the selector engine (for messages); null when
 *                     {@code selector} is
 */
public record GrantTarget(GrantKey key, LabelSelector selector, String selectorText) {

    /** {@code grant}: exactly one of {@code --tenant} and {@code --tenant-selector} (kubectl's string form). */
    public static GrantTarget forGrant(String tenant, String tenantSelector, String name) {
        if ((tenant == null) == (tenantSelector == null)) {
            throw GrantctlFailure.usage(tenant == null
                    ? "give the tenant (--tenant TENANT) or a tenant selector (--tenant-selector SELECTOR)"
                    : "give either --tenant or --tenant-selector, not both: --tenant grants to one tenant, "
                            + "--tenant-selector to every tenant whose labels match");
        }
        checkName(name);
        if (tenant != null) {
            return new GrantTarget(tenantKey(tenant, name), null, null);
        }
        CompiledLabelSelector compiled;
        try {
            compiled = CompiledLabelSelector.parse(tenantSelector);
        } catch (InvalidLabelSelectorException e) {
            throw GrantctlFailure.usage("--tenant-selector: " + e.getMessage());
        }
        return new GrantTarget(GrantKey.selector(name), compiled.toLabelSelector(), compiled.toString());
    }

    /**
     * {@code revoke} and {@code seal}: exactly one of {@code --tenant} and {@code --selector-grant} (the grant is
     * named by its key alone; its selector is not needed).
     */
    public static GrantTarget named(String tenant, boolean selectorGrant, String name) {
        if ((tenant == null) == !selectorGrant) {
            throw GrantctlFailure.usage(tenant == null
                    ? "give the tenant (--tenant TENANT) or --selector-grant for a grant made with --tenant-selector"
                    : "give either --tenant or --selector-grant, not both: --tenant names a grant to one tenant, "
                            + "--selector-grant a grant made with --tenant-selector");
        }
        checkName(name);
        return new GrantTarget(selectorGrant ? GrantKey.selector(name) : tenantKey(tenant, name), null, null);
    }

    public boolean isSelector() {
        return key.isSelector();
    }

    /** The tenant a sealed value is bound to: the tenant, or {@value GrantKey#ANY_TENANT} for a selector grant. */
    public String sealingTenant() {
        return key.tenant();
    }

    /** Every tenant selected: the empty selector (what {@code --tenant-selector ''} gives). */
    public boolean selectsEveryTenant() {
        return selectorText != null && selectorText.isEmpty();
    }

    private static GrantKey tenantKey(String tenant, String name) {
        if (GrantKey.ANY_TENANT.equals(tenant)) {
            throw GrantctlFailure.usage("--tenant '*' is not a tenant: a grant to the tenants a label selector "
                    + "matches is made with --tenant-selector SELECTOR, and named with --selector-grant");
        }
        return new GrantKey(tenant, name);
    }

    private static void checkName(String name) {
        if (name != null && name.startsWith(GrantKey.COPY_PREFIX)) {
            throw GrantctlFailure.usage("grant name '" + name + "': a name starting with '*' is how a selector grant's copy in "
                    + "one tenant is keyed, not a grant of its own; name the selector grant itself ("
                    + name.substring(GrantKey.COPY_PREFIX.length()) + ")");
        }
    }
}
