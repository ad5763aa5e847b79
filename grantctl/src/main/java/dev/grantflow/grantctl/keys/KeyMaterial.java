package dev.grantflow.grantctl.keys;

import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.trust.KeySets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;

/** Reads the keys a command needs: the administrator's signing key, the sealing key, the administrators' public keys. */
public final class KeyMaterial {

    private KeyMaterial() {
    }

    /** The one private key of the JWKS file {@code file} ({@code grantctl keys create --signing --private-out}). */
    public static PublicJsonWebKey signingKey(Optional<Path> file) {
        Path path = file.orElseThrow(() -> GrantctlFailure.usage("no signing key: pass --signing-key FILE (the "
                + "private JWKS of grantctl keys create --signing), set GRANTCTL_SIGNING_KEY, or signing.key in the "
                + "config file"));
        Map<String, PublicJsonWebKey> keys = readSet(path, "--signing-key");
        if (keys.size() != 1) {
            throw GrantctlFailure.usage("--signing-key " + path + " holds " + keys.size()
                    + " keys; it must hold exactly one (the private JWKS of grantctl keys create --signing)");
        }
        PublicJsonWebKey key = keys.values().iterator().next();
        if (key.getPrivateKey() == null) {
            throw GrantctlFailure.usage("--signing-key " + path + ": key '" + key.getKeyId()
                    + "' has no private part; give the --private-out file of grantctl keys create --signing, not the "
                    + "public JWKS");
        }
        return key;
    }

    /**
     * The sealing key to seal to: {@code kid} of the set, or else the set's first key (the current one). The set is
     * the JWKS file, or grant-service's {@code GET /sealing-keys}.
     */
    public static PublicJsonWebKey sealingKey(Optional<Path> file, Optional<URI> url, Optional<String> kid,
            Duration timeout) {
        List<PublicJsonWebKey> keys;
        String source;
        if (file.isPresent()) {
            source = file.get().toString();
            keys = List.copyOf(readSet(file.get(), "--sealing-jwks").values());
        } else if (url.isPresent()) {
            source = url.get().toString();
            keys = fetch(url.get(), timeout);
        } else {
            throw GrantctlFailure.usage("values are sealed to grant-service's sealing key: pass --sealing-jwks FILE "
                    + "(the public JWKS of grantctl keys create --sealing) or --sealing-jwks-url "
                    + "https://<grant-service>/sealing-keys (or GRANTCTL_SEALING_JWKS / GRANTCTL_SEALING_JWKS_URL)");
        }
        if (keys.isEmpty()) {
            throw GrantctlFailure.usage("sealing key set " + source + " holds no key");
        }
        PublicJsonWebKey key = kid.isEmpty() ? keys.get(0) : keys.stream()
                .filter(k -> k.getKeyId().equals(kid.get())).findFirst()
                .orElseThrow(() -> GrantctlFailure.usage("sealing key set " + source + " has no key '" + kid.get()
                        + "' (it has " + keys.stream().map(PublicJsonWebKey::getKeyId).toList() + ")"));
        if (!(key instanceof RsaJsonWebKey) || key.getPublicKey() == null) {
            throw GrantctlFailure.usage("sealing key '" + key.getKeyId() + "' of " + source
                    + " is not an RSA public key; use the public JWKS of grantctl keys create --sealing");
        }
        return key;
    }

    /** The administrators' public keys, from JWKS files. */
    public static Map<String, PublicJsonWebKey> adminKeys(List<Path> files) {
        try {
            return KeySets.read(files);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw GrantctlFailure.usage("--admin-jwks: " + e.getMessage());
        }
    }

    private static Map<String, PublicJsonWebKey> readSet(Path path, String option) {
        try {
            return KeySets.read(List.of(path));
        } catch (UncheckedIOException e) {
            throw GrantctlFailure.usage(option + " " + path + " cannot be read: "
                    + e.getCause().getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            throw GrantctlFailure.usage(option + " " + path + ": " + e.getMessage());
        }
    }

    private static List<PublicJsonWebKey> fetch(URI url, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Accept", "application/jwk-set+json, application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw GrantctlFailure.usage("cannot fetch the sealing keys from " + url + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage())
                    + "; check --sealing-jwks-url, or pass --sealing-jwks FILE");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GrantctlFailure.usage("interrupted fetching the sealing keys from " + url);
        }
        if (response.statusCode() != 200) {
            throw GrantctlFailure.usage("GET " + url + " answered " + response.statusCode()
                    + "; check --sealing-jwks-url (grant-service serves GET /sealing-keys)");
        }
        try {
            return KeySets.parse(response.body(), url.toString());
        } catch (IllegalArgumentException e) {
            throw GrantctlFailure.usage(e.getMessage());
        }
    }
}
