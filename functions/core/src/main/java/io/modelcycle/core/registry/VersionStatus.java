package io.modelcycle.core.registry;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a version is in its life. The allowed moves are exactly
 * {@code TRAINING → TRAINED | FAILED}, {@code TRAINED → REJECTED | PENDING_APPROVAL | APPROVED},
 * {@code PENDING_APPROVAL → APPROVED | REJECTED}, {@code APPROVED → DEPLOYED | RETIRED},
 * {@code DEPLOYED → RETIRED}. REJECTED and FAILED versions may also be RETIRED so their artifacts can be
 * cleaned up; RETIRED is final.
 */
public enum VersionStatus {
    TRAINING,
    TRAINED,
    FAILED,
    REJECTED,
    PENDING_APPROVAL,
    APPROVED,
    DEPLOYED,
    RETIRED;

    private Set<VersionStatus> next() {
        return switch (this) {
            case TRAINING -> EnumSet.of(TRAINED, FAILED);
            case TRAINED -> EnumSet.of(REJECTED, PENDING_APPROVAL, APPROVED);
            case PENDING_APPROVAL -> EnumSet.of(APPROVED, REJECTED);
            case APPROVED -> EnumSet.of(DEPLOYED, RETIRED);
            case DEPLOYED, REJECTED, FAILED -> EnumSet.of(RETIRED);
            case RETIRED -> EnumSet.noneOf(VersionStatus.class);
        };
    }

    public boolean canMoveTo(VersionStatus target) {
        return next().contains(target);
    }

    /** The statuses this one may move to, in declaration order. */
    public Set<VersionStatus> allowedMoves() {
        return next();
    }

    /** Whether an alias may point at a version in this status. */
    public boolean isServable() {
        return this == APPROVED || this == DEPLOYED;
    }
}
