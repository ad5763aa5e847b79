package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.config.Setting;
import dev.grantflow.grantctl.config.Settings;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.GrantTarget;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.grantctl.keys.KeyMaterial;
import dev.grantflow.trust.SealBinding;
import dev.grantflow.trust.Sealing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code grantctl seal}: one value sealed for one key of one grant of one tenant; prints the JWE only. */
@Command(name = "seal", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, sortOptions = false,
        description = {"Seals one value (a file, or stdin) for secret key KEY of grant GRANT of TENANT and prints the "
                + "JWE compact serialization only, for scripts that build grants themselves.",
            "--selector-grant instead of --tenant seals for a selector grant (tenantSelector, key */GRANT): the value "
                    + "is bound to tenant '*' and opens in every tenant the grant selects."},
        footerHeading = "%nExamples:%n",
        footer = {"  grantctl seal --tenant alice --grant api-token --key token --from-file ./token.txt",
            "  grantctl seal --selector-grant --grant ml-token --key token --from-file ./token.txt",
            "  vault read -field=token secret/api | grantctl seal --tenant alice --grant api-token --key token"})
public class SealCommand extends Subcommand {

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "The tenant the value is bound to. Either this or --selector-grant.")
    String tenant;

    @Option(names = "--selector-grant",
            description = "GRANT is a selector grant: the value is bound to tenant '*'. Either this or --tenant.")
    boolean selectorGrant;

    @Option(names = "--grant", required = true, paramLabel = "GRANT", description = "The grant the value is bound to.")
    String grant;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "The secret key the value is bound to.")
    String key;

    @Option(names = "--from-file", paramLabel = "PATH", description = "Read the value from this file (default: stdin).")
    Path fromFile;

    @Mixin
    SealingOptions sealing;

    @Mixin
    ConfigOptions config;

    @Override
    protected ExitCode run() {
        GrantTarget target = GrantTarget.named(tenant, selectorGrant, grant);
        Map<Setting, String> flags = flags();
        sealing.contribute(flags);
        Settings settings = settings(config, flags, Map.of());
        var sealingKey = KeyMaterial.sealingKey(settings.sealingJwks(), settings.sealingJwksUrl(),
                settings.sealingKid(), settings.connectTimeout());
        byte[] value;
        if (fromFile != null) {
            value = GrantCommand.read(fromFile, "--from-file");
        } else {
            try {
                value = root().stdin().readAllBytes();
            } catch (IOException e) {
                throw GrantctlFailure.usage("cannot read the value from stdin: " + e.getClass().getSimpleName());
            }
        }
        try {
            out().println(Sealing.seal(sealingKey, new SealBinding(target.sealingTenant(), grant, key), value));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
        return ExitCode.OK;
    }
}
