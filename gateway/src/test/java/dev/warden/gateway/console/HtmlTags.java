package dev.warden.gateway.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTML tokenizer for the console's own page: start tags with their attributes (quoted, unquoted or bare),
 * and the raw text inside {@code <script>} and {@code <style>}. Comments are skipped. Enough to check a page we wrote
 * for inline code; not a general HTML5 parser.
 */
final class HtmlTags {
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile(
            "<([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[^\\s/>\"'=]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`]+))?)*)\\s*/?>");
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "([^\\s/>\"'=]+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'=<>`]+)))?");

    record Tag(String name, Map<String, String> attributes, String rawText) {
    }

    private HtmlTags() {
    }

    static List<Tag> parse(String html) {
        String text = COMMENT.matcher(html).replaceAll("");
        List<Tag> tags = new ArrayList<>();
        Matcher tag = TAG.matcher(text);
        int from = 0;
        while (tag.find(from)) {
            String name = tag.group(1).toLowerCase(Locale.ROOT);
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher attribute = ATTRIBUTE.matcher(tag.group(2));
            while (attribute.find()) {
                String value = attribute.group(2) != null ? attribute.group(2)
                        : attribute.group(3) != null ? attribute.group(3)
                        : attribute.group(4) != null ? attribute.group(4) : "";
                attributes.put(attribute.group(1).toLowerCase(Locale.ROOT), value);
            }
            from = tag.end();
            String raw = "";
            if (name.equals("script") || name.equals("style")) {
                // Raw text elements: everything up to the matching end tag is content, not markup.
                int end = text.toLowerCase(Locale.ROOT).indexOf("</" + name, from);
                if (end < 0) {
                    throw new IllegalArgumentException("<" + name + "> without </" + name + ">");
                }
                raw = text.substring(from, end);
                from = end;
            }
            tags.add(new Tag(name, attributes, raw));
        }
        return tags;
    }
}
