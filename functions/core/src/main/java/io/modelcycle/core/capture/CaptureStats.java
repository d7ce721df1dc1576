package io.modelcycle.core.capture;

/**
 * Counters of a {@link CaptureSink}, since it was created. Every record given to {@code capture} ends up in exactly
 * one of {@code written}, {@code dropped} or {@code failed}, or is still {@code pending}:
 * {@code accepted == written + failed + pending}.
 *
 * @param accepted records taken into the buffer
 * @param written  records stored
 * @param dropped  records refused without being buffered: buffer full, sink closed, or a null record
 * @param failed   records buffered but lost because the store failed (or the record could not be serialised)
 * @param pending  records buffered or being written right now
 */
public record CaptureStats(long accepted, long written, long dropped, long failed, long pending) {

    /** Records that will never be stored: dropped plus failed. */
    public long lost() {
        return dropped + failed;
    }
}
