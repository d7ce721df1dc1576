package io.modelcycle.cdk;

import java.util.Map;

/**
 * The only IAM actions that may be granted on a {@code *} resource, each listed once with the reason: AWS offers no
 * narrower resource for them (the Service Authorization Reference lists no resource type for the action). Where a
 * condition key can narrow the grant, the stack adds it (e.g. {@code cloudwatch:namespace}). The template tests
 * refuse any other {@code *} resource and any entry here that the stack does not use.
 */
public final class WildcardResources {

    /** Action → why it needs {@code *}. */
    public static final Map<String, String> ALLOWED = Map.ofEntries(
            Map.entry("cloudwatch:PutMetricData",
                    "PutMetricData has no resource type; each grant is narrowed by the cloudwatch:namespace condition"),
            Map.entry("cloudwatch:GetMetricData",
                    "GetMetricData has no resource type (deployment compares canary and production health)"),
            Map.entry("ecr:GetAuthorizationToken",
                    "an ECR login token is account-wide; SageMaker needs it to pull the training image"),
            Map.entry("logs:CreateLogDelivery",
                    "Step Functions vended log delivery: log-delivery actions have no resource type"),
            Map.entry("logs:GetLogDelivery", "Step Functions vended log delivery (see logs:CreateLogDelivery)"),
            Map.entry("logs:UpdateLogDelivery", "Step Functions vended log delivery (see logs:CreateLogDelivery)"),
            Map.entry("logs:DeleteLogDelivery", "Step Functions vended log delivery (see logs:CreateLogDelivery)"),
            Map.entry("logs:ListLogDeliveries", "Step Functions vended log delivery (see logs:CreateLogDelivery)"),
            Map.entry("logs:PutResourcePolicy",
                    "Step Functions vended log delivery writes the log group's resource policy; account-wide action"),
            Map.entry("logs:DescribeResourcePolicies",
                    "Step Functions vended log delivery reads the account's log resource policies"),
            Map.entry("logs:DescribeLogGroups",
                    "Step Functions vended log delivery lists log groups; the action has no narrower resource"));

    private WildcardResources() {
    }
}
