package io.modelcycle.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's workflow diagrams are those generated from {@code statemachines/}. */
class WorkflowDiagramsTest {

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("statemachines/training-pipeline.asl.json"))
                    && Files.isRegularFile(p.resolve("README.md"))) {
                return p;
            }
        }
        throw new AssertionError("no checkout above " + Path.of("").toAbsolutePath());
    }

    @Test
    void the_readme_shows_every_workflow_as_generated_from_its_asl_file() throws Exception {
        Path root = repositoryRoot();
        String readme = Files.readString(root.resolve("README.md"));

        for (String workflow : Workflows.ALL) {
            assertThat(readme).as("README section of %s", workflow).contains("<!-- workflow:" + workflow + " -->");
        }
        assertThat(WorkflowDiagrams.updateReadme(readme, root.resolve("statemachines")))
                .as("the README's diagrams are stale: run WorkflowDiagrams (see its Javadoc) and commit README.md")
                .isEqualTo(readme);
    }

    @Test
    void a_diagram_has_a_node_per_state_and_an_arrow_per_transition() throws Exception {
        String asl = """
                {"StartAt": "Check", "States": {
                  "Check": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": {"FunctionName": "f", "Payload": {"action": "check"}},
                            "Retry": [{"ErrorEquals": ["States.Timeout"]}],
                            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "Next": "Ok?"},
                  "Ok?": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}],
                          "Default": "Failed"},
                  "Done": {"Type": "Succeed"},
                  "Failed": {"Type": "Fail", "Error": "X"}}}""";

        String diagram = WorkflowDiagrams.mermaid(asl);

        assertThat(diagram.lines()).contains(
                "  start((start)) --> s0",
                "  s0[\"Check<br/>(check, retried)\"]",
                "  s1{\"Ok?\"}",
                "  s2([\"Done\"])",
                "  s3[[\"Failed\"]]",
                "  s0 --> s1",
                "  s0 -.->|\"catch States.ALL\"| s3",
                "  s1 -->|\"ok = true\"| s2",
                "  s1 -->|otherwise| s3");
    }
}
