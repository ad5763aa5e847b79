package dev.grantflow.grantctl.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Quarkus' command line for {@link GrantctlCommand}, set up by {@link GrantctlCli}. */
@ApplicationScoped
public class GrantctlCommandLine {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return GrantctlCli.configure(factory.create());
    }
}
