package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.SecretSource;
import dev.grantflow.trust.Sealing;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The opened sealed data of the grants in force, by key: each grant record is decrypted once, not on every reconcile
 * (RSA decryption costs milliseconds per value). Kept in memory only; an entry is replaced when the key's grant
 * record changes and dropped when the key has no sealed grant any more. Thread-safe.
 */
public final class SealedValues {

    private record Cached(Grant grant, SealedDataMapper.Result result) {
    }

    private final Sealing sealing;
    private final Map<GrantKey, Cached> cache = new ConcurrentHashMap<>();

    /** @param sealing the private sealing keys, or null when this service holds none */
    public SealedValues(Sealing sealing) {
        this.sealing = sealing;
    }

    /** The sealing key ids held (empty when none). */
    public List<String> keyIds() {
        return sealing == null ? List.of() : sealing.keyIds();
    }

    /** The opened sealed data of {@code entry}, or null when it is not an accepted grant with sealed data. */
    public SealedDataMapper.Result open(GrantKey key, GrantEntry entry) {
        if (!(entry instanceof GrantEntry.Accepted accepted)
                || accepted.grant().spec().secret().source().kind() != SecretSource.Kind.SEALED_DATA) {
            cache.remove(key);
            return null;
        }
        Cached cached = cache.get(key);
        if (cached != null && cached.grant() == accepted.grant()) {
            return cached.result();
        }
        SealedDataMapper.Result result = SealedDataMapper.open(sealing, key, accepted.grant());
        cache.put(key, new Cached(accepted.grant(), result));
        return result;
    }
}
