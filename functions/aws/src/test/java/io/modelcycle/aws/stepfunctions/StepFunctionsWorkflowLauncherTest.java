package io.modelcycle.aws.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.aws.AwsClients;
import io.modelcycle.aws.AwsConfig;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.testkit.aws.AwsEmulator;
import io.modelcycle.testkit.aws.AwsEmulatorExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.SfnClient;

/** {@link StepFunctionsWorkflowLauncher} against the AWS emulator's Step Functions API. */
class StepFunctionsWorkflowLauncherTest {

    @RegisterExtension
    static final AwsEmulatorExtension AWS = new AwsEmulatorExtension();

    static AwsClients clients;
    static SfnClient sfn;
    static String stateMachineArn;

    @BeforeAll
    static void stateMachine() {
        clients = new AwsClients(AwsConfig.fromEnv(AWS.emulator().environment()));
        sfn = clients.configure(SfnClient.builder()).build();
        stateMachineArn = sfn.createStateMachine(r -> r.name(AwsEmulator.uniqueName("training-pipeline"))
                .roleArn("arn:aws:iam::123456789012:role/modelcycle-states")
                .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}")).stateMachineArn();
    }

    @AfterAll
    static void close() {
        sfn.close();
        clients.close();
    }

    @Test
    void starts_the_configured_state_machine_by_workflow_name_with_the_given_input() {
        // GIVEN a launcher that knows the training pipeline's ARN
        var launcher = new StepFunctionsWorkflowLauncher(sfn, Map.of("training-pipeline", stateMachineArn));
        String input = "{\"datasetKey\":\"datasets/churn/a.csv\",\"trigger\":\"manual\"}";
        // WHEN it starts an execution
        String executionArn = launcher.start("training-pipeline", "churn-manual-1", input);
        // THEN Step Functions has that execution, with that name and input
        var described = sfn.describeExecution(r -> r.executionArn(executionArn));
        assertThat(described.stateMachineArn()).isEqualTo(stateMachineArn);
        assertThat(described.name()).isEqualTo("churn-manual-1");
        assertThat(described.input()).isEqualTo(input);
    }

    @Test
    void an_unknown_workflow_is_named_in_the_error() {
        var launcher = new StepFunctionsWorkflowLauncher(sfn, Map.of("training-pipeline", stateMachineArn));
        assertThatThrownBy(() -> launcher.start("drift-check", "x", "{}"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("drift-check").hasMessageContaining("training-pipeline");
    }

    @Test
    void a_state_machine_that_does_not_exist_is_not_found() {
        var launcher = new StepFunctionsWorkflowLauncher(sfn, Map.of("retirement",
                "arn:aws:states:us-east-1:123456789012:stateMachine:nope"));
        assertThatThrownBy(() -> launcher.start("retirement", "x", "{}"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
    }
}
