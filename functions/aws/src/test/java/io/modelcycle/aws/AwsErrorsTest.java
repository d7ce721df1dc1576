package io.modelcycle.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.StoreException;
import io.modelcycle.core.TransientException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class AwsErrorsTest {

    @Test
    void throttlingAndServerErrorsAreTransientAndKeepTheirCause() {
        // GIVEN the failures AWS answers when it is busy or broken
        var throttled = ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("slow down").build()).build();
        var slowDown = S3Exception.builder().statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").errorMessage("reduce your rate").build())
                .build();
        var network = SdkClientException.builder().cause(new IOException("connection reset")).build();

        // WHEN / THEN each becomes a TransientException that says what was being done, with the SDK's error as cause
        assertThat(AwsErrors.translate("writing registry", throttled)).isInstanceOf(TransientException.class)
                .hasMessageContaining("writing registry").hasMessageContaining("ProvisionedThroughputExceeded")
                .hasCause(throttled);
        assertThat(AwsErrors.translate("reading s3://b/k", slowDown)).isInstanceOf(TransientException.class)
                .hasMessageContaining("SlowDown").hasCause(slowDown);
        assertThat(AwsErrors.translate("reading s3://b/k", network)).isInstanceOf(TransientException.class);
    }

    @Test
    void otherFailuresAreStoreErrorsAndDomainErrorsPassThrough() {
        var denied = DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").errorMessage("no").build())
                .build();
        assertThat(AwsErrors.translate("reading registry", denied)).isInstanceOf(StoreException.class)
                .hasMessageContaining("AccessDeniedException").hasCause(denied);
        var notFound = new NotFoundException("model 'x' does not exist");
        assertThat(AwsErrors.translate("reading", notFound)).isSameAs(notFound);
    }
}
