package dev.grantflow.grantctl.cli;

/** {@code -o table|json}: a table for people, one JSON object per line for scripts. */
public enum OutputFormat {
    table,
    json
}
