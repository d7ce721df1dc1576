package io.modelcycle.djl.train;

import io.modelcycle.core.ModelCycleException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training job's entry point. It follows the
 * <a href="https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-training-algo-running-container.html">SageMaker
 * training container contract</a>, so SageMaker (GPU image) and the embedded backend (child JVM on the CPU) run the
 * very same code.
 *
 * <h2>Command line</h2>
 * {@code java -cp <modelcycle-djl jar + dependencies> io.modelcycle.djl.train.TrainerMain [--root DIR]}; {@code DIR}
 * defaults to {@code /opt/ml}. Run with {@code -Dai.djl.offline=true}: the engine's natives come from the class path.
 *
 * <h2>Inputs under {@code <root>}</h2>
 * <ul>
 *   <li>{@code input/data/model/model.json} (channel {@code model}, required): the model definition, an
 *       {@link io.modelcycle.core.model.Model} as written by {@link io.modelcycle.core.Json} (task, ordered feature
 *       schema, target, name, owner). It is a channel rather than a hyperparameter because SageMaker limits a
 *       hyperparameter value to 2 500 characters, which a wide schema exceeds.</li>
 *   <li>{@code input/data/train/} (channel {@code train}, required): one or more {@code *.csv} files, each with a
 *       header row, read in file-name order; columns in any order, the schema's features and the target must be
 *       there, other columns are ignored. RFC 4180 quoting. An empty field is a missing value (allowed in features,
 *       not in the target).</li>
 *   <li>{@code input/data/validation/} (channel {@code validation}, optional): same format. Without it the trainer
 *       holds out {@code validation_fraction} of the training rows, chosen by {@code seed}.</li>
 *   <li>{@code input/data/champion/} (channel {@code champion}, optional): the current champion, either a model
 *       directory as this trainer writes it ({@code model.json} + parameters) or a {@code model.tar.gz} of one
 *       (what SageMaker uploads as the job's output). It is scored on the same held-out rows.</li>
 *   <li>{@code input/config/hyperparameters.json} (optional): a JSON object whose values are all strings.
 *       Known names and defaults: {@code epochs}=20, {@code batch_size}=256, {@code learning_rate}=0.005,
 *       {@code hidden_units}=64,32 (comma-separated layer widths), {@code dropout}=0.0, {@code seed}=42,
 *       {@code validation_fraction}=0.2, {@code patience}=3 (epochs without improvement of the validation loss
 *       before stopping early). An unknown name or a malformed value fails the job with a message naming it.</li>
 * </ul>
 *
 * <h2>Outputs</h2>
 * <ul>
 *   <li>{@code model/}: {@code tabular-0000.params} (DJL parameters), {@code model.json} (schema, normalisation,
 *       encodings, classes, engine and DJL versions, seed, hyperparameters), {@code metrics.json} (flat object of
 *       numbers: {@code accuracy, macro_f1, roc_auc, log_loss} for classification, {@code rmse, mae, r2} for
 *       regression, the same keys prefixed {@code champion_} when a champion was given, plus {@code rows_train,
 *       rows_validation, missing_values_train, epochs_run, best_epoch}), {@code profile.json} (the drift baseline:
 *       training-split features and the model's own predictions on them), {@code card.md} (model card).</li>
 *   <li>stdout: exactly one progress line per epoch, space-separated {@code key=value} pairs in this order:
 *       {@code epoch=3/20 train_loss=0.412345 val_loss=0.398123 val_metric=0.912345 rows_per_s=45678.9};
 *       {@code val_metric} is ROC AUC (binary), accuracy (multiclass) or RMSE (regression). Parsers must ignore keys
 *       they do not know (more may be appended). On success a last line {@code done best_epoch=7 epochs_run=10
 *       model_dir=/opt/ml/model}. Every other message goes to stderr.</li>
 *   <li>on failure: {@code output/failure} holds one line {@code CODE: message} (at most 1 024 characters, as
 *       SageMaker's FailureReason), and the process exits with status 2 for bad input (codes {@code
 *       BAD_HYPERPARAMETER}, {@code BAD_DATASET} with file, line and column, {@code SCHEMA_MISMATCH},
 *       {@code BAD_MODEL_DEFINITION}, {@code BAD_CHAMPION}, {@code NO_TRAINING_DATA}) or 1 for anything else
 *       ({@code TRAINING_FAILED}); {@code BAD_ARGUMENTS} for a wrong command line (exit 2).</li>
 * </ul>
 *
 * <h2>Drift baseline</h2>
 * {@code profile.json} is an {@link io.modelcycle.core.profile.Profile} of the training split's features, with the
 * model's predictions on those rows as the prediction column: binary, the probability of the positive class
 * (numeric); multiclass, the predicted label (categorical over the classes); regression, the predicted value.
 */
public final class TrainerMain {

    /** Exit status for bad input (hyperparameters, dataset, schema, model definition, champion). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for anything else. */
    public static final int EXIT_FAILED = 1;
    /** DJL's setting for PyTorch intra-op threads; defaults to 1 here unless it or {@code OMP_NUM_THREADS} is set. */
    public static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
    /** The default root, as SageMaker mounts it. */
    public static final Path DEFAULT_ROOT = Path.of("/opt/ml");

    private TrainerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one training job and returns the exit status; never throws. Progress goes to {@code out}, logs to
     * {@code err}. Tests and the embedded backend's in-process checks call this instead of {@link #main}.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path root = DEFAULT_ROOT;
        if (System.getProperty(NUM_THREADS) == null && System.getenv("OMP_NUM_THREADS") == null) {
            // The network's matrices are small: extra intra-op threads add little, and on a shared CPU their
            // spin-waiting cost a measured 10x in throughput (2 threads: 3.8k rows/s, 1 thread: 36k rows/s).
            System.setProperty(NUM_THREADS, "1");
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        try {
            root = root(args);
            ContainerLayout layout = new ContainerLayout(root);
            Hyperparameters hp = layout.hyperparameters();
            TrainingInput input = layout.input(hp);
            err.println("training " + input.model().name() + ": " + input.train().size() + " rows, "
                    + input.validation().size() + " held out, hyperparameters " + hp.asStrings());
            Trainer.Result result = new Trainer(hp, out).train(input, layout.modelDir());
            out.println("done best_epoch=" + result.bestEpoch() + " epochs_run=" + result.epochsRun() + " model_dir=" + result.modelDir());
            out.flush();
            err.println("metrics " + result.metrics());
            return 0;
        } catch (ModelCycleException e) {
            boolean input = !"TRAINING_FAILED".equals(e.code());
            return fail(root, e.code(), e.getMessage(), e, input ? EXIT_BAD_INPUT : EXIT_FAILED, err);
        } catch (IllegalArgumentException e) {
            return fail(root, "BAD_ARGUMENTS", e.getMessage(), e, EXIT_BAD_INPUT, err);
        } catch (Exception | Error e) {
            return fail(root, "TRAINING_FAILED", e.getClass().getSimpleName() + ": " + e.getMessage(), e, EXIT_FAILED, err);
        }
    }

    private static Path root(String[] args) {
        if (args.length == 0) {
            return DEFAULT_ROOT;
        }
        if (args.length == 2 && args[0].equals("--root")) {
            return Path.of(args[1]);
        }
        throw new IllegalArgumentException("usage: TrainerMain [--root DIR] (default /opt/ml), got " + String.join(" ", args));
    }

    private static int fail(Path root, String code, String message, Throwable cause, int status, PrintStream err) {
        String line = (code + ": " + message).replace('\n', ' ');
        if (line.length() > 1024) {
            line = line.substring(0, 1021) + "...";
        }
        err.println("training failed: " + line);
        cause.printStackTrace(err);
        try {
            Path failure = root.resolve("output").resolve("failure");
            Files.createDirectories(failure.getParent());
            Files.writeString(failure, line + "\n", StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            err.println("cannot write the failure file under " + root + ": " + e);
        }
        return status;
    }
}
