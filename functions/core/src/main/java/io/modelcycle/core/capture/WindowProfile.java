package io.modelcycle.core.capture;

import io.modelcycle.core.profile.Profile;

/**
 * What {@link CaptureWindowReader} read from a capture window.
 *
 * @param profile        the profile of every accepted row, built against the baseline
 * @param files          capture objects read
 * @param records        capture records accepted (inside the window, of the requested version)
 * @param skippedRecords records read but left out: outside the time window or of another version
 */
public record WindowProfile(Profile profile, int files, long records, long skippedRecords) {

    /** Rows profiled. */
    public long rows() {
        return profile.rows();
    }
}
