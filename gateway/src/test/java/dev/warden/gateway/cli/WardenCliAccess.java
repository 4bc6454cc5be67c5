package dev.warden.gateway.cli;

import java.io.PrintStream;

/** Lets tests in other packages run the CLI in-process. */
public final class WardenCliAccess {
    private WardenCliAccess() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return WardenCli.run(args, out, err);
    }
}
