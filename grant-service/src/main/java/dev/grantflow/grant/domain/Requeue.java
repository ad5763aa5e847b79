package dev.grantflow.grant.domain;

import java.time.Duration;

/**
 * What happens to a grant key after a reconcile, in the vocabulary of a rate-limited work queue: try again with the
 * key's growing backoff ({@code addRateLimited}), try again after a delay the API server asked for
 * ({@code addAfter}), or not at all until something changes ({@code forget}).
 */
public sealed interface Requeue {

    Requeue RATE_LIMITED = new RateLimited();
    Requeue FORGET = new Forget();

    static Requeue after(Duration delay) {
        return new After(delay);
    }

    /** Again after the key's next backoff (exponential, with jitter). */
    record RateLimited() implements Requeue {
    }

    /** Again after {@code delay} (a {@code Retry-After}); the key's backoff is left as it is. */
    record After(Duration delay) implements Requeue {
    }

    /** Not again until a trigger (grant, tenant, object or source change, expiry, resync); the backoff is reset. */
    record Forget() implements Requeue {
    }
}
