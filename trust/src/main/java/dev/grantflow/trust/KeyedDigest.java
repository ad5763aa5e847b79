package dev.grantflow.trust;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code hmac-sha256:<hex>} of bytes under a service key: a digest that identifies content (drift detection, audit
 * entries) without letting anyone who reads it test guesses of a low-entropy value, as a plain hash would.
 */
public final class KeyedDigest {

    /** Shortest key accepted, in bytes. */
    public static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    /** One initialized Mac per thread: looking the algorithm up and initializing it cost more than a short HMAC. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public KeyedDigest(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the digest key must have at least " + MIN_KEY_BYTES + " bytes (it has "
                    + key.length + ")");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    public String of(byte[] content) {
        return "hmac-sha256:" + HexFormat.of().formatHex(mac(content));
    }

    /** The HMAC-SHA256 of {@code content} itself (32 bytes), for tags that are compared rather than shown. */
    public byte[] mac(byte[] content) {
        // doFinal leaves the Mac reset, ready for the next content under the same key.
        return macs.get().doFinal(content);
    }

    /**
     * The HMAC-SHA256 of {@code fields}, each preceded by its length (4 bytes, big-endian), so that no two different
     * lists of fields have the same input. The fields are fed to the MAC one after the other, not copied into one
     * input first.
     */
    public byte[] macOfFields(byte[]... fields) {
        Mac mac = macs.get();
        byte[] length = new byte[4];
        try {
            for (byte[] field : fields) {
                length[0] = (byte) (field.length >>> 24);
                length[1] = (byte) (field.length >>> 16);
                length[2] = (byte) (field.length >>> 8);
                length[3] = (byte) field.length;
                mac.update(length);
                mac.update(field);
            }
            return mac.doFinal();
        } catch (RuntimeException e) {
            // A null field: the thread's Mac must not keep the fields fed before it.
            mac.reset();
            throw e;
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "KeyedDigest[HmacSHA256]";
    }
}
