package io.modelcycle.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import java.time.Instant;
import java.util.Optional;

/** Checks audit chains and answers questions from them. Stateless; feed it events in sequence order. */
public final class AuditChain {

    private long checked;
    private long expectedSequence = 1;
    private String previousHash = AuditEvent.GENESIS;
    private Instant previousTime = Instant.MIN;
    private Long brokenAt;
    private String problem;

    /** Verifies a whole chain held in memory. */
    public static AuditVerification verify(Iterable<AuditEvent> events) {
        AuditChain chain = new AuditChain();
        for (AuditEvent event : events) {
            if (!chain.accept(event)) {
                break;
            }
        }
        return chain.result();
    }

    /**
     * Checks the next event; returns false once the chain is broken (later events cannot repair it).
     * Lets callers verify a log page by page without holding it all.
     */
    public boolean accept(AuditEvent event) {
        if (brokenAt != null) {
            return false;
        }
        checked++;
        if (event.sequence() != expectedSequence) {
            return fail(expectedSequence, "expected sequence " + expectedSequence + " but found " + event.sequence()
                    + (event.sequence() > expectedSequence ? " (events are missing)" : " (an event is repeated)"));
        }
        if (!previousHash.equals(event.previousHash())) {
            return fail(event.sequence(), "previousHash " + event.previousHash() + " does not match the hash of event "
                    + (event.sequence() - 1) + " (" + previousHash + ")");
        }
        if (!event.expectedHash().equals(event.hash())) {
            return fail(event.sequence(), "content does not match its hash: the event was altered after it was written");
        }
        if (event.timestamp().isBefore(previousTime)) {
            return fail(event.sequence(), "timestamp " + event.timestamp() + " is earlier than the event before it");
        }
        previousHash = event.hash();
        previousTime = event.timestamp();
        expectedSequence++;
        return true;
    }

    private boolean fail(long sequence, String why) {
        brokenAt = sequence;
        problem = why;
        return false;
    }

    public AuditVerification result() {
        return new AuditVerification(brokenAt == null, checked, brokenAt, problem, previousHash);
    }

    /**
     * Which version {@code alias} pointed at, at {@code time}, according to the log: the last ALIAS_SET or
     * ALIAS_DELETED of that alias at or before {@code time}. Empty when it pointed nowhere.
     */
    public static Optional<Integer> aliasAt(Iterable<AuditEvent> events, String alias, Instant time) {
        String subject = "alias/" + alias;
        Integer version = null;
        for (AuditEvent event : events) {
            if (event.timestamp().isAfter(time)) {
                break;
            }
            if (!subject.equals(event.subject())) {
                continue;
            }
            if (event.action() == AuditAction.ALIAS_DELETED) {
                version = null;
            } else if (event.action() == AuditAction.ALIAS_SET) {
                JsonNode after = Json.tree(event.after());
                version = after.get("version").asInt();
            }
        }
        return Optional.ofNullable(version);
    }
}
