package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.domain.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code grantctl keys}: key management. */
@Command(name = "keys", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Create administrator signing keys, grant-service sealing keys and the digest key.",
        subcommands = KeysCreateCommand.class)
public class KeysCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }
}
