package dev.grantflow.grantctl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}. */
public class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (properties). Default: $GRANTCTL_CONFIG, else ~/.config/grantctl/config.properties if it exists.")
    Path config;
}
