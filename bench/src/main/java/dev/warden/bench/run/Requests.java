package dev.warden.bench.run;

/** The request bodies every target receives: a short coding-assistant turn, as agents send many of them. */
final class Requests {
    private Requests() {
    }

    private static final String MESSAGES = """
            "messages":[{"role":"system","content":"You are a careful coding assistant. Answer briefly."},\
            {"role":"user","content":"Rename the variable cnt to count in this function: int f(int cnt) { return cnt + 1; }"}]""";

    static String plain() {
        return "{\"model\":\"bench-model\"," + MESSAGES + ",\"max_tokens\":64,\"temperature\":0}";
    }

    static String stream() {
        return "{\"model\":\"bench-model\"," + MESSAGES
                + ",\"max_tokens\":64,\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    }
}
