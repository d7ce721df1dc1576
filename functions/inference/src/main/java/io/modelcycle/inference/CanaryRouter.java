package io.modelcycle.inference;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Draws the coin that sends a request to the canary (with the canary's weight) and decides which requests are
 * captured (with the capture policy's rate).
 *
 * <p><b>SnapStart.</b> The generator is created on first use, never in a constructor, and {@link #reseed()}
 * (called from {@code afterRestore}) throws it away: every environment restored from one snapshot would otherwise
 * draw the same sequence, and all of them would send the same requests to the canary.
 *
 * <p>Thread-safe: each thread splits its own generator off the shared one.
 */
final class CanaryRouter {

    private final Supplier<SplittableRandom> source;
    private volatile SplittableRandom root;
    private volatile int generation;
    private final ThreadLocal<Local> local = new ThreadLocal<>();

    private record Local(int generation, SplittableRandom random) {
    }

    /** Seeded from {@link SecureRandom} at first use, after the snapshot is restored. */
    CanaryRouter() {
        this(() -> new SplittableRandom(new SecureRandom().nextLong()));
    }

    /** Seeded by {@code source}: tests pass a fixed seed to make a statistical test reproducible. */
    CanaryRouter(Supplier<SplittableRandom> source) {
        this.source = source;
    }

    /** True with probability {@code weight}; weight 0 never, 1 always. */
    boolean draw(double weight) {
        if (weight <= 0) {
            return false;
        }
        if (weight >= 1) {
            return true;
        }
        return random().nextDouble() < weight;
    }

    /** Forgets the generator so the next draw seeds a new one: for {@code afterRestore}. */
    void reseed() {
        synchronized (this) {
            root = null;
            generation++;
        }
    }

    private SplittableRandom random() {
        Local mine = local.get();
        int current = generation;
        if (mine != null && mine.generation == current) {
            return mine.random;
        }
        SplittableRandom split;
        synchronized (this) {
            if (root == null) {
                root = source.get();
            }
            split = root.split();
            current = generation;
        }
        local.set(new Local(current, split));
        return split;
    }
}
