package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.trust.SealBinding;
import dev.grantflow.trust.Sealing;
import dev.grantflow.trust.TrustProblem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opens a grant's {@code sealedData} into the data of its Secret. Pure (decryption is computation). Each value must
 * be bound to the grant's tenant, name and its own secret key and sealed to a key this service holds; the first value
 * that is not refuses the whole grant, naming the secret key, never a value. Plain values live only in memory and in
 * the tenant's Secret.
 */
public final class SealedDataMapper {

    /** The outcome of opening a grant's sealed data. */
    public sealed interface Result {
    }

    /** The Secret data (key -> base64), as an in-memory source Secret that the rest of the plan treats like a copy. */
    public record Opened(Secret source) implements Result {
        @Override
        public String toString() {
            return "Opened[keys=" + source.getData().keySet() + "]";
        }
    }

    /** Refused: {@code reason} is KeyMismatch (bound elsewhere) or SealedDataInvalid. */
    public record Refused(StatusReason reason, String message) implements Result {
    }

    private SealedDataMapper() {
    }

    /** Opens {@code grant}'s sealed data with {@code sealing} (null when this service holds no sealing keys). */
    public static Result open(Sealing sealing, GrantKey key, Grant grant) {
        if (sealing == null) {
            return new Refused(StatusReason.SEALED_DATA_INVALID, "this grant-service holds no sealing keys "
                    + "(grantflow.trust.sealing-keys), so sealed values cannot be opened");
        }
        Map<String, String> data = new TreeMap<>();
        for (Map.Entry<String, String> sealed : grant.spec().secret().source().sealedData().entrySet()) {
            Sealing.Opened opened = sealing.open(new SealBinding(key.tenant(), key.name(), sealed.getKey()),
                    sealed.getValue());
            if (opened instanceof Sealing.Refused refused) {
                StatusReason reason = refused.problem() == TrustProblem.SEAL_BINDING_MISMATCH
                        ? StatusReason.KEY_MISMATCH : StatusReason.SEALED_DATA_INVALID;
                return new Refused(reason, "spec.secret.source.sealedData: " + refused.message());
            }
            data.put(sealed.getKey(), Base64.getEncoder().encodeToString(((Sealing.Plain) opened).value()));
        }
        return new Opened(new SecretBuilder().withData(data).build());
    }
}
