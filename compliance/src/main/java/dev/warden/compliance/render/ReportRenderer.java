package dev.warden.compliance.render;

import dev.warden.compliance.Soc2Report;
import java.util.Locale;

/** Turns a report into the bytes of one file format. Deterministic: the same report gives the same bytes. */
public interface ReportRenderer {

  /** The format name used on the command line: {@code json}, {@code csv} or {@code pdf}. */
  String format();

  byte[] render(Soc2Report report);

  /** The renderer for a format name; fails naming the value and the formats known. */
  static ReportRenderer forFormat(String format) {
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "json" -> new JsonReportRenderer();
      case "csv" -> new CsvReportRenderer();
      case "pdf" -> new PdfReportRenderer();
      default -> throw new IllegalArgumentException("format \"" + format + "\" (expected: pdf, csv or json)");
    };
  }
}
