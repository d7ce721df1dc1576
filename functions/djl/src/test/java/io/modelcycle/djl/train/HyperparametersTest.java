package io.modelcycle.djl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperparametersTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Hyperparameters hp = Hyperparameters.defaults();
        assertThat(hp).isEqualTo(new Hyperparameters(20, 256, 0.005, List.of(64, 32), 0.0, 42, 0.2, 3));
        assertThat(Hyperparameters.parse(hp.asStrings())).isEqualTo(hp);
    }

    @Test
    void valuesAreParsedAndAnEmptyHiddenListIsALinearModel() {
        Hyperparameters hp = Hyperparameters.parse(Map.of("epochs", " 5 ", "hidden_units", "", "learning_rate", "1e-3"));
        assertThat(hp.epochs()).isEqualTo(5);
        assertThat(hp.hiddenUnits()).isEmpty();
        assertThat(hp.learningRate()).isEqualTo(0.001);
    }

    @Test
    void outOfRangeValuesNameTheHyperparameter() {
        assertThatThrownBy(() -> Hyperparameters.parse(Map.of("batch_size", "0")))
                .isInstanceOfSatisfying(HyperparameterException.class, e -> assertThat(e.name()).isEqualTo("batch_size"));
        assertThatThrownBy(() -> Hyperparameters.parse(Map.of("dropout", "1"))).hasMessageContaining("'dropout'");
        assertThatThrownBy(() -> Hyperparameters.parse(Map.of("learning_rate", "NaN"))).hasMessageContaining("'learning_rate'");
        assertThatThrownBy(() -> Hyperparameters.parse(Map.of("seed", "1.5"))).hasMessageContaining("'seed'");
    }
}
