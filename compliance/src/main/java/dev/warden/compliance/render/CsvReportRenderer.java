package dev.warden.compliance.render;

import dev.warden.compliance.Soc2Report;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The report as one RFC 4180 CSV file in long form, so that every section fits one fixed schema and a spreadsheet
 * pivot rebuilds any table:
 *
 * <pre>
 * section,record,field,value
 * status,,,OK
 * activity_by_user,1,name,alice
 * activity_by_user,1,requests,12
 * </pre>
 *
 * <p>{@code section} is a top-level member of the JSON report; {@code record} is the 1-based row of a list
 * section (empty for an object or scalar section); {@code field} is the member path inside the record, dotted
 * ({@code covering_checkpoint.size}, {@code checkpoints_in_period.1.head}); {@code value} is the scalar, empty for
 * null. Rows follow the JSON member order. UTF-8, CRLF line ends, fields quoted when they hold {@code , " CR LF}; a
 * value starting with {@code = + - @} TAB or CR is prefixed with {@code '} so that spreadsheets do not run it.
 */
public final class CsvReportRenderer implements ReportRenderer {
  public static final List<String> HEADER = List.of("section", "record", "field", "value");

  @Override
  public String format() {
    return "csv";
  }

  @Override
  public byte[] render(Soc2Report report) {
    StringBuilder sb = new StringBuilder(16_384);
    row(sb, HEADER.get(0), HEADER.get(1), HEADER.get(2), HEADER.get(3));
    for (Map.Entry<String, @Nullable Object> e : ReportTree.of(report).entrySet()) {
      String section = e.getKey();
      Object v = e.getValue();
      if (v instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map) {
        for (int i = 0; i < list.size(); i++) {
          flatten(sb, section, Integer.toString(i + 1), "", list.get(i));
        }
      } else {
        flatten(sb, section, "", "", v);
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void flatten(StringBuilder sb, String section, String record, String path, @Nullable Object v) {
    if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        row(sb, section, record, path, "");
      }
      m.forEach((k, x) -> flatten(sb, section, record, join(path, (String) k), x));
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        row(sb, section, record, path, "");
      }
      for (int i = 0; i < l.size(); i++) {
        flatten(sb, section, record, join(path, Integer.toString(i + 1)), l.get(i));
      }
    } else {
      row(sb, section, record, path, v == null ? "" : defuse(v.toString()));
    }
  }

  /**
   * Values come from the ledger, and some (admin change details, user names) from people; a spreadsheet would run
   * one starting with {@code = + - @} as a formula (CSV injection), so such a value gets a leading {@code '}.
   */
  static String defuse(String value) {
    if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
      return "'" + value;
    }
    return value;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static void row(StringBuilder sb, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String f = fields[i];
      if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
        sb.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(f);
      }
    }
    sb.append("\r\n");
  }
}
