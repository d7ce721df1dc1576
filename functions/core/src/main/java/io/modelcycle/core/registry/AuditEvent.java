package io.modelcycle.core.registry;

import io.modelcycle.core.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One entry of a model's append-only audit log. {@code hash} is the SHA-256 of this event's content together
 * with {@code previousHash}, the hash of the event before it (64 zeros for the first), so changing, removing or
 * reordering any event breaks every link after it. {@link AuditChain#verify} finds the first broken link.
 *
 * @param model        the model's name
 * @param sequence     1, 2, 3 … in the order the changes were applied
 * @param timestamp    when the change was applied, never earlier than the event before
 * @param actor        who made the change
 * @param action       what kind of change
 * @param subject      what changed: {@code model}, {@code version/3}, {@code alias/production}
 * @param reason       why, or null
 * @param before       JSON of the subject before the change, null when it did not exist
 * @param after        JSON of the subject after the change, null when it was deleted
 * @param previousHash hash of the previous event
 * @param hash         hash of this event
 */
public record AuditEvent(String model, long sequence, Instant timestamp, String actor, AuditAction action,
                         String subject, String reason, String before, String after, String previousHash, String hash) {

    /** The previous hash of the first event in every log. */
    public static final String GENESIS = "0".repeat(64);

    /** Builds the event that follows {@code previousHash}, computing its hash. */
    public static AuditEvent chain(String model, long sequence, Instant timestamp, Change change, AuditAction action,
                                   String subject, String before, String after, String previousHash) {
        String hash = computeHash(model, sequence, timestamp, change.actor(), action, subject, change.reason(),
                before, after, previousHash);
        return new AuditEvent(model, sequence, timestamp, change.actor(), action, subject, change.reason(), before,
                after, previousHash, hash);
    }

    /** The hash this event's content says it should have; differs from {@link #hash()} if it was tampered with. */
    public String expectedHash() {
        return computeHash(model, sequence, timestamp, actor, action, subject, reason, before, after, previousHash);
    }

    private static String computeHash(String model, long sequence, Instant timestamp, String actor, AuditAction action,
                                      String subject, String reason, String before, String after, String previousHash) {
        var digest = Hashing.sha256();
        // Length-prefix every field so that no two different events can serialise to the same bytes.
        for (String field : new String[] {previousHash, model, Long.toString(sequence), timestamp.toString(), actor,
                action.name(), subject, reason, before, after}) {
            if (field == null) {
                digest.update("-1:".getBytes(StandardCharsets.UTF_8));
            } else {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
                digest.update(bytes);
            }
        }
        return Hashing.hex(digest);
    }
}
