package io.modelcycle.registryapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.feedback.FeedbackItem;
import java.util.List;

/**
 * Body of {@code POST /models/{name}/feedback}: one item ({@code requestId}, {@code actual}, optional {@code row})
 * or a batch ({@code items}, 1 to {@link io.modelcycle.core.feedback.FeedbackStore#MAX_ITEMS}), never both.
 */
record FeedbackBody(String requestId, Object actual, Integer row, List<FeedbackItem> items) {

    FeedbackBody {
        boolean single = requestId != null || actual != null || row != null;
        if (items != null && single) {
            throw new ValidationException("items", "send either one item (requestId, actual, row) or items, not both");
        }
        if (items == null) {
            // validates now, so a missing requestId or actual is named before anything is looked up
            new FeedbackItem(requestId, actual, row);
        }
    }

    @JsonIgnore
    FeedbackItem single() {
        return new FeedbackItem(requestId, actual, row);
    }
}
