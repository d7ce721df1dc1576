package io.modelcycle.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/**
 * Who is calling, as API Gateway vouches for it: the IAM caller's ARN (IAM authorization), else the JWT's
 * {@code sub} claim (JWT authorizer), else {@value #ANONYMOUS}. Never read from headers or the body: those are
 * the caller's own claims, and the audit log must not be writable under someone else's name.
 */
public final class Actors {

    public static final String ANONYMOUS = "anonymous";

    private Actors() {
    }

    public static String of(APIGatewayV2HTTPEvent event) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null) {
            return ANONYMOUS;
        }
        var authorizer = event.getRequestContext().getAuthorizer();
        if (authorizer.getIam() != null && notBlank(authorizer.getIam().getUserArn())) {
            return authorizer.getIam().getUserArn();
        }
        if (authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null
                && notBlank(authorizer.getJwt().getClaims().get("sub"))) {
            return authorizer.getJwt().getClaims().get("sub");
        }
        return ANONYMOUS;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
