package dev.warden.compliance.render;

import dev.warden.compliance.Soc2Report;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The report as JSON: UTF-8, two-space indent, {@code \n} line ends, members in {@link ReportTree}'s fixed order,
 * every member present ({@code null} when unknown). Same report, same bytes.
 */
public final class JsonReportRenderer implements ReportRenderer {

  @Override
  public String format() {
    return "json";
  }

  @Override
  public byte[] render(Soc2Report report) {
    StringBuilder sb = new StringBuilder(16_384);
    write(sb, ReportTree.of(report), 0);
    sb.append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(StringBuilder sb, @Nullable Object v, int depth) {
    switch (v) {
      case null -> sb.append("null");
      case String s -> string(sb, s);
      case Boolean b -> sb.append(b);
      case Long n -> sb.append(n);
      case Integer n -> sb.append(n);
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          sb.append("{}");
          return;
        }
        sb.append("{\n");
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          indent(sb, depth + 1);
          string(sb, (String) e.getKey());
          sb.append(": ");
          write(sb, e.getValue(), depth + 1);
          sb.append(++i < m.size() ? ",\n" : "\n");
        }
        indent(sb, depth);
        sb.append('}');
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          sb.append("[]");
          return;
        }
        sb.append("[\n");
        for (int i = 0; i < l.size(); i++) {
          indent(sb, depth + 1);
          write(sb, l.get(i), depth + 1);
          sb.append(i + 1 < l.size() ? ",\n" : "\n");
        }
        indent(sb, depth);
        sb.append(']');
      }
      default -> throw new IllegalArgumentException("report value of type " + v.getClass().getName()
          + " (expected: String, Boolean, Long, Integer, Map, List or null)");
    }
  }

  private static void indent(StringBuilder sb, int depth) {
    sb.append("  ".repeat(depth));
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
