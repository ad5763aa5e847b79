package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.domain.ExitCode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place the command line is set up, used by Quarkus ({@link GrantctlCommandLine}) and by tests: bad flags
 * exit 1, and an unexpected argument is not echoed (it may be a secret value that lost its {@code KEY=}).
 */
public final class GrantctlCli {

    private GrantctlCli() {
    }

    public static CommandLine configure(CommandLine commandLine) {
        commandLine.setParameterExceptionHandler(GrantctlCli::badInput);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Commands report their own failures; anything else is a bug: its class only, no message, no trace.
            cmd.getErr().println("grantctl: internal error (" + e.getClass().getName() + "); please report it");
            cmd.getErr().flush();
            return ExitCode.USAGE.code();
        });
        return commandLine;
    }

    private static int badInput(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> shown = unmatched.getUnmatched().stream()
                    .map(a -> a.startsWith("--") ? "'" + a.split("=", 2)[0] + "'" : "(an argument, not shown)")
                    .toList();
            err.println("grantctl: unexpected " + String.join(", ", shown)
                    + "; check the option names and quoting (arguments that are not options are not shown: one may "
                    + "be a secret value)");
        } else {
            err.println("grantctl: " + e.getMessage());
        }
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ExitCode.USAGE.code();
    }
}
