package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.domain.ExitCode;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code grantctl}: the administrator's tool. Holds what the subcommands take from the process (environment, home
 * directory, stdin, clock), so that tests run the same commands in-process with their own.
 */
@TopCommand
@Command(name = "grantctl", mixinStandardHelpOptions = true, version = "grantctl 0.1.0",
        exitCodeOnInvalidInput = 1, exitCodeOnExecutionException = 1,
        description = "Grantflow's administrator tool: keys, signed and sealed grants, signed revocations, grant "
                + "status and the audit history, over Kafka.",
        subcommands = {KeysCommand.class, GrantCommand.class, RevokeCommand.class, SealCommand.class,
                StatusCommand.class, AuditCommand.class},
        footerHeading = "%n",
        footer = {ExitCode.HELP, "",
                "Settings come from flags, then GRANTCTL_* environment variables, then the config file (--config FILE, "
                        + "default ~/.config/grantctl/config.properties). See grantctl/README.md."})
public class GrantctlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Path home;
    private final InputStream stdin;
    private final Clock clock;

    /** The process's environment, home directory ($HOME, else the JVM's user.home), stdin and clock. */
    public GrantctlCommand() {
        this(System.getenv(), home(System.getenv()), System.in, Clock.systemUTC());
    }

    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home);
    }

    public GrantctlCommand(Map<String, String> env, Path home, InputStream stdin, Clock clock) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.stdin = stdin;
        this.clock = clock;
    }

    Map<String, String> env() {
        return env;
    }

    Path home() {
        return home;
    }

    InputStream stdin() {
        return stdin;
    }

    Clock clock() {
        return clock;
    }

    /** Without a subcommand: the usage, and exit code 1. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }
}
