package io.modelcycle.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a synthesized template the way a reviewer would: resources by type, IAM statements per role, and
 * CloudFormation intrinsics rendered as text ({@code ${Logical.Attr}}, joins concatenated) so that a whole policy can
 * be compared with the exact list of what a component may do.
 */
final class TemplateJson {

    private final JsonNode resources;

    TemplateJson(JsonNode template) {
        this.resources = template.get("Resources");
    }

    /** Logical id → resource, for every resource of {@code type}. */
    Map<String, JsonNode> ofType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = resources.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("Type").asText().equals(type)) {
                found.put(e.getKey(), e.getValue());
            }
        }
        return found;
    }

    /** The only resource of {@code type}; fails when there is not exactly one. */
    String onlyId(String type) {
        Map<String, JsonNode> all = ofType(type);
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one " + type + ", found " + all.keySet());
        }
        return all.keySet().iterator().next();
    }

    JsonNode resource(String logicalId) {
        return resources.get(logicalId);
    }

    /** The function whose handler is {@code spec}'s. */
    String functionId(FunctionSpec spec) {
        return ofType("AWS::Lambda::Function").entrySet().stream()
                .filter(e -> e.getValue().path("Properties").path("Handler").asText().equals(spec.handlerClass()))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no function with handler " + spec.handlerClass()));
    }

    /** The state machine named {@code ModelCycle-<workflow>}. */
    String stateMachineId(Workflow workflow) {
        return ofType("AWS::StepFunctions::StateMachine").entrySet().stream()
                .filter(e -> e.getValue().path("Properties").path("StateMachineName").asText()
                        .equals(ModelCycleApp.STACK_NAME + "-" + workflow.workflowName()))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no state machine for " + workflow.workflowName()));
    }

    /** The logical id a {@code Fn::GetAtt} or {@code Ref} points at. */
    static String target(JsonNode reference) {
        if (reference.has("Fn::GetAtt")) {
            return reference.get("Fn::GetAtt").get(0).asText();
        }
        if (reference.has("Ref")) {
            return reference.get("Ref").asText();
        }
        throw new AssertionError("not a reference: " + reference);
    }

    /** Every statement of every policy attached to role {@code roleId}, inline or separate. */
    List<JsonNode> statementsOf(String roleId) {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode inline : resource(roleId).path("Properties").path("Policies")) {
            inline.path("PolicyDocument").path("Statement").forEach(statements::add);
        }
        for (JsonNode policy : ofType("AWS::IAM::Policy").values()) {
            for (JsonNode role : policy.path("Properties").path("Roles")) {
                if (role.path("Ref").asText().equals(roleId)) {
                    policy.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add);
                }
            }
        }
        return statements;
    }

    /** Every statement of every identity policy in the template. */
    List<JsonNode> allStatements() {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode policy : ofType("AWS::IAM::Policy").values()) {
            policy.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add);
        }
        for (JsonNode role : ofType("AWS::IAM::Role").values()) {
            for (JsonNode inline : role.path("Properties").path("Policies")) {
                inline.path("PolicyDocument").path("Statement").forEach(statements::add);
            }
        }
        return statements;
    }

    /**
     * A role's grants as "action resource" lines (one per action and resource, conditions appended), with logical ids
     * replaced by the names in {@code names}, e.g. {@code s3:GetObject ${BUCKET.Arn}/models/*}.
     */
    TreeSet<String> grantsOf(String roleId, Map<String, String> names) {
        TreeSet<String> lines = new TreeSet<>();
        for (JsonNode s : statementsOf(roleId)) {
            if (!s.path("Effect").asText().equals("Allow")) {
                continue;
            }
            String condition = s.has("Condition") ? " if " + render(s.get("Condition"), names) : "";
            for (String action : list(s.get("Action"))) {
                for (JsonNode resource : nodes(s.get("Resource"))) {
                    lines.add(action + " " + render(resource, names) + condition);
                }
            }
        }
        return lines;
    }

    static List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        nodes(node).forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<JsonNode> nodes(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isMissingNode()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    /** Intrinsics as text: {@code ${Id.Attr}}, {@code ${Id}}, joins concatenated, pseudo parameters by name. */
    static String render(JsonNode node, Map<String, String> names) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(render(n, names)));
            return parts.toString();
        }
        if (node.has("Fn::GetAtt")) {
            JsonNode g = node.get("Fn::GetAtt");
            return "${" + names.getOrDefault(g.get(0).asText(), g.get(0).asText()) + "." + g.get(1).asText() + "}";
        }
        if (node.has("Ref")) {
            String id = node.get("Ref").asText();
            return "${" + names.getOrDefault(id, id) + "}";
        }
        if (node.has("Fn::Sub") && node.get("Fn::Sub").isTextual()) {
            return node.get("Fn::Sub").asText();
        }
        if (node.has("Fn::Join")) {
            JsonNode j = node.get("Fn::Join");
            List<String> parts = new ArrayList<>();
            j.get(1).forEach(n -> parts.add(render(n, names)));
            return String.join(j.get(0).asText(), parts);
        }
        if (node.isObject()) {
            StringBuilder b = new StringBuilder("{");
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                b.append(e.getKey()).append('=').append(render(e.getValue(), names));
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            return b.append('}').toString();
        }
        return node.toString();
    }
}
