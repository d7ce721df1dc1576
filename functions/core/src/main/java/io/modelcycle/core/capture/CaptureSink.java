package io.modelcycle.core.capture;

/**
 * Port: takes sampled inference records off the request path and stores them as gzip JSON lines under
 * {@code captures/{model}/yyyy/MM/dd/HH/} (see {@link CaptureRecord} for the line format).
 *
 * <p>Capture must never cost a request anything it would notice: {@link #capture} never throws and never blocks on
 * I/O; a record that cannot be taken (buffer full, sink closed) or cannot be stored (the store fails) is dropped and
 * counted in {@link #stats()}, never reported to the caller. Losing a few sampled records is acceptable; failing or
 * slowing a prediction is not.
 *
 * <p>There is one implementation, {@link BufferedCaptureSink}, over an {@link io.modelcycle.core.artifact.ArtifactStore}:
 * the S3 store on AWS, the file store on one machine. Its Javadoc states how many records can be lost when an
 * environment is reclaimed without {@link #close()}.
 */
public interface CaptureSink extends AutoCloseable {

    /** Takes the record for writing later; returns at once and never throws, not even for a null record. */
    void capture(CaptureRecord record);

    /**
     * Writes everything taken so far and returns when it is stored (or counted as failed). Blocks on I/O: for
     * shutdown hooks and tests, not for the request path. Never throws.
     */
    void flush();

    /** Flushes, stops the background writer and refuses (counts as dropped) later records. Idempotent; never throws. */
    @Override
    void close();

    /** What happened to the records so far. */
    CaptureStats stats();
}
