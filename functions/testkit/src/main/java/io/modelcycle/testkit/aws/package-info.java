/**
 * An AWS emulator on loopback for the AWS adapters' tests: {@link io.modelcycle.testkit.aws.AwsEmulator} (LocalStack
 * through Testcontainers when a Docker engine is reachable, otherwise a {@code moto_server} it starts itself) and the
 * JUnit 5 extension {@link io.modelcycle.testkit.aws.AwsEmulatorExtension} that hands it to tests. Nothing here
 * reaches real AWS or needs real credentials.
 */
package io.modelcycle.testkit.aws;
