package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.config.Setting;
import dev.grantflow.grantctl.config.Settings;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.GrantMapper;
import dev.grantflow.grantctl.domain.GrantTarget;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.grantctl.kafka.KafkaClients;
import dev.grantflow.grantctl.kafka.RecordPublisher;
import dev.grantflow.grantctl.keys.KeyMaterial;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantValidation;
import dev.grantflow.model.grant.GrantValidationPolicy;
import dev.grantflow.model.grant.Violation;
import dev.grantflow.model.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code grantctl revoke}: a signed GrantRevocation for every generation up to highest seen + 1. */
@Command(name = "revoke", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, sortOptions = false,
        description = {
            "Posts a signed GrantRevocation (key <tenant>/<name>) that revokes every generation of the grant up to "
                    + "its own (highest seen + 1), and waits for the Revoked status.",
            "--selector-grant instead of --tenant revokes a grant made with --tenant-selector (key */<name>): every "
                    + "copy of it, in every tenant."},
        footerHeading = "%nExamples:%n",
        footer = {"  grantctl revoke --tenant alice --name test-secret",
            "  grantctl revoke --selector-grant --name ml-token", "", ExitCode.HELP})
public class RevokeCommand extends Subcommand {

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "The tenant (namespace). Either this or --selector-grant.")
    String tenant;

    @Option(names = "--selector-grant",
            description = "The grant is a selector grant (made with --tenant-selector): revoke it in every tenant. "
                    + "Either this or --tenant.")
    boolean selectorGrant;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The grant name.")
    String name;

    @Mixin
    PostOptions posting;

    @Mixin
    SigningOptions signing;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ConfigOptions config;

    @Override
    protected ExitCode run() {
        GrantKey key = GrantTarget.named(tenant, selectorGrant, name).key();
        Map<Setting, String> flags = flags();
        signing.contribute(flags);
        kafka.contribute(flags);
        Settings settings = settings(config, flags, kafka.kafkaFlags());
        Duration wait = posting.timeout();
        OptionalLong generation = posting.generation();
        var signingKey = KeyMaterial.signingKey(settings.signingKey());
        SigningScope.check(signingKey, key.tenant());
        Instant issuedAt = root().clock().instant().truncatedTo(ChronoUnit.SECONDS);
        String issuer = settings.issuer().orElse(null);
        List<Violation> violations = GrantValidationPolicy.revocationViolations(
                GrantMapper.revocation(key, posting.generationAtLeast(), issuedAt, issuer), key);
        if (!violations.isEmpty()) {
            throw GrantctlFailure.usage("the revocation is invalid, grant-service would reject it (InvalidGrant): "
                    + new GrantValidation.Invalid(violations).message() + ". Nothing was posted.");
        }
        PostAndWait.Post post = new PostAndWait.Post(key,
                generation,
                g -> Json.writeBytes(GrantMapper.revocation(key, g, issuedAt, issuer)), signingKey,
                RecordPublisher.REVOCATION_TYPE, posting.noWait, wait, posting.output);
        return PostAndWait.run(new KafkaClients(settings), post, out(), err(), root().clock());
    }

}
