package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.config.Setting;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The administrator's signing key and name. */
public class SigningOptions {

    @Option(names = "--signing-key", paramLabel = "FILE",
            description = "Private JWKS with one signing key (keys create --signing --private-out) (GRANTCTL_SIGNING_KEY).")
    Path signingKey;

    @Option(names = "--issuer", paramLabel = "NAME",
            description = "metadata.issuer, e.g. your e-mail address; informational, the signature is the proof (GRANTCTL_ISSUER).")
    String issuer;

    void contribute(Map<Setting, String> flags) {
        KafkaOptions.put(flags, Setting.SIGNING_KEY, signingKey == null ? null : signingKey.toString());
        KafkaOptions.put(flags, Setting.ISSUER, issuer);
    }
}
