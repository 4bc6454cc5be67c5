package dev.warden.gateway.providers.translate;

import static java.util.Objects.requireNonNull;

import dev.warden.gateway.pipeline.Usage;

/**
 * One step of a streamed answer in no particular protocol. A provider's stream parser produces these and one
 * {@link StreamEncoder} per caller protocol renders them. Blocks are implicit: text after a tool call starts a new
 * text block; a {@link ToolCallStart} ends whatever block was open.
 */
public sealed interface Delta permits Delta.Start, Delta.Text, Delta.ToolCallStart, Delta.ToolArguments,
        Delta.Stop, Delta.UsageReport {

    /** The provider's message id and model, when it names them (usually first). */
    record Start(String id, String model) implements Delta {
        public Start {
            requireNonNull(id, "id");
            requireNonNull(model, "model");
        }
    }

    record Text(String text) implements Delta {
        public Text {
            requireNonNull(text, "text");
        }
    }

    record ToolCallStart(String id, String name) implements Delta {
        public ToolCallStart {
            requireNonNull(id, "id");
            requireNonNull(name, "name");
        }
    }

    /** A fragment of the JSON arguments of the tool call started last. */
    record ToolArguments(String fragment) implements Delta {
        public ToolArguments {
            requireNonNull(fragment, "fragment");
        }
    }

    record Stop(StopReason reason) implements Delta {
        public Stop {
            requireNonNull(reason, "reason");
        }
    }

    /** Usage so far; non-zero fields replace earlier values (providers report input first, output at the end). */
    record UsageReport(Usage usage) implements Delta {
        public UsageReport {
            requireNonNull(usage, "usage");
        }

        public Usage mergedInto(Usage earlier) {
            return new Usage(pick(usage.inputTokens(), earlier.inputTokens()),
                    pick(usage.outputTokens(), earlier.outputTokens()),
                    pick(usage.cachedInputTokens(), earlier.cachedInputTokens()),
                    pick(usage.reasoningTokens(), earlier.reasoningTokens()));
        }

        private static long pick(long now, long before) {
            return now > 0 ? now : before;
        }
    }
}
