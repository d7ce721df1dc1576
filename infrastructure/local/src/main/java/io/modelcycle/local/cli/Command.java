package io.modelcycle.local.cli;

import java.util.List;

/**
 * One verb of the {@code modelcycle} command, such as {@code states run}. Implementations are small: parse their
 * arguments, do one thing through the {@link CliContext}, print, return an exit code.
 */
public interface Command {

    /** Exit code: success. */
    int OK = 0;
    /** Exit code: the command ran but what it ran failed (an execution FAILED, TIMED_OUT or was ABORTED). */
    int FAILED = 1;
    /** Exit code: the command line or its input is wrong (unknown option, invalid definition, bad JSON). */
    int USAGE = 2;

    /** The words that select this command, for example {@code ["states", "run"]}. */
    List<String> words();

    /** One line for the command list. */
    String summary();

    /** The full help text, printed by {@code --help}: synopsis, arguments, options, exit codes. */
    String help();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command's words, global options removed
     * @return the process exit code
     * @throws UsageException for a malformed command line; the CLI prints it with the command's help hint
     */
    int run(List<String> args, CliContext context) throws Exception;

    /** A malformed command line. */
    final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }
}
