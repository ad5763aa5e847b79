package dev.grantflow.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/** Reads and writes JSON Web Key Sets (RFC 7517): files of keys by {@code kid}. */
public final class KeySets {

    private KeySets() {
    }

    /** Reads the JWKS files (each a key set) into one map by {@code kid}; a key without a kid or a repeated kid fails. */
    public static Map<String, PublicJsonWebKey> read(List<Path> files) {
        Map<String, PublicJsonWebKey> keys = new LinkedHashMap<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read key set " + file + ": " + e.getMessage(), e);
            }
            for (PublicJsonWebKey key : parse(text, file.toString())) {
                if (keys.putIfAbsent(key.getKeyId(), key) != null) {
                    throw new IllegalArgumentException("key set " + file + ": key id '" + key.getKeyId()
                            + "' appears more than once");
                }
            }
        }
        return keys;
    }

    /** Parses a JWKS document; {@code source} names it in errors. Only public-key types (EC, RSA, OKP) are accepted. */
    public static List<PublicJsonWebKey> parse(String json, String source) {
        JsonWebKeySet set;
        try {
            set = new JsonWebKeySet(json);
        } catch (JoseException e) {
            throw new IllegalArgumentException("key set " + source + " is not a JWKS document: " + e.getMessage(), e);
        }
        List<PublicJsonWebKey> keys = new ArrayList<>();
        for (JsonWebKey key : set.getJsonWebKeys()) {
            if (!(key instanceof PublicJsonWebKey publicKey)) {
                throw new IllegalArgumentException("key set " + source + ": key '" + key.getKeyId() + "' is of type "
                        + key.getKeyType() + "; only EC, RSA and OKP keys are used");
            }
            if (key.getKeyId() == null || key.getKeyId().isBlank()) {
                throw new IllegalArgumentException("key set " + source + ": every key needs a 'kid'");
            }
            keys.add(publicKey);
        }
        return keys;
    }

    /** The public half of {@code keys} as a JWKS document (other parameters, such as a tenant scope, kept). */
    public static String publicJson(List<? extends PublicJsonWebKey> keys) {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** {@code keys} with their private parts as a JWKS document: write it only to a file only its owner can read. */
    public static String privateJson(List<? extends PublicJsonWebKey> keys) {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }
}
