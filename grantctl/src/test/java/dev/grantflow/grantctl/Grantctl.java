package dev.grantflow.grantctl;

import dev.grantflow.grantctl.cli.GrantctlCli;
import dev.grantflow.grantctl.cli.GrantctlCommand;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs grantctl in-process, as the packaged jar would (same {@link GrantctlCli} setup), capturing stdout and stderr. */
public final class Grantctl {

    /** One run: exit code, stdout, stderr. */
    public record Run(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    private final Map<String, String> env = new HashMap<>();
    private final Path home;

    public Grantctl(Path home) {
        this.home = home;
    }

    public Grantctl env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Run run(String... args) {
        return runWithStdin(new byte[0], args);
    }

    /** A run in another thread; {@link #out()} and {@link #err()} show what it printed so far. */
    public record Started(StringWriter liveOut, StringWriter liveErr, CompletableFuture<Run> result) {
        public String out() {
            return liveOut.toString();
        }

        public String err() {
            return liveErr.toString();
        }

        public Run await() throws Exception {
            return result.get(120, TimeUnit.SECONDS);
        }
    }

    public Started start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        return new Started(out, err, CompletableFuture.supplyAsync(() -> execute(new byte[0], out, err, args)));
    }

    public Run runWithStdin(byte[] stdin, String... args) {
        return execute(stdin, new StringWriter(), new StringWriter(), args);
    }

    private Run execute(byte[] stdin, StringWriter out, StringWriter err, String... args) {
        InputStream in = new ByteArrayInputStream(stdin);
        CommandLine cli = GrantctlCli.configure(new CommandLine(new GrantctlCommand(env, home, in, Clock.systemUTC())));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
