package io.modelcycle.cdk;

import java.util.Locale;

/** How callers of the predict routes are authorised; management routes always use IAM. */
public enum PredictAuthorization {
    /** SigV4-signed requests from principals allowed {@code execute-api:Invoke}. */
    IAM,
    /** Open to anyone who knows the URL, for demos or when a proxy in front authorises. */
    NONE;

    /** Parses {@code IAM} or {@code NONE}, in any case; names the setting when the value is wrong. */
    public static PredictAuthorization parse(String setting, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " must be IAM or NONE, got '" + value + "'", e);
        }
    }
}
