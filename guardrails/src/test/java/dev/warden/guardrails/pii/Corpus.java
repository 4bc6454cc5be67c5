package dev.warden.guardrails.pii;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The annotated PII corpus in {@code src/test/resources/pii/corpus.txt}. */
record Corpus(List<Sample> samples) {

    /** An expected finding. */
    record Expected(EntityType type, int start, int end) {}

    /** One line: the plain text and what must be found in it. */
    record Sample(int line, String text, List<Expected> expected) {}

    static Corpus load() {
        return load("/pii/corpus.txt");
    }

    static Corpus load(String resource) {
        try (InputStream in = Corpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test classpath");
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                String raw = lines[i];
                if (raw.isBlank() || raw.startsWith("#")) {
                    continue;
                }
                samples.add(parse(i + 1, raw.replace("\\n", "\n")));
            }
            return new Corpus(samples);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Sample parse(int line, String raw) {
        StringBuilder text = new StringBuilder();
        List<Expected> expected = new ArrayList<>();
        int i = 0;
        while (i < raw.length()) {
            int open = raw.indexOf("{{", i);
            if (open < 0) {
                text.append(raw, i, raw.length());
                break;
            }
            text.append(raw, i, open);
            int bar = raw.indexOf('|', open);
            int close = raw.indexOf("}}", bar);
            if (bar < 0 || close < 0) {
                throw new IllegalArgumentException("corpus line " + line + ": unclosed annotation at " + open);
            }
            EntityType type = EntityType.valueOf(raw.substring(open + 2, bar));
            String value = raw.substring(bar + 1, close);
            expected.add(new Expected(type, text.length(), text.length() + value.length()));
            text.append(value);
            i = close + 2;
        }
        return new Sample(line, text.toString(), expected);
    }
}
