package io.modelcycle.core.registry;

/**
 * The result of checking an audit chain.
 *
 * @param intact         true when every event links to the one before and hashes to its recorded hash
 * @param eventsChecked  how many events were read
 * @param firstBrokenSequence the sequence number of the first event that fails, or null when intact
 * @param problem        what is wrong with that event, or null when intact
 * @param headHash       the hash of the last event checked (GENESIS for an empty log)
 */
public record AuditVerification(boolean intact, long eventsChecked, Long firstBrokenSequence, String problem,
                                String headHash) {
}
