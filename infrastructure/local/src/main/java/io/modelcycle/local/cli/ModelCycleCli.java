package io.modelcycle.local.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point of {@code ./modelcycle}: global options ({@code --home DIR}, {@code --help}), then a command's
 * words and arguments. Exit codes: 0 success, 1 the thing run failed, 2 usage or input error.
 */
public final class ModelCycleCli {

    /** Every verb; add a new one here. */
    static final List<Command> COMMANDS = List.of(
            new StatesRunCommand(),
            new StatesHistoryCommand(),
            new StatesListCommand(),
            new StatesDescribeCommand(),
            new DemoCommand(),
            new ServeCommand(),
            new UploadCommand(),
            new TrainCommand(),
            new ModelsCommand(),
            new VersionsCommand(),
            new PredictCommand(),
            new ApproveCommand(),
            new PromoteCommand(),
            new RollbackCommand(),
            new DriftCommand(),
            new RetireCommand(),
            new AuditCommand(),
            new ExecutionsCommand());

    private ModelCycleCli() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command line and returns the exit code; never calls {@code System.exit}. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>();
        Path home = Path.of(".modelcycle");
        boolean help = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--home")) {
                if (i + 1 >= argv.length) {
                    err.println("modelcycle: --home needs a directory");
                    return Command.USAGE;
                }
                home = Path.of(argv[++i]);
            } else if (a.startsWith("--home=")) {
                home = Path.of(a.substring("--home=".length()));
            } else if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
                help = true;
            } else {
                args.add(a);
            }
        }
        Command command = null;
        for (Command c : COMMANDS) {
            if (args.size() >= c.words().size() && args.subList(0, c.words().size()).equals(c.words())) {
                command = c;
                break;
            }
        }
        if (command == null) {
            List<String> group = args.isEmpty() ? List.of() : List.of(args.get(0));
            boolean knownGroup = COMMANDS.stream().anyMatch(c -> c.words().get(0).equals(group.isEmpty() ? ""
                    : group.get(0)));
            PrintStream to = help || args.isEmpty() ? out : err;
            if (!help && !args.isEmpty()) {
                err.println("modelcycle: unknown command '" + String.join(" ", args) + "'");
            }
            usage(to, knownGroup ? group.get(0) : null);
            return help ? Command.OK : Command.USAGE;
        }
        if (help) {
            out.println(command.help());
            return Command.OK;
        }
        List<String> rest = args.subList(command.words().size(), args.size());
        try (CliContext context = new CliContext(out, err, home)) {
            return command.run(List.copyOf(rest), context);
        } catch (Command.UsageException e) {
            err.println("modelcycle " + String.join(" ", command.words()) + ": " + e.getMessage());
            err.println("Run 'modelcycle " + String.join(" ", command.words()) + " --help' for usage.");
            return Command.USAGE;
        } catch (Exception e) {
            err.println("modelcycle " + String.join(" ", command.words()) + ": " + e.getMessage());
            return Command.FAILED;
        }
    }

    private static void usage(PrintStream out, String group) {
        out.println("Usage: modelcycle [--home DIR] <command> [arguments] [--help]");
        out.println();
        out.println("  --home DIR   where the local runtime keeps its state (default ./.modelcycle)");
        out.println();
        out.println("Commands:");
        for (Command c : COMMANDS) {
            if (group == null || c.words().get(0).equals(group)) {
                out.printf("  %-22s %s%n", String.join(" ", c.words()), c.summary());
            }
        }
        out.println();
        out.println("Run 'modelcycle <command> --help' for a command's options.");
    }
}
