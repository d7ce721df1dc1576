package io.modelcycle.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The workflows deployed are the files in {@code statemachines/}, unchanged, and every {@code ${Substitution}} in
 * them is provided by the stack; every task function a workflow names is a function of the stack whose handler
 * class exists in its module.
 */
class WorkflowSubstitutionTest {

    private static TestStacks.Synthesized synthesized;
    private static TemplateJson json;

    @BeforeAll
    static void synthesize() {
        synthesized = TestStacks.defaults();
        json = new TemplateJson(synthesized.json());
    }

    @Test
    void everyAslFileIsDeployedAsAWorkflow() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(TestStacks.REPO_ROOT.resolve("statemachines"))) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".asl.json")).forEach(files::add);
        }
        assertThat(files).isNotEmpty().containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Workflow.values()).map(w -> w.aslPath().getFileName().toString()).toList());
    }

    @ParameterizedTest
    @EnumSource(Workflow.class)
    void everySubstitutionInTheAslFileIsProvidedAndNoOtherIs(Workflow workflow) {
        Set<String> used = ModelCycleStack.substitutionsIn(TestStacks.REPO_ROOT.resolve(workflow.aslPath()));
        JsonNode provided = json.resource(json.stateMachineId(workflow)).get("Properties").get("DefinitionSubstitutions");
        Set<String> keys = new TreeSet<>();
        provided.fieldNames().forEachRemaining(keys::add);
        assertThat(used).as("${...} in " + workflow.aslPath()).isNotEmpty();
        assertThat(keys).as("DefinitionSubstitutions of " + workflow.workflowName()).containsExactlyInAnyOrderElementsOf(used);
        provided.fields().forEachRemaining(e -> assertThat(e.getValue().isNull() || e.getValue().asText().equals("null"))
                .as(e.getKey()).isFalse());
    }

    @ParameterizedTest
    @EnumSource(Workflow.class)
    void theDeployedDefinitionIsTheAslFileUnchanged(Workflow workflow) throws IOException {
        JsonNode location = json.resource(json.stateMachineId(workflow)).get("Properties").get("DefinitionS3Location");
        Path staged = synthesized.outdir().resolve("asset." + location.get("Key").asText());
        assertThat(staged).exists();
        assertThat(Files.readString(staged)).isEqualTo(Files.readString(TestStacks.REPO_ROOT.resolve(workflow.aslPath())));
    }

    @ParameterizedTest
    @EnumSource(Workflow.class)
    void everyTaskFunctionNamedIsALiveAliasOfAFunctionWhoseHandlerExists(Workflow workflow) throws IOException {
        JsonNode provided = json.resource(json.stateMachineId(workflow)).get("Properties").get("DefinitionSubstitutions");
        Map<String, JsonNode> aliases = json.ofType("AWS::Lambda::Alias");
        int functions = 0;
        for (String name : (Iterable<String>) provided::fieldNames) {
            if (!name.endsWith("FunctionArn")) {
                continue;
            }
            functions++;
            String aliasId = TemplateJson.target(provided.get(name));
            JsonNode alias = aliases.get(aliasId);
            assertThat(alias).as("${" + name + "} of " + workflow.workflowName() + " is a Lambda alias").isNotNull();
            assertThat(alias.get("Properties").get("Name").asText()).isEqualTo(JavaFunction.ALIAS);
            String handler = json.resource(TemplateJson.target(alias.get("Properties").get("FunctionName")))
                    .get("Properties").get("Handler").asText();
            FunctionSpec spec = Arrays.stream(FunctionSpec.values()).filter(s -> s.handlerClass().equals(handler))
                    .findFirst().orElseThrow();
            assertHandlerExists(spec);
        }
        assertThat(functions).as("task functions in " + workflow.workflowName()).isPositive();
    }

    /**
     * Every {@code lambda:invoke} task's {@code Payload.action} is an action its function's handler registers
     * ({@code .on("action", ...)} in the handler's source), so a renamed action fails here, not at run time.
     */
    @ParameterizedTest
    @EnumSource(Workflow.class)
    void everyTaskActionIsServedByTheHandlerItInvokes(Workflow workflow) throws IOException {
        JsonNode definition = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(TestStacks.REPO_ROOT.resolve(workflow.aslPath()).toFile());
        int checked = 0;
        for (JsonNode task : definition.findParents("FunctionName")) {
            String functionName = task.get("FunctionName").asText();
            JsonNode action = task.path("Payload").get("action");
            if (action == null) {
                continue;
            }
            String substitution = functionName.replace("${", "").replace("}", "");
            FunctionSpec spec = Arrays.stream(FunctionSpec.values())
                    .filter(s -> substitution.equalsIgnoreCase(s.module() + "FunctionArn"))
                    .findFirst().orElseThrow(() -> new AssertionError("no function for " + functionName));
            String source = Files.readString(TestStacks.REPO_ROOT.resolve(spec.handlerSourcePath()));
            assertThat(source).as(workflow.workflowName() + " calls action '" + action.asText() + "' of " + spec.module())
                    .contains(".on(\"" + action.asText() + "\"");
            checked++;
        }
        assertThat(checked).as("actions checked in " + workflow.workflowName()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(FunctionSpec.class)
    void everyFunctionsHandlerClassExistsInItsModule(FunctionSpec spec) throws IOException {
        assertHandlerExists(spec);
    }

    /**
     * The handler's source declares the class and either a handleRequest method or the shared Step Functions task
     * entry point ({@code extends TaskRouterHandler}, whose final handleRequest runs the task router). A module that is not yet part of the build
     * (not a {@code <module>} of the root pom) is reported as skipped, not passed; once it is, its handler must exist.
     */
    private static void assertHandlerExists(FunctionSpec spec) throws IOException {
        String rootPom = Files.readString(TestStacks.REPO_ROOT.resolve("pom.xml"));
        Assumptions.assumeTrue(rootPom.contains("<module>functions/" + spec.module() + "</module>"),
                "functions/" + spec.module() + " is not a module of the build yet");
        Path source = TestStacks.REPO_ROOT.resolve(spec.handlerSourcePath());
        assertThat(source).as("handler of " + spec.module()).isRegularFile();
        String simpleName = spec.handlerClass().substring(spec.handlerClass().lastIndexOf('.') + 1);
        String text = Files.readString(source);
        assertThat(text).contains("class " + simpleName);
        assertThat(text.contains("handleRequest") || text.contains("class " + simpleName + " extends TaskRouterHandler"))
                .as(simpleName + " is a Lambda handler").isTrue();
    }
}
