/**
 * The {@code modelcycle} command line: {@link io.modelcycle.local.cli.ModelCycleCli} parses global options and
 * dispatches to one {@link io.modelcycle.local.cli.Command} per verb ({@code states run}, {@code states history},
 * …). A new verb is one class implementing {@code Command}, added to {@code ModelCycleCli.COMMANDS}.
 */
package io.modelcycle.local.cli;
