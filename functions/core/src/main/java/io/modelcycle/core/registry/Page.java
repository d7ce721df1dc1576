package io.modelcycle.core.registry;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items     this page's items, in the listing's order
 * @param nextToken opaque token for the next page, null on the last page
 */
public record Page<T>(List<T> items, String nextToken) {
    public Page {
        items = List.copyOf(items);
    }
}
