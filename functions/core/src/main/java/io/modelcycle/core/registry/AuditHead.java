package io.modelcycle.core.registry;

import io.modelcycle.core.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The tip of a model's audit chain: what a store must know to append the next event. Stores keep it (or read
 * it from the last event) inside the same transaction as the change, and use {@link #append} so that every
 * store formats, times and hashes events identically.
 *
 * @param sequence  the last event's sequence, 0 for an empty log
 * @param hash      the last event's hash, {@link AuditEvent#GENESIS} for an empty log
 * @param timestamp the last event's timestamp, null for an empty log
 */
public record AuditHead(long sequence, String hash, Instant timestamp) {

    public static final AuditHead EMPTY = new AuditHead(0, AuditEvent.GENESIS, null);

    public static AuditHead of(AuditEvent event) {
        return new AuditHead(event.sequence(), event.hash(), event.timestamp());
    }

    /**
     * The next event. Its timestamp is {@code now} truncated to milliseconds (what every store can hold exactly),
     * but never earlier than the head's, so "what was true at time T" questions are answered consistently even
     * if clocks step back. {@code before} and {@code after} are serialised with {@link Json}.
     */
    public AuditEvent append(String model, Instant now, Change change, AuditAction action, String subject,
                             Object before, Object after) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        if (timestamp != null && at.isBefore(timestamp)) {
            at = timestamp;
        }
        return AuditEvent.chain(model, sequence + 1, at, change, action, subject,
                before == null ? null : Json.write(before), after == null ? null : Json.write(after), hash);
    }

    /** The audit subject naming a version. */
    public static String versionSubject(int number) {
        return "version/" + number;
    }

    /** The audit subject naming an alias. */
    public static String aliasSubject(String alias) {
        return "alias/" + alias;
    }

    /** The audit subject naming the model itself. */
    public static final String MODEL_SUBJECT = "model";
}
