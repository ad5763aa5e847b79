package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.config.Setting;
import dev.grantflow.grantctl.config.Settings;
import dev.grantflow.grantctl.domain.DurationSyntax;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.GrantMapper;
import dev.grantflow.grantctl.domain.GrantRequest;
import dev.grantflow.grantctl.domain.GrantTarget;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.grantctl.domain.KeyValueSyntax;
import dev.grantflow.grantctl.domain.SecretValues;
import dev.grantflow.grantctl.kafka.KafkaClients;
import dev.grantflow.grantctl.keys.KeyMaterial;
import dev.grantflow.model.event.CloudEventTypes;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantValidation;
import dev.grantflow.model.grant.GrantValidationPolicy;
import dev.grantflow.model.grant.SecretEnvVar;
import dev.grantflow.model.grant.SecretItem;
import dev.grantflow.model.grant.SecretSource;
import dev.grantflow.model.grant.SecretType;
import dev.grantflow.model.grant.Violation;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.JsonMappingFailure;
import dev.grantflow.trust.Sealing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code grantctl grant}: build, seal, validate, sign and post a Grant, then wait for its status. */
@Command(name = "grant", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, sortOptions = false,
        description = {
            "Posts a signed Grant to the grants topic (key <tenant>/<name>) and waits for grant-service's status.",
            "With --tenant-selector instead of --tenant, a selector grant (key */<name>): grant-service applies it in "
                    + "every tenant whose namespace labels match, now and later; the wait ends when every selected "
                    + "tenant is applied (or keeps a grant that takes precedence), printing the counts meanwhile.",
            "Values given with --from-literal, --from-file or --docker-config are sealed (JWE) to grant-service's "
                    + "sealing key in memory; only ciphertext leaves this process. The grant is checked with the "
                    + "same validation as grant-service before anything is posted.",
            "The generation is one more than the highest generation of the key on the grants and status topics."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  grantctl grant --tenant alice --name test-secret --from-secret grantflow-sources/test-secret \\",
            "      --mount /secret/test-secret",
            "  grantctl grant --tenant alice --name api-token --from-file token=./token.txt --mount /secret/api \\",
            "      --env API_TOKEN=token --expires 30d",
            "  grantctl grant --tenant alice --name docker-config --docker-config ~/.docker/config.json \\",
            "      --mount /home/jovyan/.docker",
            "  grantctl grant --tenant-selector 'team=ml,env in (dev,prod)' --name ml-token \\",
            "      --from-file token=./token.txt --mount /secret/ml",
            "",
            ExitCode.HELP})
public class GrantCommand extends Subcommand {

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "The tenant (namespace). Either this or --tenant-selector.")
    String tenant;

    @Option(names = "--tenant-selector", paramLabel = "SELECTOR",
            description = "Grant to every tenant whose namespace labels match this label selector, now and later "
                    + "(kubectl -l syntax: 'team=ml,env in (dev,prod),!legacy'; '' selects every tenant). "
                    + "Either this or --tenant.")
    String tenantSelector;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "The grant name; also the Secret's and the PodDefault's name.")
    String name;

    @Option(names = "--from-secret", paramLabel = "[NAMESPACE/]NAME",
            description = "Copy this Secret of the administrators' source namespace (default namespace: "
                    + "--source-namespace, grantflow-sources) and follow its rotation.")
    String fromSecret;

    @Option(names = "--from-literal", paramLabel = "KEY=VALUE",
            description = "A value to seal (repeatable). Visible in the process list: prefer --from-file.")
    List<String> fromLiteral = new ArrayList<>();

    @Option(names = "--from-file", paramLabel = "KEY=PATH",
            description = "A file's content to seal under KEY (repeatable); PATH '-' reads stdin.")
    List<String> fromFile = new ArrayList<>();

    @Option(names = "--docker-config", paramLabel = "PATH",
            description = "A ~/.docker/config.json to seal: type kubernetes.io/dockerconfigjson, key .dockerconfigjson, "
                    + "mounted as config.json under --mount.")
    Path dockerConfig;

    @Option(names = "--mount", required = true, paramLabel = "PATH", description = "Where pods mount the Secret.")
    String mount;

    @Option(names = "--env", paramLabel = "VAR=KEY", description = "Expose secret KEY as environment variable VAR (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(names = "--expires", paramLabel = "DURATION|RFC3339",
            description = "Revoke automatically after a duration (30d, 12h) or at a time (2027-01-31T18:00:00Z).")
    String expires;

    @Option(names = "--type", paramLabel = "TYPE", description = "Secret type (default Opaque).")
    String type;

    @Option(names = "--selector-label", paramLabel = "LABEL",
            description = "Pod label selecting the PodDefault (default: the grant name).")
    String selectorLabel;

    @Option(names = "--desc", paramLabel = "TEXT", description = "Description in the notebook's Configurations list (default: the name).")
    String desc;

    @Option(names = "--source-namespace", paramLabel = "NAMESPACE",
            description = "Namespace of --from-secret NAME without a namespace (GRANTCTL_SOURCE_NAMESPACE; default grantflow-sources).")
    String sourceNamespace;

    @Mixin
    PostOptions posting;

    @Mixin
    SigningOptions signing;

    @Mixin
    SealingOptions sealing;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ConfigOptions config;

    @Override
    protected ExitCode run() {
        GrantTarget target = GrantTarget.forGrant(tenant, tenantSelector, name);
        Map<Setting, String> flags = flags();
        signing.contribute(flags);
        sealing.contribute(flags);
        kafka.contribute(flags);
        KafkaOptions.put(flags, Setting.SOURCE_NAMESPACE, sourceNamespace);
        Settings settings = settings(config, flags, kafka.kafkaFlags());
        Duration wait = posting.timeout();
        OptionalLong generation = posting.generation();
        GrantKey key = target.key();
        var signingKey = KeyMaterial.signingKey(settings.signingKey());
        SigningScope.check(signingKey, key.tenant());

        Instant issuedAt = root().clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = expires == null ? null : DurationSyntax.expiry(expires, issuedAt);
        String secretType = type == null ? SecretType.OPAQUE.value() : type;
        List<SecretItem> items = null;
        SecretSource source;
        int sources = (fromSecret != null ? 1 : 0) + (fromLiteral.isEmpty() && fromFile.isEmpty() ? 0 : 1)
                + (dockerConfig != null ? 1 : 0);
        if (sources != 1) {
            throw GrantctlFailure.usage("give exactly one source: --from-secret NAMESPACE/NAME, or --from-literal "
                    + "KEY=VALUE / --from-file KEY=PATH (repeatable, may be combined), or --docker-config PATH");
        }
        if (fromSecret != null) {
            source = secretRef(settings);
        } else {
            if (dockerConfig != null) {
                if (type != null && !type.equals(SecretType.DOCKER_CONFIG_JSON.value())) {
                    throw GrantctlFailure.usage("--docker-config makes a " + SecretType.DOCKER_CONFIG_JSON.value()
                            + " Secret; remove --type " + type);
                }
                secretType = SecretType.DOCKER_CONFIG_JSON.value();
                items = GrantMapper.DOCKER_CONFIG_ITEMS;
            }
            var sealingKey = KeyMaterial.sealingKey(settings.sealingJwks(), settings.sealingJwksUrl(),
                    settings.sealingKid(), settings.connectTimeout());
            try (SecretValues values = values()) {
                source = SecretSource.ofSealedData(Sealing.sealAll(sealingKey, target.sealingTenant(), name,
                        values.asMap()));
            }
        }
        List<SecretEnvVar> envVars = new ArrayList<>();
        for (int i = 0; i < env.size(); i++) {
            KeyValueSyntax.Pair pair = KeyValueSyntax.split("--env", i + 1, env.get(i), "VAR=KEY");
            envVars.add(new SecretEnvVar(pair.key(), pair.value()));
        }
        String issuer = settings.issuer().orElse(null);
        List<SecretItem> finalItems = items;
        SecretSource finalSource = source;
        String finalType = secretType;
        java.util.function.LongFunction<Grant> grantOf = g -> GrantMapper.grant(new GrantRequest(key,
                target.selector(), g, issuedAt, issuer, finalType, finalSource, finalItems, mount, envVars, expiresAt,
                selectorLabel, desc));

        // Checked before Kafka is touched, with the generation it will have at least: invalid grants post nothing.
        List<Violation> violations = GrantValidationPolicy.violations(grantOf.apply(posting.generationAtLeast()), key);
        if (!violations.isEmpty()) {
            throw GrantctlFailure.usage("the grant is invalid, grant-service would reject it (InvalidGrant): "
                    + new GrantValidation.Invalid(violations).message() + ". Nothing was posted.");
        }
        if (target.selectsEveryTenant()) {
            err().println("note: --tenant-selector '' selects every tenant");
        }
        PostAndWait.Post post = new PostAndWait.Post(key,
                generation,
                g -> Json.writeBytes(grantOf.apply(g)), signingKey, CloudEventTypes.GRANT, posting.noWait, wait, posting.output);
        return PostAndWait.run(new KafkaClients(settings), post, out(), err(), root().clock());
    }

    private SecretSource secretRef(Settings settings) {
        String[] parts = fromSecret.split("/", -1);
        if (parts.length > 2 || parts[parts.length - 1].isEmpty() || parts.length == 2 && parts[0].isEmpty()) {
            throw GrantctlFailure.usage("--from-secret must be NAMESPACE/NAME or NAME (namespace "
                    + settings.sourceNamespace() + ")");
        }
        return parts.length == 2 ? SecretSource.ofSecretRef(parts[0], parts[1])
                : SecretSource.ofSecretRef(settings.sourceNamespace(), parts[0]);
    }

    /** The plain values, read into memory only; never shown. */
    private SecretValues values() {
        SecretValues values = new SecretValues();
        boolean stdinUsed = false;
        try {
            for (int i = 0; i < fromLiteral.size(); i++) {
                KeyValueSyntax.Pair pair = KeyValueSyntax.split("--from-literal", i + 1, fromLiteral.get(i), "KEY=VALUE");
                values.put(pair.key(), pair.value().getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < fromFile.size(); i++) {
                KeyValueSyntax.Pair pair = KeyValueSyntax.split("--from-file", i + 1, fromFile.get(i), "KEY=PATH");
                if (pair.value().equals("-")) {
                    if (stdinUsed) {
                        throw GrantctlFailure.usage("--from-file: only one KEY=- can read stdin");
                    }
                    stdinUsed = true;
                    values.put(pair.key(), readStdin());
                } else {
                    values.put(pair.key(), read(Path.of(pair.value()), "--from-file " + pair.key()));
                }
            }
            if (dockerConfig != null) {
                byte[] content = read(dockerConfig, "--docker-config");
                try {
                    if (!Json.readTree(content).isObject()) {
                        throw GrantctlFailure.usage("--docker-config " + dockerConfig + " is not a JSON object "
                                + "(a ~/.docker/config.json with \"auths\")");
                    }
                } catch (JsonMappingFailure e) {
                    java.util.Arrays.fill(content, (byte) 0);
                    throw GrantctlFailure.usage("--docker-config " + dockerConfig + " is not JSON (" + e.getMessage() + ")");
                }
                values.put(SecretType.DOCKER_CONFIG_JSON_KEY, content);
            }
            return values;
        } catch (RuntimeException e) {
            values.wipe();
            throw e;
        }
    }

    private byte[] readStdin() {
        try {
            return root().stdin().readAllBytes();
        } catch (IOException e) {
            throw GrantctlFailure.usage("cannot read stdin: " + e.getClass().getSimpleName());
        }
    }

    static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw GrantctlFailure.usage(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
