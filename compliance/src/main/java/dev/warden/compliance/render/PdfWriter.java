package dev.warden.compliance.render;

import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal PDF 1.4 writer for text-only documents in the standard 14 fonts (no embedding, WinAnsiEncoding),
 * deterministic by construction: no dates, uncompressed content streams, and a document {@code /ID} derived from
 * the content, so the same pages always give the same bytes. Characters outside WinAnsi print as {@code ?}.
 */
final class PdfWriter {
  static final float PAGE_WIDTH = 595.28f; // A4
  static final float PAGE_HEIGHT = 841.89f;

  /** The fonts available, by resource name. */
  enum Font {
    REGULAR("F1", "Helvetica"),
    BOLD("F2", "Helvetica-Bold"),
    MONO("F3", "Courier");

    final String resource;
    final String baseFont;

    Font(String resource, String baseFont) {
      this.resource = resource;
      this.baseFont = baseFont;
    }
  }

  /** One run of text at a position (points from the bottom left). */
  record Text(Font font, float size, float x, float y, String text) {}

  private final String title;
  private final String producer;
  private final List<List<Text>> pages = new ArrayList<>();

  PdfWriter(String title, String producer) {
    this.title = title;
    this.producer = producer;
  }

  void addPage(List<Text> page) {
    pages.add(List.copyOf(page));
  }

  byte[] toBytes() {
    Out out = new Out();
    out.ascii("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
    int fontBase = 3;
    int infoObj = fontBase + Font.values().length;
    int firstPageObj = infoObj + 1;
    int objects = firstPageObj + 2 * pages.size() - 1; // highest object number
    long[] offsets = new long[objects + 1];

    offsets[1] = out.size();
    out.ascii("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    offsets[2] = out.size();
    StringBuilder kids = new StringBuilder();
    for (int i = 0; i < pages.size(); i++) {
      kids.append(i == 0 ? "" : " ").append(firstPageObj + 2 * i).append(" 0 R");
    }
    StringBuilder fonts = new StringBuilder();
    for (Font f : Font.values()) {
      fonts.append('/').append(f.resource).append(' ').append(fontBase + f.ordinal()).append(" 0 R ");
    }
    out.ascii("2 0 obj\n<< /Type /Pages /Kids [" + kids + "] /Count " + pages.size()
        + " /MediaBox [0 0 " + num(PAGE_WIDTH) + " " + num(PAGE_HEIGHT) + "] /Resources << /Font << "
        + fonts + ">> >> >>\nendobj\n");
    for (Font f : Font.values()) {
      int n = fontBase + f.ordinal();
      offsets[n] = out.size();
      out.ascii(n + " 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /" + f.baseFont
          + " /Encoding /WinAnsiEncoding >>\nendobj\n");
    }
    offsets[infoObj] = out.size();
    out.ascii(infoObj + " 0 obj\n<< /Title ");
    out.bytes(literal(title));
    out.ascii(" /Producer ");
    out.bytes(literal(producer));
    out.ascii(" >>\nendobj\n");

    var idDigest = Sha256.newDigest();
    for (int i = 0; i < pages.size(); i++) {
      int pageObj = firstPageObj + 2 * i;
      byte[] content = content(pages.get(i));
      idDigest.update(content);
      offsets[pageObj] = out.size();
      out.ascii(pageObj + " 0 obj\n<< /Type /Page /Parent 2 0 R /Contents " + (pageObj + 1) + " 0 R >>\nendobj\n");
      offsets[pageObj + 1] = out.size();
      out.ascii((pageObj + 1) + " 0 obj\n<< /Length " + content.length + " >>\nstream\n");
      out.bytes(content);
      out.ascii("\nendstream\nendobj\n");
    }
    long xref = out.size();
    out.ascii("xref\n0 " + (objects + 1) + "\n0000000000 65535 f \n");
    for (int i = 1; i <= objects; i++) {
      out.ascii(String.format("%010d 00000 n \n", offsets[i]));
    }
    // The ID is required to be unique per document; hashing the content makes it so without a clock or random.
    String id = Hex.encode(idDigest.digest()).substring(0, 32);
    out.ascii("trailer\n<< /Size " + (objects + 1) + " /Root 1 0 R /Info " + infoObj + " 0 R /ID [<" + id + "> <"
        + id + ">] >>\nstartxref\n" + xref + "\n%%EOF\n");
    return out.toByteArray();
  }

  private static byte[] content(List<Text> texts) {
    Out out = new Out();
    for (Text t : texts) {
      out.ascii("BT /" + t.font().resource + " " + num(t.size()) + " Tf " + num(t.x()) + " " + num(t.y()) + " Td ");
      out.bytes(literal(t.text()));
      out.ascii(" Tj ET\n");
    }
    return out.toByteArray();
  }

  /** Two decimals at most, never exponent form, the same on every JVM and locale. */
  static String num(float f) {
    long hundredths = Math.round(f * 100.0);
    String sign = hundredths < 0 ? "-" : "";
    hundredths = Math.abs(hundredths);
    long whole = hundredths / 100;
    long frac = hundredths % 100;
    if (frac == 0) {
      return sign + whole;
    }
    return sign + whole + "." + (frac % 10 == 0 ? Long.toString(frac / 10) : String.format("%02d", frac));
  }

  /** A PDF literal string in WinAnsiEncoding, with {@code \ ( )} escaped and bytes above 127 in octal. */
  static byte[] literal(String s) {
    Out out = new Out();
    out.ascii("(");
    for (int i = 0; i < s.length(); i++) {
      int b = winAnsi(s.charAt(i));
      if (b == '\\' || b == '(' || b == ')') {
        out.ascii("\\" + (char) b);
      } else if (b < 0x20 || b >= 0x7f) {
        out.ascii(String.format("\\%03o", b));
      } else {
        out.write(b);
      }
    }
    out.ascii(")");
    return out.toByteArray();
  }

  static int winAnsi(char c) {
    if (c >= 0x20 && c < 0x7f) {
      return c;
    }
    if (c >= 0xa0 && c <= 0xff) {
      return c;
    }
    return switch (c) {
      case '\u20ac' -> 0x80;
      case '\u2026' -> 0x85;
      case '\u2018' -> 0x91;
      case '\u2019' -> 0x92;
      case '\u201c' -> 0x93;
      case '\u201d' -> 0x94;
      case '\u2022' -> 0x95;
      case '\u2013' -> 0x96;
      case '\u2014' -> 0x97;
      default -> '?';
    };
  }

  private static final class Out extends ByteArrayOutputStream {
    void ascii(String s) {
      writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    void bytes(byte[] b) {
      writeBytes(b);
    }
  }
}
