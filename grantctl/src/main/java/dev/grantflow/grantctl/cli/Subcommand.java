package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.config.Setting;
import dev.grantflow.grantctl.config.Settings;
import dev.grantflow.grantctl.config.SettingsResolver;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A grantctl subcommand: results on stdout, progress and errors on stderr, failures as {@code grantctl: <what to
 * fix>} with their exit code. No stack trace reaches the user, and no message carries a secret value.
 */
abstract class Subcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            return run().code();
        } catch (GrantctlFailure failure) {
            err().println("grantctl: " + failure.getMessage());
            return failure.exitCode().code();
        } finally {
            out().flush();
            err().flush();
        }
    }

    protected abstract ExitCode run();

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected GrantctlCommand root() {
        return (GrantctlCommand) spec.root().userObject();
    }

    /** Settings from {@code flags} (already collected from the mixins), the environment and the config file. */
    protected Settings settings(ConfigOptions config, Map<Setting, String> flags, Map<String, String> kafkaFlags) {
        Path file = config == null ? null : config.config;
        return SettingsResolver.resolve(flags, kafkaFlags, file, root().env(), root().home());
    }

    protected static Map<Setting, String> flags() {
        return new EnumMap<>(Setting.class);
    }
}
