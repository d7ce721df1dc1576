/**
 * AWS adapters of the core ports and the one place that builds AWS SDK clients: {@link io.modelcycle.aws.AwsClients},
 * configured by {@link io.modelcycle.aws.AwsConfig}. Subpackages hold one adapter family each ({@code s3},
 * {@code dynamodb}, …); they receive clients from {@code AwsClients} and never build their own.
 */
package io.modelcycle.aws;
