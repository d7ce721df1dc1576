package io.modelcycle.local.asl;

import java.util.List;

/**
 * A state machine definition that cannot run: thrown when it is loaded, before any execution starts. Every problem
 * found is listed, each naming the state and the field at fault (for example
 * {@code state 'Charge' field 'Next': no state named 'Chrage'}).
 */
public final class AslDefinitionException extends RuntimeException {

    private final List<String> problems;

    public AslDefinitionException(List<String> problems) {
        super(problems.size() == 1 ? "invalid state machine definition: " + problems.get(0)
                : "invalid state machine definition (" + problems.size() + " problems):\n  - "
                        + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
