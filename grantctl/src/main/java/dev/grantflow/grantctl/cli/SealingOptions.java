package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.config.Setting;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which public key values are sealed to. */
public class SealingOptions {

    @Option(names = "--sealing-jwks", paramLabel = "FILE",
            description = "Public JWKS of grant-service's sealing keys (keys create --sealing --jwks-out) (GRANTCTL_SEALING_JWKS).")
    Path sealingJwks;

    @Option(names = "--sealing-jwks-url", paramLabel = "URL",
            description = "grant-service's GET /sealing-keys, used when no --sealing-jwks is given (GRANTCTL_SEALING_JWKS_URL).")
    String sealingJwksUrl;

    @Option(names = "--sealing-kid", paramLabel = "KID",
            description = "The sealing key to use; default: the FIRST key of the set, which is the current one (GRANTCTL_SEALING_KID).")
    String sealingKid;

    void contribute(Map<Setting, String> flags) {
        KafkaOptions.put(flags, Setting.SEALING_JWKS, sealingJwks == null ? null : sealingJwks.toString());
        KafkaOptions.put(flags, Setting.SEALING_JWKS_URL, sealingJwksUrl);
        KafkaOptions.put(flags, Setting.SEALING_KID, sealingKid);
    }
}
