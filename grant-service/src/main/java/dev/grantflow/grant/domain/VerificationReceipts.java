package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.trust.KeyedDigest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Verification receipts (ADR 12): grant-service's own proof that it verified a grants record's signature, so that a
 * restart does not verify every record again. A receipt is an HMAC under the service's digest key
 * ({@link KeyedDigest}, the same key on every replica) over the trusted keys' fingerprint, the tenant, the signer, the
 * signature header and the value bytes. Only a holder of the digest key can make one; one made under other trusted
 * keys, for another tenant, or over other bytes does not match, and the record is verified as without it.
 *
 * <p>Receipts travel in a header of the key's status records ({@link #HEADER}), which every instance reads at start;
 * this class holds the receipt of each key's record last accepted (about 80 bytes per key). The HMAC is truncated to
 * 128 bits, as RFC 2104 allows for a tag that is checked, not shown.
 */
public final class VerificationReceipts {

    /** The status record header carrying the receipt of the grants record the status reflects. */
    public static final String HEADER = "grantflow-verified";
    private static final String VERSION = "v1";
    private static final byte[] DOMAIN = "grantflow verification receipt v1".getBytes(StandardCharsets.UTF_8);

    /** One receipt: the signer's key id and the truncated HMAC. */
    public record Receipt(String kid, long high, long low) {

        /** {@code v1:<base64url tag>:<kid>}, the header's value. */
        public String format() {
            byte[] tag = ByteBuffer.allocate(16).putLong(high).putLong(low).array();
            return VERSION + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(tag) + ":" + kid;
        }

        /** The receipt a header value holds, or empty when it is not one (another version, garbage). */
        public static Optional<Receipt> parse(String text) {
            if (text == null) {
                return Optional.empty();
            }
            String[] parts = text.split(":", 3);
            if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[2].isEmpty()) {
                return Optional.empty();
            }
            try {
                byte[] tag = Base64.getUrlDecoder().decode(parts[1]);
                if (tag.length != 16) {
                    return Optional.empty();
                }
                ByteBuffer buffer = ByteBuffer.wrap(tag);
                return Optional.of(new Receipt(InternedStrings.of(parts[2]), buffer.getLong(), buffer.getLong()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    private final KeyedDigest digest;
    private final byte[] trust;
    private final Map<GrantKey, Receipt> byKey = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder issued = new LongAdder();

    /**
     * @param digest           the service's digest key
     * @param trustFingerprint the trusted keys' fingerprint ({@code Signatures.fingerprint()})
     */
    public VerificationReceipts(KeyedDigest digest, String trustFingerprint) {
        this.digest = digest;
        this.trust = trustFingerprint.getBytes(StandardCharsets.UTF_8);
    }

    /** The receipt for a record of {@code tenant} with {@code value} whose {@code signature} {@code kid} made. */
    public Receipt issue(byte[] value, String signature, String tenant, String kid) {
        issued.increment();
        return receipt(value, signature, tenant, kid);
    }

    private Receipt receipt(byte[] value, String signature, String tenant, String kid) {
        // Each field length-prefixed, so that no two different records share an input.
        ByteBuffer tag = ByteBuffer.wrap(digest.macOfFields(DOMAIN, trust, bytes(tenant), bytes(kid), bytes(signature),
                value));
        return new Receipt(kid, tag.getLong(), tag.getLong());
    }

    /** Whether {@code receipt} was issued for exactly this record under the keys trusted now. */
    public boolean matches(Receipt receipt, byte[] value, String signature, String tenant) {
        if (receipt == null || signature == null) {
            return false;
        }
        Receipt expected = receipt(value, signature, tenant, receipt.kid());
        // Constant time, as MessageDigest.isEqual: every bit compared, no early exit.
        boolean matches = ((expected.high() ^ receipt.high()) | (expected.low() ^ receipt.low())) == 0;
        if (matches) {
            accepted.increment();
        }
        return matches;
    }

    /** Signature checks a matching receipt spared, since start. */
    public long accepted() {
        return accepted.sum();
    }

    /** Receipts issued for signatures verified, since start. */
    public long issued() {
        return issued.sum();
    }

    private static byte[] bytes(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    /** The receipt of the record {@code key} holds, or null. */
    public Receipt of(GrantKey key) {
        return byKey.get(key);
    }

    /** The receipt held for a grants record's key as written ({@code <tenant>/<grant>}), or null. */
    public Receipt ofRecordKey(String recordKey) {
        GrantKey key = recordKey == null ? null : GrantKey.parse(recordKey).orElse(null);
        return key == null ? null : byKey.get(key);
    }

    /** Remembers {@code receipt} (null: none) as that of the record {@code key} holds now. */
    public void hold(GrantKey key, Receipt receipt) {
        if (receipt == null) {
            byKey.remove(key);
        } else {
            byKey.put(key, receipt);
        }
    }

    /** Forgets every receipt (the grants topic was replaced). */
    public void clear() {
        byKey.clear();
    }

    /** Takes the receipts read from the status topic at start, for keys not read from the grants topic yet. */
    public void load(Map<GrantKey, Receipt> published) {
        published.forEach(byKey::putIfAbsent);
    }
}
