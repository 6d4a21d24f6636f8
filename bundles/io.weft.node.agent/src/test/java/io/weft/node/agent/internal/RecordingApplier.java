package io.weft.node.agent.internal;

import io.weft.control.state.DesiredStateDocument;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the documents it is asked to apply, for tests that check what reaches Configuration Admin. */
final class RecordingApplier implements StateApplier {

    final List<DesiredStateDocument> applied = new CopyOnWriteArrayList<>();

    @Override
    public ApplyResult apply(DesiredStateDocument document) {
        applied.add(document);
        return ApplyResult.nothing();
    }

    List<Long> revisions() {
        return applied.stream().map(DesiredStateDocument::revision).toList();
    }
}
