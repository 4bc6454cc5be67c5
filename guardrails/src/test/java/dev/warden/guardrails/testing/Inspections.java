package dev.warden.guardrails.testing;

import dev.warden.guardrails.Direction;
import dev.warden.guardrails.Inspection;
import dev.warden.guardrails.InspectionContext;
import dev.warden.guardrails.TextPart;
import java.util.ArrayList;
import java.util.List;

/** Builds inspections for tests. */
public final class Inspections {

    private Inspections() {}

    public static Inspection input(String... messages) {
        return of(Direction.INPUT, messages);
    }

    public static Inspection output(String... messages) {
        return of(Direction.OUTPUT, messages);
    }

    public static Inspection of(Direction direction, String... messages) {
        List<TextPart> parts = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            parts.add(TextPart.message("messages[" + i + "].content", messages[i]));
        }
        return new Inspection(direction, parts, InspectionContext.of("key-1", "team-a"));
    }
}
