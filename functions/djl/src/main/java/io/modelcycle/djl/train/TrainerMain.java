package io.modelcycle.djl.train;

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
 *       ({@code TRAINING_FAILED}).</li>
 * </ul>
 */
public final class TrainerMain {

    private TrainerMain() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("contract published; implementation lands next");
    }
}
