package io.modelcycle.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tamper detection of the audit hash chain, and the "where did the alias point at time T" query. */
class AuditChainTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** A five-event log as a store would write it: created, registered, approved, production set, moved. */
    private static List<AuditEvent> log() {
        List<AuditEvent> events = new ArrayList<>();
        AuditHead head = AuditHead.EMPTY;
        Object[][] steps = {
                {AuditAction.MODEL_CREATED, AuditHead.MODEL_SUBJECT, null, Map.of("name", "churn")},
                {AuditAction.VERSION_REGISTERED, AuditHead.versionSubject(1), null, Map.of("status", "TRAINING")},
                {AuditAction.VERSION_UPDATED, AuditHead.versionSubject(1), Map.of("status", "TRAINING"), Map.of("status", "APPROVED")},
                {AuditAction.ALIAS_SET, AuditHead.aliasSubject("production"), null, Map.of("version", 1)},
                {AuditAction.ALIAS_SET, AuditHead.aliasSubject("production"), Map.of("version", 1), Map.of("version", 2)},
        };
        for (int i = 0; i < steps.length; i++) {
            AuditEvent event = head.append("churn", T0.plusSeconds(60L * i), Change.by("alice", "step " + i),
                    (AuditAction) steps[i][0], (String) steps[i][1], steps[i][2], steps[i][3]);
            events.add(event);
            head = AuditHead.of(event);
        }
        return events;
    }

    private static AuditEvent withActor(AuditEvent e, String actor) {
        return new AuditEvent(e.model(), e.sequence(), e.timestamp(), actor, e.action(), e.subject(), e.reason(),
                e.before(), e.after(), e.previousHash(), e.hash());
    }

    @Test
    void anUntouchedLogVerifies() {
        // GIVEN a log written through AuditHead.append
        List<AuditEvent> events = log();

        // WHEN it is verified
        AuditVerification result = AuditChain.verify(events);

        // THEN every event is checked and the head is the last event's hash
        assertThat(result.intact()).isTrue();
        assertThat(result.eventsChecked()).isEqualTo(5);
        assertThat(result.firstBrokenSequence()).isNull();
        assertThat(result.headHash()).isEqualTo(events.get(4).hash());
    }

    @Test
    void anEmptyLogVerifiesAtGenesis() {
        AuditVerification result = AuditChain.verify(List.of());

        assertThat(result.intact()).isTrue();
        assertThat(result.eventsChecked()).isZero();
        assertThat(result.headHash()).isEqualTo(AuditEvent.GENESIS);
    }

    @Test
    void anEditedEventIsTheFirstBrokenLink() {
        // GIVEN a log whose third event was edited to blame someone else, keeping its stored hash
        List<AuditEvent> events = new ArrayList<>(log());
        events.set(2, withActor(events.get(2), "mallory"));

        // WHEN it is verified
        AuditVerification result = AuditChain.verify(events);

        // THEN verification stops at event 3 and says it was altered
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(3L);
        assertThat(result.problem()).contains("altered");
        assertThat(result.eventsChecked()).isEqualTo(3);
    }

    @Test
    void anEditedEventWhoseHashWasRecomputedBreaksTheNextLink() {
        // GIVEN a forger who edits event 3 and recomputes its hash, but cannot rewrite what event 4 points at
        List<AuditEvent> events = new ArrayList<>(log());
        AuditEvent original = events.get(2);
        AuditEvent forged = AuditEvent.chain("churn", 3, original.timestamp(), Change.by("mallory", original.reason()),
                original.action(), original.subject(), original.before(), original.after(), original.previousHash());
        events.set(2, forged);

        // WHEN it is verified
        AuditVerification result = AuditChain.verify(events);

        // THEN event 3 checks out on its own, and event 4 is reported as no longer linking to it
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(4L);
        assertThat(result.problem()).contains("previousHash").contains(forged.hash());
    }

    @Test
    void aRemovedEventIsReportedAsMissing() {
        // GIVEN a log with event 3 deleted
        List<AuditEvent> events = new ArrayList<>(log());
        events.remove(2);

        // WHEN / THEN the gap is found where event 3 should be
        AuditVerification result = AuditChain.verify(events);
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(3L);
        assertThat(result.problem()).contains("missing");
    }

    @Test
    void aRepeatedEventIsReported() {
        // GIVEN a log with event 2 replayed after itself
        List<AuditEvent> events = new ArrayList<>(log());
        events.add(2, events.get(1));

        // WHEN / THEN the repeat is found
        AuditVerification result = AuditChain.verify(events);
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(3L);
        assertThat(result.problem()).contains("repeated");
    }

    @Test
    void aLogThatDoesNotStartAtGenesisIsBroken() {
        // GIVEN a log whose first event was cut off and the rest renumbered and rehashed from a made-up start
        AuditEvent fake = AuditEvent.chain("churn", 1, T0, Change.by("mallory", null), AuditAction.MODEL_CREATED,
                AuditHead.MODEL_SUBJECT, null, "{}", "f".repeat(64));

        // WHEN / THEN the first link is reported
        AuditVerification result = AuditChain.verify(List.of(fake));
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(1L);
    }

    @Test
    void appendNeverStampsAnEventEarlierThanTheOneBefore() {
        // GIVEN a head at 10:05:00.123
        AuditEvent first = AuditHead.EMPTY.append("churn", Instant.parse("2026-03-01T10:05:00.123456Z"),
                Change.by("alice", null), AuditAction.MODEL_CREATED, AuditHead.MODEL_SUBJECT, null, Map.of());

        // WHEN the next change comes from a clock that stepped back a minute
        AuditEvent second = AuditHead.of(first).append("churn", Instant.parse("2026-03-01T10:04:00Z"),
                Change.by("alice", null), AuditAction.VERSION_REGISTERED, AuditHead.versionSubject(1), null, Map.of());

        // THEN times are kept to the millisecond, the second is not earlier than the first, and the chain verifies
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:05:00.123Z"));
        assertThat(second.timestamp()).isEqualTo(first.timestamp());
        assertThat(AuditChain.verify(List.of(first, second)).intact()).isTrue();
    }

    @Test
    void aliasAtAnswersFromTheLogAtAnyMoment() {
        // GIVEN production set to 1 at T0+3m and moved to 2 at T0+4m, and later deleted
        List<AuditEvent> events = new ArrayList<>(log());
        AuditEvent deleted = AuditHead.of(events.get(4)).append("churn", T0.plusSeconds(600), Change.by("bob", null),
                AuditAction.ALIAS_DELETED, AuditHead.aliasSubject("production"), Map.of("version", 2), null);
        events.add(deleted);

        // WHEN / THEN each moment gets the version production served then, and other aliases are not confused with it
        assertThat(AuditChain.aliasAt(events, "production", T0.plusSeconds(179))).isEmpty();
        assertThat(AuditChain.aliasAt(events, "production", T0.plusSeconds(180))).contains(1);
        assertThat(AuditChain.aliasAt(events, "production", T0.plusSeconds(239))).contains(1);
        assertThat(AuditChain.aliasAt(events, "production", T0.plusSeconds(240))).contains(2);
        assertThat(AuditChain.aliasAt(events, "production", T0.plusSeconds(600))).isEmpty();
        assertThat(AuditChain.aliasAt(events, "canary", T0.plusSeconds(300))).isEmpty();
    }
}
