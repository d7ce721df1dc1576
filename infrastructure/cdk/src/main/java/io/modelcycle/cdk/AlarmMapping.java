package io.modelcycle.cdk;

import io.modelcycle.core.metrics.AlarmDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.cloudwatch.CfnAlarm;
import software.amazon.awscdk.services.cloudwatch.CfnAlarmProps;
import software.constructs.Construct;

/**
 * Core's {@link AlarmDefinition} as an {@code AWS::CloudWatch::Alarm}, field for field, so the alarm CloudWatch
 * evaluates is the one the local alarm evaluator evaluates. The L1 construct is used on purpose: every property is
 * set from the definition and nothing is defaulted by CDK.
 */
public final class AlarmMapping {

    private AlarmMapping() {
    }

    /** The CloudFormation properties of {@code definition}. */
    public static CfnAlarmProps props(AlarmDefinition definition, String description) {
        List<CfnAlarm.DimensionProperty> dimensions = new ArrayList<>();
        for (Map.Entry<String, String> d : definition.metric().dimensions().entrySet()) {
            dimensions.add(CfnAlarm.DimensionProperty.builder().name(d.getKey()).value(d.getValue()).build());
        }
        return CfnAlarmProps.builder()
                .alarmName(definition.name())
                .alarmDescription(description)
                .namespace(definition.metric().namespace())
                .metricName(definition.metric().name())
                .dimensions(dimensions)
                .statistic(definition.statistic().cloudWatchName())
                .period(Math.toIntExact(definition.period().toSeconds()))
                .threshold(definition.threshold())
                .comparisonOperator(definition.comparison().cloudWatchName())
                .evaluationPeriods(definition.evaluationPeriods())
                .datapointsToAlarm(definition.datapointsToAlarm())
                .treatMissingData(definition.treatMissingData().cloudWatchName())
                .actionsEnabled(true)
                .build();
    }

    /** Adds the alarm of {@code definition} under {@code scope}. */
    public static CfnAlarm create(Construct scope, String id, AlarmDefinition definition, String description) {
        return new CfnAlarm(scope, id, props(definition, description));
    }
}
